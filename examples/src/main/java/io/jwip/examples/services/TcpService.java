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
 *
 * <h2>Waiting for memory</h2>
 * A writer normally resumes from its {@code sent} callback. But {@code Tcp.write} also fails with
 * {@code Err.MEM} when the stack-wide segment or buffer pool is empty (other connections hold it); if
 * none of the connection's own data is in flight then, no {@code sent} callback will ever come for it and
 * it would stall for good (the raw API has no poll callback yet, lwIP's {@code tcp_poll}). Such a
 * connection calls {@link #waitForMemory}; {@link #poll()} resumes it, and is called from every
 * connection's {@code sent} callback (an acknowledgement has just freed memory) and by whoever drives the
 * stack, once per loop turn (the command line's runner does, see {@link Services#poll()}).
 */
public abstract class TcpService implements TcpAccept {
    protected final Stack stack;
    protected final Tcp tcp;
    private final Conn[] conns;
    private TcpPcb listener;
    private long accepted;
    private long refused;
    /** Connections marked {@link Conn#memWait} or {@link Conn#closePending} since the last
     *  {@link #poll()}; 0 makes poll free. */
    private int waiting;
    private long memWaits;
    private long closeWaits;

    /** One connection's state; subclasses add theirs. */
    protected abstract static class Conn {
        TcpPcb pcb;
        boolean inUse;
        /** Write failed for lack of pool memory with nothing in flight: resume from {@link #poll()}. */
        boolean memWait;
        /** Closing, but the FIN could not be queued yet (no memory): {@link #poll()} tries again. */
        boolean closePending;

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

    /** Continues writing on {@code c} after it waited for memory (see {@link #waitForMemory}). */
    protected abstract void resume(Conn c);

    /**
     * {@code c} could not write for lack of pool memory. If none of its data is in flight no {@code sent}
     * callback will wake it, so it is marked to be resumed by {@link #poll()}.
     */
    protected final void waitForMemory(Conn c) {
        if (c.pcb != null && c.pcb.sendQueued() == 0 && !c.memWait) {
            c.memWait = true;
            waiting++;
            memWaits++;
        }
    }

    /**
     * Resumes the connections waiting for memory (on the stack's thread). Cheap when none waits: call it
     * from any place where memory may have been freed, and once per loop turn.
     */
    public final void poll() {
        if (waiting == 0) {
            return;
        }
        waiting = 0;
        for (Conn c : conns) {
            if (c.inUse && c.closePending) {
                c.closePending = false;
                c.memWait = false;
                closeConn(c); // may mark it again
            } else if (c.inUse && c.memWait) {
                c.memWait = false;
                resume(c); // may mark it again
            }
        }
    }

    /** Whether {@code c} is closing and waits for memory to queue its FIN: write nothing more on it. */
    protected static boolean closing(Conn c) {
        return c.closePending;
    }

    /**
     * Times a connection was found waiting for pool memory with nothing in flight; a wait that lasts
     * over several polls counts once per poll that found the pool still short.
     */
    public long memWaits() {
        return memWaits;
    }

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
        c.memWait = false;
        c.closePending = false;
    }

    /**
     * Closes gracefully and releases {@code c}. When the stack has no memory for the FIN right now
     * ({@code Err.MEM}) the connection stays and {@link #poll()} tries again: aborting instead would send
     * a RST, and a peer that receives a RST throws away whatever it has not read yet (Linux does), so a
     * complete response could be lost at the last moment. Any other error aborts.
     */
    protected final void closeConn(Conn c) {
        if (c.pcb == null) {
            release(c);
            return;
        }
        int e = tcp.close(c.pcb);
        if (e == Err.MEM) {
            if (!c.closePending) {
                c.closePending = true;
                waiting++;
                closeWaits++;
            }
            return;
        }
        if (e != Err.OK) {
            tcp.abort(c.pcb);
        }
        release(c);
    }

    /** Times a close had to wait for memory to queue the FIN. */
    public long closeWaits() {
        return closeWaits;
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
