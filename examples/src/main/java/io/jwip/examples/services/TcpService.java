package io.jwip.examples.services;

import io.jwip.Err;
import io.jwip.Stack;
import io.jwip.tcp.Tcp;
import io.jwip.tcp.TcpAccept;
import io.jwip.tcp.TcpPcb;

/**
 * Base of the small TCP services on the raw API: a listener and a fixed pool of per-connection objects
 * made at start (as many as the stack has TCP control blocks), so that serving allocates nothing per
 * connection. A connection beyond the pool is refused (the stack sends RST) and counted.
 */
public abstract class TcpService implements TcpAccept {
    protected final Stack stack;
    protected final Tcp tcp;
    private final Conn[] conns;
    private TcpPcb listener;
    private long accepted;
    private long refused;

    /** One connection's state; subclasses add theirs. */
    protected abstract static class Conn {
        TcpPcb pcb;
        boolean inUse;

        public TcpPcb pcb() {
            return pcb;
        }
    }

    protected TcpService(Stack stack) {
        this.stack = stack;
        this.tcp = Tcp.of(stack);
        int n = Math.max(1, stack.options().tcpPcbs);
        this.conns = new Conn[n];
        for (int i = 0; i < n; i++) {
            conns[i] = newConn();
        }
    }

    /** Makes one connection object (at start only). */
    protected abstract Conn newConn();

    /** A connection was accepted into {@code c}: set its callbacks and start. */
    protected abstract void opened(Conn c);

    /** Listens on {@code port} (any address). */
    public int start(int port) {
        TcpPcb l = tcp.newListener();
        if (l == null) {
            return Err.MEM;
        }
        int e = tcp.bind(l, 0, port);
        if (e == Err.OK) {
            e = tcp.listen(l, 0);
        }
        if (e != Err.OK) {
            tcp.close(l);
            return e;
        }
        tcp.accept(l, this);
        listener = l;
        return Err.OK;
    }

    /** Stops listening (connections in progress go on). */
    public void stop() {
        if (listener != null) {
            tcp.close(listener);
            listener = null;
        }
    }

    @Override
    public final int accept(TcpPcb l, TcpPcb pcb) {
        for (Conn c : conns) {
            if (!c.inUse) {
                c.inUse = true;
                c.pcb = pcb;
                tcp.arg(pcb, c);
                accepted++;
                opened(c);
                return Err.OK;
            }
        }
        refused++;
        return Err.MEM;
    }

    /** Gives a connection object back (after close, abort or an error callback). */
    protected final void release(Conn c) {
        c.pcb = null;
        c.inUse = false;
    }

    /** Closes gracefully, aborting if the stack cannot queue the FIN now; then releases {@code c}. */
    protected final void closeConn(Conn c) {
        if (c.pcb != null && tcp.close(c.pcb) != Err.OK) {
            tcp.abort(c.pcb);
        }
        release(c);
    }

    public long accepted() {
        return accepted;
    }

    public long refused() {
        return refused;
    }

    /** Connections open now. */
    public int open() {
        int n = 0;
        for (Conn c : conns) {
            if (c.inUse) {
                n++;
            }
        }
        return n;
    }
}
