package io.jwip.port.socket;

import io.jwip.Err;
import io.jwip.port.threaded.Call;
import io.jwip.port.threaded.StackThread;
import io.jwip.stack.Stack;
import io.jwip.tcp.Tcp;
import io.jwip.tcp.TcpAccept;
import io.jwip.tcp.TcpPcb;

import java.io.IOException;
import java.net.SocketException;

/**
 * A blocking TCP listening socket on the threaded port, after {@code java.net.ServerSocket}: bind with a
 * backlog, accept (honouring {@code SO_TIMEOUT}), close. Connections that reach ESTABLISHED wait in a
 * fixed ring of {@code backlog} entries until accepted; when it is full the stack refuses (and counts)
 * further connections.
 */
public final class JwipServerSocket extends StackSocket {
    private static final String KIND = "server socket";
    private final Stack stack;
    private final Tcp tcp;

    // ---- stack thread
    private TcpPcb listener;
    private JwipSocket[] ready;
    private int readyHead;
    private int readyCount;
    private AcceptCall parkedAccept;

    // ---- application thread
    private int localPort;
    private final BindCall bindCall = new BindCall();
    private final AcceptCall acceptCall = new AcceptCall();
    private final CloseCall closeCall = new CloseCall();

    public JwipServerSocket(StackThread st) {
        this(st, st.stack());
    }

    /** A server socket on {@code stack}, one of the stacks {@code st} owns ({@link StackThread#addStack}). */
    public JwipServerSocket(StackThread st, Stack stack) {
        super(st, KIND);
        if (!st.owns(stack)) {
            throw new IllegalArgumentException("the stack thread does not own that stack (StackThread.addStack)");
        }
        this.stack = stack;
        this.tcp = Tcp.of(stack);
    }

    /** Binds to {@code port} on any address and listens. */
    public JwipServerSocket(StackThread st, int port, int backlog) throws IOException {
        this(st);
        bind(0, port, backlog);
    }

    /**
     * Binds to a local address (0 = any) and port (0 = ephemeral) and starts listening.
     *
     * @param backlog connections that may wait to be accepted (0: the stack's default)
     */
    public void bind(int addr, int port, int backlog) throws IOException {
        if (closed) {
            throw new SocketException("socket closed");
        }
        bindCall.addr = addr;
        bindCall.port = port;
        bindCall.backlog = backlog <= 0 ? stack.options().tcpBacklog : backlog;
        int r = run(bindCall, 0);
        if (r != Err.OK) {
            throw SocketErrors.of(r, "bind");
        }
    }

    /** Waits for a connection. */
    public JwipSocket accept() throws IOException {
        if (closed) {
            throw new SocketException("socket closed");
        }
        int r = run(acceptCall, soTimeout);
        if (r == Call.TIMED_OUT) {
            throw SocketErrors.timeout("accept", soTimeout);
        }
        if (r != Err.OK) {
            throw SocketErrors.of(r, "accept");
        }
        JwipSocket s = acceptCall.socket;
        acceptCall.socket = null;
        return s;
    }

    public int getLocalPort() {
        return localPort;
    }

    @Override
    Call closer() {
        return closeCall;
    }

    // ================================================================ stack thread

    private final TcpAccept onAccept = new TcpAccept() {
        @Override
        public int accept(TcpPcb l, TcpPcb pcb) {
            if (readyCount == ready.length) {
                return Err.MEM;
            }
            // One socket object per connection (not per read or write).
            JwipSocket s = new JwipSocket(st, stack, pcb);
            ready[(readyHead + readyCount) % ready.length] = s;
            readyCount++;
            if (parkedAccept != null) {
                AcceptCall c = parkedAccept;
                parkedAccept = null;
                c.attempt();
            }
            return Err.OK;
        }
    };

    private final class BindCall extends Call {
        int addr;
        int port;
        int backlog;

        @Override
        protected void execute() {
            if (listener != null) {
                complete(Err.ISCONN);
                return;
            }
            TcpPcb l = tcp.newListener();
            if (l == null) {
                complete(Err.MEM);
                return;
            }
            int e = tcp.bind(l, addr, port);
            if (e == Err.OK) {
                e = tcp.listen(l, backlog);
            }
            if (e != Err.OK) {
                tcp.close(l);
                complete(e);
                return;
            }
            ready = new JwipSocket[backlog];
            tcp.accept(l, onAccept);
            listener = l;
            localPort = l.localPort();
            complete(Err.OK);
        }
    }

    private final class AcceptCall extends Call {
        JwipSocket socket;

        @Override
        protected void execute() {
            attempt();
        }

        void attempt() {
            if (listener == null) {
                complete(Err.CLSD);
                return;
            }
            if (readyCount == 0) {
                parkedAccept = this;
                return;
            }
            JwipSocket s = ready[readyHead];
            socket = s;
            if (complete(Err.OK)) {
                ready[readyHead] = null;
                readyHead = (readyHead + 1) % ready.length;
                readyCount--;
            } else {
                socket = null;
            }
        }
    }

    private final class CloseCall extends Call {
        @Override
        protected void execute() {
            if (parkedAccept != null) {
                parkedAccept.complete(Err.CLSD);
                parkedAccept = null;
            }
            while (readyCount > 0) {
                ready[readyHead].abortUnaccepted();
                ready[readyHead] = null;
                readyHead = (readyHead + 1) % ready.length;
                readyCount--;
            }
            if (listener != null) {
                tcp.close(listener);
                listener = null;
            }
            complete(Err.OK);
        }
    }
}
