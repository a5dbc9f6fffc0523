package io.jwip.tcp;

import io.jwip.Err;
import io.jwip.JwipOptions;
import io.jwip.StackTime;
import io.jwip.mem.Pool;

/**
 * The connection table: every control block and where it is - the lists of connections (active: SYN_SENT
 * to LAST_ACK), listeners and bound pcbs, the compact TIME_WAIT table, lookup by 4-tuple and port - and its
 * life: allocation (reclaiming a closing connection when the pool is empty), the one place a state
 * changes ({@link #changeState}), death by RST or timeout ({@link #fail}), release, TIME_WAIT.
 *
 * <h2>Reclaiming</h2>
 * When a connection proven real needs a control block and the pool is empty, {@link #reclaim()} takes one
 * back: LAST_ACK, then CLOSING, then FIN_WAIT_2 closed by the application (each reset), then a half-open
 * SYN_RCVD (silently); oldest (longest in its state) first; counted per reason. A connection the
 * application still uses is never reclaimed.
 */
final class TcpTable {
    /** List membership of a pcb ({@link TcpPcb#where}). */
    static final int IN_NONE = 0;
    static final int IN_BOUND = 1;
    static final int IN_ACTIVE = 2;
    static final int IN_LISTEN = 3;

    private final JwipOptions opt;
    private final StackTime time;
    private final TcpStats st;
    final Pool pcbPool;
    final Pool listenPool;
    /** The compact TIME_WAIT table (no control block, no buffers). */
    final TcpTimeWait tw;
    /** Set once the other parts exist (they need the table too). */
    private TcpOutput out;
    private TcpControl ctl;
    private TcpTimers timers;
    TcpTrace trace;

    /** Connections: SYN_SENT through LAST_ACK. */
    TcpPcb active;
    /** Listening pcbs. */
    TcpPcb listeners;
    /** Bound pcbs not yet connected or listening. */
    TcpPcb bound;
    private int nextPort;

    // error callbacks deferred while a scan or a segment is processed: at most one per control block
    private boolean deferErrors;
    private final TcpErr[] errCb;
    private final Object[] errArg;
    private final int[] errCode;
    private int errCount;

    TcpTable(JwipOptions opt, StackTime time, TcpStats st) {
        this.opt = opt;
        this.time = time;
        this.st = st;
        pcbPool = new Pool("TCP_PCB", 0);
        for (int i = 0; i < opt.tcpPcbs; i++) {
            pcbPool.add(new TcpPcb());
        }
        listenPool = new Pool("TCP_PCB_LISTEN", 0);
        for (int i = 0; i < opt.tcpListeners; i++) {
            TcpPcb l = new TcpPcb();
            l.isListener = true;
            listenPool.add(l);
        }
        tw = new TcpTimeWait(opt.tcpTimeWait);
        nextPort = opt.ephemeralPortMin;
        errCb = new TcpErr[opt.tcpPcbs + opt.tcpListeners];
        errArg = new Object[errCb.length];
        errCode = new int[errCb.length];
    }

    void connect(TcpOutput out, TcpControl ctl, TcpTimers timers) {
        this.out = out;
        this.ctl = ctl;
        this.timers = timers;
    }

    /** A fresh listening pcb from the {@code TCP_PCB_LISTEN} pool, or null. */
    TcpPcb newListener() {
        TcpPcb l = (TcpPcb) listenPool.take();
        if (l != null) {
            reset(l);
        }
        return l;
    }

    /** Connections in {@code state} now (TIME_WAIT counts the table's entries). */
    int count(int state) {
        if (state == TcpState.TIME_WAIT) {
            return tw.count;
        }
        int n = 0;
        for (int list = 0; list < 3; list++) {
            TcpPcb head = list == 0 ? active : list == 1 ? listeners : bound;
            for (TcpPcb p = head; p != null; p = p.next) {
                if (p.state == state) {
                    n++;
                }
            }
        }
        return n;
    }

    TcpPcb allocPcb() {
        TcpPcb pcb = (TcpPcb) pcbPool.take();
        if (pcb == null && reclaim()) {
            pcb = (TcpPcb) pcbPool.take();
        }
        if (pcb != null) {
            reset(pcb);
        }
        return pcb;
    }

    void reset(TcpPcb pcb) {
        pcb.state = TcpState.CLOSED;
        pcb.localAddr = 0;
        pcb.localPort = 0;
        pcb.remoteAddr = 0;
        pcb.remotePort = 0;
        pcb.next = null;
        pcb.where = IN_NONE;
        pcb.stateSince = time.now();
        pcb.arg = null;
        pcb.recv = null;
        pcb.sent = null;
        pcb.err = null;
        pcb.connected = null;
        pcb.accept = null;
        pcb.appClosed = false;
        pcb.appOwned = false;
        pcb.shutRx = false;
        pcb.finQueued = false;
        pcb.finRcvd = false;
        pcb.ackNow = false;
        pcb.listener = null;
        pcb.pending = 0;
        pcb.backlog = 0;
        pcb.iss = 0;
        pcb.sndUna = 0;
        pcb.sndNxt = 0;
        pcb.sndMax = 0;
        pcb.sndLbb = 0;
        pcb.sndWnd = 0;
        pcb.sndWl1 = 0;
        pcb.sndWl2 = 0;
        pcb.sndBuffered = 0;
        pcb.mss = 536;
        pcb.ourMss = 536;
        pcb.irs = 0;
        pcb.rcvNxt = 0;
        pcb.rcvWnd = opt.tcpWnd;
        pcb.challengeStart = 0;
        pcb.challengeCount = 0;
        pcb.srtt8 = -1;
        pcb.rttvar4 = 0;
        pcb.rto = opt.tcpRtoInitialMs;
        pcb.rtoDeadline = 0;
        pcb.nrtx = 0;
        pcb.rttActive = false;
        pcb.finWait2Deadline = 0;
        pcb.cwnd = 536;
        pcb.ssthresh = 0x3fffffff;
        pcb.caAcked = 0;
        pcb.dupAcks = 0;
        pcb.inRecovery = false;
        pcb.recover = 0;
        pcb.maxSndWnd = 0;
        pcb.noDelay = false;
        pcb.rcvUnacked = 0;
        pcb.ackDeadline = 0;
        pcb.persistDeadline = 0;
        pcb.persistBackoff = 0;
        pcb.probes = 0;
        pcb.keepAlive = opt.tcpKeepalive;
        pcb.keepDeadline = 0;
        pcb.keepProbes = 0;
        pcb.sndScale = 0;
        pcb.rcvScale = 0;
        pcb.tsOk = false;
        pcb.tsRecent = 0;
        pcb.lastAckSent = 0;
        pcb.rcvAnnRight = 0;
        pcb.unsent = pcb.unsentTail = null;
        pcb.unacked = pcb.unackedTail = null;
        pcb.ooseq = null;
        pcb.ooseqBytes = 0;
        pcb.ooseqSegs = 0;
    }

    /**
     * The one place where a pcb changes state: records when (for oldest-first reclaiming) and tells the
     * trace listener. TIME_WAIT-table entries, which have no pcb, report through {@link #noteTransition}.
     */
    void changeState(TcpPcb pcb, int newState, String cause) {
        int old = pcb.state;
        pcb.state = newState;
        pcb.stateSince = time.now();
        if (trace != null) {
            trace.transition(pcb.localAddr, pcb.localPort, pcb.remoteAddr, pcb.remotePort, old, newState, cause);
        }
    }

    /** Tells the trace listener of a transition of a connection that has no pcb (TIME_WAIT table). */
    void noteTransition(int local, int lport, int remote, int rport, int oldState, int newState, String cause) {
        if (trace != null) {
            trace.transition(local, lport, remote, rport, oldState, newState, cause);
        }
    }

    /**
     * The connection died (RST, timeout, abort by the stack): CLOSED, queues freed, pcb given back at once,
     * and the application's error callback told (unless it had closed already).
     */
    void fail(TcpPcb pcb, int err, String cause) {
        if (pcb.state != TcpState.CLOSED) {
            changeState(pcb, TcpState.CLOSED, cause);
        }
        TcpErr cb = pcb.appClosed || !pcb.appOwned ? null : pcb.err;
        Object arg = pcb.arg;
        release(pcb);
        if (pcb.isAllocated()) {
            unlink(pcb);
            freePcb(pcb);
        }
        if (cb != null) {
            if (deferErrors && errCount < errCb.length) {
                errCb[errCount] = cb;
                errArg[errCount] = arg;
                errCode[errCount] = err;
                errCount++;
            } else {
                cb.err(arg, err);
            }
        }
    }

    /**
     * From now on error callbacks wait for {@link #fireDeferredErrors}: the timer scan walks the list of
     * connections, and an application that reacts to one connection's death by aborting another (a relay
     * closing its other leg) must not change that list under the scan.
     */
    void deferErrors() {
        deferErrors = true;
    }

    /** Fires the error callbacks collected since {@link #deferErrors}, in order, and stops deferring. */
    void fireDeferredErrors() {
        deferErrors = false;
        for (int i = 0; i < errCount; i++) {
            TcpErr cb = errCb[i];
            Object arg = errArg[i];
            errCb[i] = null;
            errArg[i] = null;
            cb.err(arg, errCode[i]);
        }
        errCount = 0;
    }

    /** Connections still in SYN_RCVD or waiting for accept die with their listener's passive role. */
    void abortChildren(TcpPcb l, String cause) {
        TcpPcb p = active;
        while (p != null) {
            TcpPcb nx = p.next;
            if (p.listener == l) {
                ctl.sendRst(p);
                fail(p, Err.ABRT, cause);
            }
            p = nx;
        }
    }

    /**
     * The connection is over (CLOSED or moved to the TIME_WAIT table): frees its queues, leaves the active
     * list, and gives the pcb back unless the application still holds it (then it stays detached and
     * CLOSED until {@code Tcp.close}).
     */
    void release(TcpPcb pcb) {
        out.freeQueues(pcb);
        pcb.rtoDeadline = 0;
        pcb.finWait2Deadline = 0;
        pcb.ackDeadline = 0;
        pcb.persistDeadline = 0;
        pcb.keepDeadline = 0;
        if (pcb.listener != null) {
            pcb.listener.pending--;
            pcb.listener = null;
        }
        unlink(pcb);
        if (pcb.state != TcpState.CLOSED) {
            pcb.state = TcpState.CLOSED; // moved to the TIME_WAIT table; the transition was traced there
        }
        if (pcb.appClosed || !pcb.appOwned) {
            freePcb(pcb);
        }
    }

    void freePcb(TcpPcb pcb) {
        if (pcb.isAllocated()) {
            pcb.gen++;
            pcb.recv = null;
            pcb.sent = null;
            pcb.err = null;
            pcb.connected = null;
            pcb.accept = null;
            pcb.arg = null;
            // A listener that became active (SEND in LISTEN) is a listener again in its pool.
            pcb.isListener = pcb.pool() == listenPool;
            pcb.pool().give(pcb);
        }
    }

    /**
     * Moves a connection whose FINs are both done into the TIME_WAIT table (after sending the ACK of the
     * peer's FIN if {@code ack}; CLOSING sent it already) and releases its pcb.
     */
    void enterTimeWait(TcpPcb pcb, String cause, boolean ack) {
        if (ack) {
            ctl.sendAck(pcb);
        }
        int i = tw.allocate();
        if (tw.expiry[i] != 0) {
            st.reclaimed[Tcp.RECLAIM_TIME_WAIT_RECYCLED]++;
            noteTransition(tw.localAddr[i], tw.ports[i] >>> 16, tw.remoteAddr[i], tw.ports[i] & 0xffff,
                    TcpState.TIME_WAIT, TcpState.CLOSED, "recycled (table full)");
        }
        tw.localAddr[i] = pcb.localAddr;
        tw.remoteAddr[i] = pcb.remoteAddr;
        tw.ports[i] = (pcb.localPort << 16) | pcb.remotePort;
        tw.sndNxt[i] = pcb.sndMax;
        tw.rcvNxt[i] = pcb.rcvNxt;
        tw.expiry[i] = timeWaitExpiry();
        timers.arm(tw.expiry[i]);
        changeState(pcb, TcpState.TIME_WAIT, cause);
        release(pcb);
    }

    long timeWaitExpiry() {
        long e = time.now() + 2L * opt.tcpMslMs;
        return e == 0 ? 1 : e;
    }

    long finWait2Deadline() {
        long e = time.now() + opt.tcpFinWait2TimeoutMs;
        e = e == 0 ? 1 : e;
        timers.arm(e);
        return e;
    }

    /**
     * Takes back one pcb from a connection the application no longer needs, in this order: LAST_ACK, then
     * CLOSING, then FIN_WAIT_2 closed by the application; within a state the oldest first. The victim is
     * reset (RST) and counted in {@link #reclaimed}.
     *
     * @return true if a pcb went back to the pool
     */
    boolean reclaim() {
        for (int pass = 0; pass < 4; pass++) {
            int state = pass == 0 ? TcpState.LAST_ACK : pass == 1 ? TcpState.CLOSING
                    : pass == 2 ? TcpState.FIN_WAIT_2 : TcpState.SYN_RCVD;
            TcpPcb victim = null;
            for (TcpPcb p = active; p != null; p = p.next) {
                if (p.state == state && (state != TcpState.FIN_WAIT_2 || p.appClosed)
                        && (state != TcpState.SYN_RCVD || p.listener != null)
                        && (victim == null || p.stateSince <= victim.stateSince)) { // ties: the older (later in the list)
                    victim = p;
                }
            }
            if (victim != null) {
                if (state == TcpState.SYN_RCVD) {
                    // A half-open passive connection (a SYN flood's, most likely): dropped without a word,
                    // as an evicted one; a real peer's ACK then meets a listener and gets a RST.
                    st.reclaimed[Tcp.RECLAIM_SYN_RCVD]++;
                    fail(victim, Err.ABRT, "reclaimed (half-open)");
                    return true;
                }
                st.reclaimed[pass]++;
                ctl.sendRst(victim);
                // An application that still held it (LAST_ACK after a shutdown) hears ERR_ABRT.
                fail(victim, Err.ABRT, "reclaimed");
                return true;
            }
        }
        return false;
    }

    void link(TcpPcb pcb, int where) {
        pcb.where = where;
        if (where == IN_ACTIVE) {
            pcb.next = active;
            active = pcb;
        } else if (where == IN_LISTEN) {
            pcb.next = listeners;
            listeners = pcb;
        } else if (where == IN_BOUND) {
            pcb.next = bound;
            bound = pcb;
        }
    }

    void unlink(TcpPcb pcb) {
        int where = pcb.where;
        if (where == IN_NONE) {
            return;
        }
        TcpPcb head = where == IN_ACTIVE ? active : where == IN_LISTEN ? listeners : bound;
        if (head == pcb) {
            head = pcb.next;
        } else {
            for (TcpPcb q = head; q != null; q = q.next) {
                if (q.next == pcb) {
                    q.next = pcb.next;
                    break;
                }
            }
        }
        if (where == IN_ACTIVE) {
            active = head;
        } else if (where == IN_LISTEN) {
            listeners = head;
        } else {
            bound = head;
        }
        pcb.next = null;
        pcb.where = IN_NONE;
    }

    TcpPcb findActive(int local, int lport, int remote, int rport) {
        for (TcpPcb p = active; p != null; p = p.next) {
            if (p.localPort == lport && p.remotePort == rport && p.remoteAddr == remote && p.localAddr == local) {
                return p;
            }
        }
        return null;
    }

    TcpPcb findListener(int local, int lport) {
        TcpPcb any = null;
        for (TcpPcb p = listeners; p != null; p = p.next) {
            if (p.localPort == lport) {
                if (p.localAddr == local) {
                    return p;
                }
                if (p.localAddr == 0) {
                    any = p;
                }
            }
        }
        return any;
    }

    boolean portInUse(int addr, int port) {
        for (int list = 0; list < 3; list++) {
            TcpPcb head = list == 0 ? active : list == 1 ? listeners : bound;
            for (TcpPcb p = head; p != null; p = p.next) {
                if (p.localPort == port && (addr == 0 || p.localAddr == 0 || p.localAddr == addr)) {
                    return true;
                }
            }
        }
        return false;
    }

    int ephemeralPort() {
        int range = opt.ephemeralPortMax - opt.ephemeralPortMin + 1;
        for (int tries = 0; tries < range; tries++) {
            int port = nextPort;
            nextPort = port == opt.ephemeralPortMax ? opt.ephemeralPortMin : port + 1;
            if (!portInUse(0, port) && !tw.usesLocalPort(port)) {
                return port;
            }
        }
        return 0;
    }

    void closeListener(TcpPcb l) {
        abortChildren(l, "listener closed");
        changeState(l, TcpState.CLOSED, "close");
        unlink(l);
        freePcb(l);
    }
}
