package io.jwip.examples.services;

import io.jwip.JwipOptions;
import io.jwip.port.Clock;
import io.jwip.port.Idler;
import io.jwip.port.threaded.StackThread;
import io.jwip.stack.Stack;
import io.jwip.tcp.Tcp;
import io.jwip.testutil.TwoStacks;

/**
 * The two-stack fixture ({@link TwoStacks}) with TCP on both and a {@link StackThread} owning the client
 * stack (A, used through the blocking sockets); the stack thread also owns the server stack (B) and pumps the
 * wire, so both stacks live on that one thread, which sleeps until a call or a frame wakes it. Start services on {@link #server} before
 * {@link #start()}.
 */
final class ThreadedTwoStacks implements AutoCloseable {
    static final int CLIENT = TwoStacks.A;
    static final int SERVER = TwoStacks.B;

    final TwoStacks pair;
    final Stack client;
    final Stack server;
    final StackThread st;

    ThreadedTwoStacks() {
        JwipOptions o = new JwipOptions();
        o.pbufs = 256;
        o.tcpSegs = 256;
        o.tcpWnd = 32768;
        o.tcpSndBuf = 32768;
        o.tcpOooMaxBytes = 32768;
        pair = new TwoStacks(o, 256, 1500);
        client = pair.a;
        server = pair.b;
        Tcp.install(client);
        Tcp.install(server);
        st = new StackThread(client, Clock.system(), Idler.system(), 16, 1, 2).addStack(server)
                .addSource(pair.wire.pumpedByPort());
    }

    ThreadedTwoStacks start() {
        st.start("jwip-two-stacks");
        return this;
    }

    @Override
    public void close() throws Exception {
        st.shutdown();
        if (st.failure() != null) {
            throw new AssertionError("stack thread died", st.failure());
        }
    }
}
