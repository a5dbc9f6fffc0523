package io.jwip.examples.services;

import io.jwip.Err;
import io.jwip.stack.Stack;
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
 *
 * <h2>Hostile clients</h2>
 * A service's connections are the device's control blocks, so one client must not be able to hold them
 * all: {@link #setMaxPerClient} bounds the connections from one address (more are refused with a RST and
 * counted), and {@link #setTimeouts} bounds how long a connection may take to send its first request
 * (slowloris: headers a byte at a time) and how long it may go without progress while the service writes
 * (a reader that keeps its window closed while the application still holds the connection; once the
 * service closes, TCP's own persist give-up bounds it). Expired connections are aborted in {@link #poll()},
 * which reports when it must run next ({@link #nextDeadline()}).
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
    private int maxPerClient;
    private long refusedPerClient;
    private long firstDataTimeoutMs;
    private long idleTimeoutMs;
    private long timedOut;
    private long shed;
    private long lastRefusedNoPcb;
    /** No connection's deadline is earlier than this (a lower bound; NO_DEADLINE when none is set). */
    private long earliest = Stack.NO_DEADLINE;

    /** One connection's state; subclasses add theirs. */
    protected abstract static class Conn {
        TcpPcb pcb;
        boolean inUse;
        /** Write failed for lack of pool memory with nothing in flight: resume from {@link #poll()}. */
        boolean memWait;
        /** Closing, but the FIN could not be queued yet (no memory): {@link #poll()} tries again. */
        boolean closePending;
        /** Time (the stack's clock) the connection is aborted unless it makes progress; 0: none. */
        long deadline;
        /** Accepted and no request yet ({@link #requestStarted} not called): the first to shed. */
        boolean awaitingRequest;
        long acceptedAt;

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
        this.maxPerClient = n;
    }

    /**
     * Connections one client address may have open at once; more are refused (RST) and counted in
     * {@link #refusedPerClient()}. Default: every control block.
     */
    public TcpService setMaxPerClient(int n) {
        maxPerClient = Math.max(1, n);
        return this;
    }

    /**
     * @param firstDataMs time a new connection has to make its first request ({@link #requestStarted}
     *                    ends it), 0 for none
     * @param idleMs      time the service may wait for progress ({@link #progress}) once it serves the
     *                    request, 0 for none
     */
    public TcpService setTimeouts(long firstDataMs, long idleMs) {
        firstDataTimeoutMs = Math.max(0, firstDataMs);
        idleTimeoutMs = Math.max(0, idleMs);
        return this;
    }

    /** The request is complete: from now the idle timeout applies. */
    protected final void requestStarted(Conn c) {
        c.awaitingRequest = false;
        arm(c, idleTimeoutMs);
    }

    /** The connection made progress (the peer acknowledged data): its idle timeout starts again. */
    protected final void progress(Conn c) {
        if (c.deadline != 0) {
            arm(c, idleTimeoutMs);
        }
    }

    private void arm(Conn c, long ms) {
        c.deadline = ms > 0 ? stack.now() + ms : 0;
        if (c.deadline != 0 && c.deadline < earliest) {
            earliest = c.deadline;
        }
    }

    /** The connection timed out: the subclass lets go of its resources (the service aborts it after). */
    protected void timedOut(Conn c) {
    }

    /**
     * When {@link #poll()} must run next for a timeout (the stack's clock), or Stack.NO_DEADLINE. A
     * connection waiting for memory needs no deadline: memory is freed only on the stack's thread, in a turn
     * of its loop (an ACK, a timer), and the loop polls the services after every turn.
     */
    public long nextDeadline() {
        return earliest;
    }

    /** Connections refused because their client had {@link #setMaxPerClient} open already. */
    public long refusedPerClient() {
        return refusedPerClient;
    }

    /** Connections aborted by a timeout ({@link #setTimeouts}). */
    public long timedOut() {
        return timedOut;
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
        if (stack.now() >= earliest) {
            expire();
        }
        if (firstDataTimeoutMs > 0 && tcp.stats().refusedNoPcb() != lastRefusedNoPcb) {
            lastRefusedNoPcb = tcp.stats().refusedNoPcb();
            shedOne();
        }
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

    /**
     * TCP just turned a connection away for want of a control block: every one is held. Idle connections
     * that have not made their request are what slowloris and connection-depletion attacks hold, so the
     * oldest of ours goes (the refused peer's retransmission then finds a control block). Connections
     * that are being served are never shed.
     */
    private void shedOne() {
        Conn oldest = null;
        for (Conn c : conns) {
            if (c.inUse && c.awaitingRequest && c.pcb != null && (oldest == null || c.acceptedAt < oldest.acceptedAt)) {
                oldest = c;
            }
        }
        if (oldest != null) {
            shed++;
            TcpPcb p = oldest.pcb;
            timedOut(oldest);
            release(oldest);
            tcp.abort(p);
        }
    }

    /** Idle connections shed because a new one found no control block. */
    public long shedConnections() {
        return shed;
    }

    /** Aborts the connections whose deadline passed; finds the next deadline. */
    private void expire() {
        long now = stack.now();
        long next = Stack.NO_DEADLINE;
        for (Conn c : conns) {
            if (!c.inUse || c.deadline == 0) {
                continue;
            }
            if (now >= c.deadline) {
                timedOut++;
                TcpPcb p = c.pcb;
                timedOut(c);
                release(c);
                if (p != null) {
                    tcp.abort(p);
                }
            } else if (c.deadline < next) {
                next = c.deadline;
            }
        }
        earliest = next;
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
        int same = 0;
        for (Conn c : conns) {
            if (c.inUse && c.pcb != null && c.pcb.remoteAddr() == pcb.remoteAddr()) {
                same++;
            }
        }
        if (same >= maxPerClient) {
            refusedPerClient++;
            return Err.ABRT;
        }
        for (Conn c : conns) {
            if (!c.inUse) {
                c.inUse = true;
                c.pcb = pcb;
                tcp.arg(pcb, c);
                accepted++;
                c.awaitingRequest = true;
                c.acceptedAt = stack.now();
                arm(c, firstDataTimeoutMs);
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
        c.deadline = 0;
        c.awaitingRequest = false;
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
