package io.jwip.examples.services;

import io.jwip.JwipOptions;
import io.jwip.stack.Stack;
import io.jwip.netif.Netif;
import io.jwip.netif.mem.InMemoryLink;
import io.jwip.port.Clock;
import io.jwip.port.threaded.StackThread;
import io.jwip.tcp.Tcp;
import io.jwip.wire.Ip4Addr;

/**
 * A client stack (owned by a {@link StackThread}, used through the blocking sockets) and a server stack
 * joined by an in-memory wire. The stack thread also pumps the wire and runs the server stack's timers,
 * so both stacks live on that one thread. Start services on {@link #server} before {@link #start()}.
 */
final class TwoStacks implements AutoCloseable {
    static final int CLIENT = Ip4Addr.of(10, 0, 0, 1);
    static final int SERVER = Ip4Addr.of(10, 0, 0, 2);

    final Stack client;
    final Stack server;
    final InMemoryLink wire = new InMemoryLink(256, 1500);
    final StackThread st;

    TwoStacks() {
        JwipOptions o = new JwipOptions();
        o.pbufs = 256;
        o.tcpSegs = 256;
        o.tcpWnd = 32768;
        o.tcpSndBuf = 32768;
        o.tcpOooMaxBytes = 32768;
        client = new Stack(o);
        server = new Stack(o);
        Tcp.install(client);
        Tcp.install(server);
        client.addNetif(new Netif("mem0", 1500, wire.a()).configure(CLIENT, Ip4Addr.maskOf(24), 0));
        server.addNetif(new Netif("mem0", 1500, wire.b()).configure(SERVER, Ip4Addr.maskOf(24), 0));
        Clock clock = Clock.system();
        st = new StackThread(client, clock, 16, 1).addSource(() -> {
            int n = wire.pump();
            server.timers(clock.nowMillis());
            return n > 0;
        });
    }

    TwoStacks start() {
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
