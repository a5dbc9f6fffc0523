package io.jwip.tcp;

import io.jwip.Err;
import io.jwip.JwipOptions;
import io.jwip.StackTime;
import io.jwip.ip.Ip4;
import io.jwip.ip.IpRx;
import io.jwip.ip.Routes;
import io.jwip.stack.Stack;
import io.jwip.buf.Pbuf;
import io.jwip.buf.PbufPool;
import io.jwip.ip.IpProtocol;
import io.jwip.mem.Pool;
import io.jwip.netif.Netif;
import io.jwip.stats.Stats;
import io.jwip.wire.Ip4Addr;
import io.jwip.wire.TcpFlags;
import io.jwip.wire.TcpHeader;

/**
 * TCP (RFC 9293) with lwIP's raw API: control blocks, segment descriptors and buffers from fixed pools,
 * callbacks instead of threads, an error code from every call.
 *
 * <h2>Using it</h2>
 * <pre>
 *   Tcp tcp = Tcp.install(stack);
 *   TcpPcb l = tcp.newListener();  tcp.bind(l, 0, 80);  tcp.listen(l, 4);  tcp.accept(l, myAccept);
 *   TcpPcb c = tcp.newPcb();  tcp.recv(c, myRecv);  tcp.connect(c, addr, 80, myConnected);
 *   tcp.write(c, bytes, 0, n);   // copies into pool buffers; Err.MEM when the send buffer is full
 *   tcp.recved(c, n);            // after consuming n received bytes: opens the window
 *   tcp.close(c);
 * </pre>
 *
 * <h2>Structure</h2>
 * This class is the raw API and wires TCP's parts together; each part is handed the others it needs:
 * <ul>
 *   <li>{@code TcpTable}: every control block and where it is (lists, lookup, allocation and reclaim,
 *       the one place a state changes, death, release, the compact TIME_WAIT table);</li>
 *   <li>{@code TcpInput}: segment arrival in the order of RFC 9293 3.10.7, on a parsed {@code TcpSegment};
 *       {@code TcpPassive}: the TIME_WAIT table's and the listeners' segments, SYN cookies;
 *       {@code TcpReceive}: segment text and FIN; {@code TcpEvents}: the application's callbacks, collected
 *       during input and fired once at its end;</li>
 *   <li>{@code TcpOutput}: send queues, windows, (re)transmission, persist; {@code TcpControl}: ACKs,
 *       probes, RSTs, challenge ACKs;</li>
 *   <li>{@code Congestion} (NewReno), {@code RttEstimator} (RFC 6298), {@code OutOfOrderQueue},
 *       {@code SynOptions} (the handshake's options), {@code TcpIsn} (RFC 6528 ISNs and cookie keys) and
 *       {@code TcpTimers};</li>
 *   <li>{@link TcpStats} ({@link #stats()}): the counters, per state, per reclaim reason and per event.</li>
 * </ul>
 * The trace listener sees every segment and every transition.
 *
 * <h2>Bounded teardown</h2>
 * No state but LISTEN, an idle ESTABLISHED and CLOSE_WAIT holds a connection without a bound
 * ({@link TcpBounds}); TIME_WAIT holds no buffers and no control block; when a new connection needs a pcb and
 * the pool is empty a closing one is reclaimed (see the README, "Nothing held forever").
 *
 * <h2>Performance features</h2>
 * Congestion control (RFC 5681 slow start and congestion avoidance, RFC 6928 initial window, RFC 6582
 * NewReno fast retransmit and recovery), Nagle's algorithm ({@link #setNoDelay}), delayed ACKs, sender and
 * receiver silly-window avoidance and the persist timer; window scaling and timestamps (RFC 7323) are
 * negotiated in the SYNs.
 */
public final class Tcp implements IpProtocol {

    /** Reclaim reasons, for {@link TcpStats#reclaimed(int)}. */
    public static final int RECLAIM_LAST_ACK = 0;
    public static final int RECLAIM_CLOSING = 1;
    public static final int RECLAIM_FIN_WAIT_2 = 2;
    public static final int RECLAIM_FIN_WAIT_2_TIMEOUT = 3;
    public static final int RECLAIM_TIME_WAIT_RECYCLED = 4;
    public static final int RECLAIM_SYN_RCVD = 5;

    final StackTime time;
    final Ip4 ip;
    final Routes routes;
    final PbufPool pbufs;
    final JwipOptions opt;
    final Stats stats;
    final Pool segPool;
    final TcpInput in;
    final TcpOutput out;
    /** Bare ACKs, probes, RSTs, cookie SYN,ACKs. */
    final TcpControl ctl;
    final TcpTimers timers;
    /** Congestion control (RFC 5681, 6582, 6928) and RTT estimation (RFC 6298, 7323). */
    final Congestion cc;
    final RttEstimator rtt;
    /** Every connection's out-of-order data, with its bounds. */
    final OutOfOrderQueue ooo;
    /**
     * Packet buffers that segments waiting for an acknowledgement must leave free, so that the
     * acknowledgements can be received: {@link JwipOptions#tcpRxPbufReserve}, at most a quarter of the pool.
     */
    final int rxReserve;

    /** Every control block and where it is: lists, lookup, lifecycle, TIME_WAIT table. */
    final TcpTable table;

    TcpTrace trace;
    /** Initial sequence numbers and SYN cookies, under the port's secret. */
    final TcpIsn isn;


    /** Counters, the stats section and the netstat table. */
    final TcpStats st;


    /** The options of a handshake: the one place they are agreed. */
    final SynOptions syn;

    private Tcp(JwipOptions opt, Stats stats, PbufPool pbufs, StackTime time, Ip4 ip) {
        this.opt = opt;
        this.stats = stats;
        this.pbufs = pbufs;
        this.time = time;
        this.ip = ip;
        this.routes = ip.routes();
        st = new TcpStats(this);
        isn = new TcpIsn(time);
        table = new TcpTable(opt, time, st);
        segPool = new Pool("TCP_SEG", 0);
        for (int i = 0; i < opt.tcpSegs; i++) {
            segPool.add(new TcpSeg());
        }
        stats.addPool(table.pcbPool);
        stats.addPool(table.listenPool);
        stats.addPool(segPool);
        rxReserve = opt.tcpRxPbufReserve < opt.pbufs / 4 ? opt.tcpRxPbufReserve : opt.pbufs / 4;
        syn = new SynOptions(opt);
        cc = new Congestion(opt, st);
        rtt = new RttEstimator(opt, time);
        ooo = new OutOfOrderQueue(this, opt.pbufs);
        // Out-of-order data is a cache the peers can send again: when the buffer pool runs dry it goes first.
        pbufs.setReclaimer(ooo);
        out = new TcpOutput(this);
        ctl = new TcpControl(this, out);
        out.setControl(ctl);
        in = new TcpInput(this);
        timers = new TcpTimers(this);
        table.connect(out, ctl, timers);
        stats.addSection(st);
    }

    /** Builds the TCP layer of {@code stack}, with all its pools, and installs it. Once, at start-up. */
    public static Tcp install(Stack stack) {
        Tcp t = new Tcp(stack.options(), stack.stats(), stack.pbufPool(), stack.time(), stack.ip());
        stack.setTcp(t);
        return t;
    }

    /** The TCP layer installed on {@code stack}, or null. */
    public static Tcp of(Stack stack) {
        return stack.tcp() instanceof Tcp ? (Tcp) stack.tcp() : null;
    }


    /** Installs a trace listener (null: none). */
    public void setTrace(TcpTrace t) {
        this.trace = t;
        table.trace = t;
    }

    /**
     * Sets the 128-bit secret of the initial sequence number function (RFC 6528 section 3). The port
     * supplies it from a good random source at start-up; core computes the hash itself.
     */
    public void setIsnSecret(long k0, long k1) {
        isn.setSecret(k0, k1);
    }

    /** True once {@link #setIsnSecret} was called. */
    public boolean isnKeyed() {
        return isn.keyed();
    }

    // ================================================================ IpProtocol

    @Override
    public void input(Pbuf p, IpRx rx) {
        in.input(p, rx);
    }

    @Override
    public long timers(long now) {
        return timers.run(now);
    }

    // ================================================================ raw API

    /**
     * A fresh pcb for an active open (lwIP's {@code tcp_new}). If the pool is empty a closing connection
     * is reclaimed first: LAST_ACK, then CLOSING, then FIN_WAIT_2 closed by the application, then a
     * half-open SYN_RCVD, the oldest first (TIME_WAIT lives in its own table and needs no pcb).
     *
     * @return the pcb (state CLOSED) or null when none can be had (counted by the pool)
     */
    public TcpPcb newPcb() {
        TcpPcb pcb = table.allocPcb();
        if (pcb != null) {
            pcb.appOwned = true;
        }
        return pcb;
    }

    /** A fresh listening pcb from the {@code TCP_PCB_LISTEN} pool, or null. Bind it, then {@link #listen}. */
    public TcpPcb newListener() {
        TcpPcb l = (TcpPcb) table.listenPool.take();
        if (l != null) {
            table.reset(l);
            l.appOwned = true;
        }
        return l;
    }



    /**
     * Binds to a local address (0 = any) and port (0 = an ephemeral one).
     *
     * @return {@link Err#OK}, {@link Err#USE} if the port is taken, {@link Err#VAL} if already bound or
     *         connected, {@link Err#ARG} for a bad port
     */
    public int bind(TcpPcb pcb, int addr, int port) {
        if (pcb == null || !pcb.isAllocated()) {
            return Err.ARG;
        }
        if (port < 0 || port > 65535) {
            return Err.ARG;
        }
        if (pcb.state != TcpState.CLOSED || pcb.where != TcpTable.IN_NONE) {
            return Err.VAL;
        }
        if (port == 0) {
            port = table.ephemeralPort();
            if (port == 0) {
                return Err.USE;
            }
        } else if (table.portInUse(addr, port)) {
            return Err.USE;
        }
        pcb.localAddr = addr;
        pcb.localPort = port;
        table.link(pcb, TcpTable.IN_BOUND);
        return Err.OK;
    }

    /**
     * Starts listening (CLOSED -&gt; LISTEN). {@code pcb} must come from {@link #newListener()} and be bound.
     *
     * @param backlog connections that may be in SYN_RCVD or wait for accept at once (0: the default
     *                {@link JwipOptions#tcpBacklog}, lowered to what is left); the backlogs of all listeners
     *                together may not exceed {@link JwipOptions#tcpPcbs}
     * @return {@link Err#OK}, {@link Err#VAL} if the pcb is not a bound listener, {@link Err#MEM} if the
     *         backlogs together would exceed the control-block pool
     */
    public int listen(TcpPcb pcb, int backlog) {
        if (pcb == null || !pcb.isAllocated()) {
            return Err.ARG;
        }
        if (!pcb.isListener || pcb.state != TcpState.CLOSED || pcb.where != TcpTable.IN_BOUND) {
            return Err.VAL;
        }
        // Half-open connections of all listeners together must fit the control-block pool: the backlogs
        // bound what a SYN flood can hold (beyond them SYN cookies take over, or the oldest is evicted).
        int room = opt.tcpPcbs;
        for (TcpPcb q = table.listeners; q != null; q = q.next) {
            room -= q.backlog;
        }
        int b = backlog > 0 ? backlog : opt.tcpBacklog < room ? opt.tcpBacklog : room;
        if (b < 1 || b > room) {
            return Err.MEM;
        }
        pcb.backlog = b;
        table.unlink(pcb);
        table.link(pcb, TcpTable.IN_LISTEN);
        table.changeState(pcb, TcpState.LISTEN, "passive open");
        return Err.OK;
    }

    /** Sets the accept callback of a listener. */
    public int accept(TcpPcb listener, TcpAccept cb) {
        if (listener == null || !listener.isListener) {
            return Err.ARG;
        }
        listener.accept = cb;
        return Err.OK;
    }

    /** Sets the callback that receives data (null: data is consumed and dropped). */
    public void recv(TcpPcb pcb, TcpRecv cb) { pcb.recv = cb; }
    /** Sets the callback told of acknowledged data. */
    public void sent(TcpPcb pcb, TcpSent cb) { pcb.sent = cb; }
    /** Sets the callback told when the connection dies. */
    public void err(TcpPcb pcb, TcpErr cb) { pcb.err = cb; }
    /** Sets the application's argument (passed to the error callback). */
    public void arg(TcpPcb pcb, Object arg) { pcb.arg = arg; }

    /**
     * Active open (CLOSED -&gt; SYN_SENT): binds to an ephemeral port if needed and sends a SYN.
     *
     * @param cb told when the connection is ESTABLISHED; failures go to the error callback
     * <p>On a listening pcb this is RFC 9293's SEND in LISTEN: the connection turns active from the
     * listener's own port, and connections it was still accepting are reset.
     *
     * @return {@link Err#OK} (the connect is under way), {@link Err#ISCONN}, {@link Err#VAL} for a
     *         listener that is not listening, {@link Err#RTE}, {@link Err#USE}, {@link Err#MEM}
     */
    public int connect(TcpPcb pcb, int addr, int port, TcpConnected cb) {
        if (pcb == null || !pcb.isAllocated() || port <= 0 || port > 65535) {
            return Err.ARG;
        }
        // RFC 9293 3.10.2, SEND in LISTEN: the passive connection becomes active and keeps its local port.
        boolean fromListen = pcb.isListener;
        if (fromListen && pcb.state != TcpState.LISTEN) {
            return Err.VAL;
        }
        if (!fromListen && (pcb.state != TcpState.CLOSED || pcb.where == TcpTable.IN_ACTIVE)) {
            return Err.ISCONN;
        }
        Netif n = routes.route(addr);
        if (n == null) {
            return Err.RTE;
        }
        int local = pcb.localAddr != 0 ? pcb.localAddr : routes.source(addr, n);
        int lport = pcb.localPort;
        if (pcb.where != TcpTable.IN_BOUND && !fromListen) {
            lport = table.ephemeralPort();
            if (lport == 0) {
                return Err.USE;
            }
        } else if (table.findActive(local, lport, addr, port) != null || table.tw.find(local, lport, addr, port) >= 0) {
            return Err.USE;
        }
        int ourMss = syn.ourMss(n);
        int iss = isn.next(local, lport, addr, port);
        int ws = syn.offer();
        pcb.tsOk = opt.tcpTimestamps; // offered; the SYN,ACK decides
        TcpSeg syn = out.newSeg(pcb, iss, 0, TcpFlags.SYN, ourMss, ws, lport, port);
        if (syn == null) {
            return Err.MEM;
        }
        if (fromListen) {
            table.abortChildren(pcb, "listener became active");
            pcb.isListener = false;
            pcb.accept = null;
        }
        table.unlink(pcb);
        pcb.localAddr = local;
        pcb.localPort = lport;
        pcb.remoteAddr = addr;
        pcb.remotePort = port;
        pcb.connected = cb;
        pcb.ourMss = ourMss;
        pcb.mss = ourMss < 536 ? ourMss : 536;
        pcb.iss = iss;
        pcb.sndUna = iss;
        pcb.sndNxt = iss;
        pcb.sndMax = iss;
        pcb.sndLbb = iss + 1;
        pcb.rcvWnd = opt.tcpWnd;
        pcb.rcvScale = ws > 0 ? ws : 0; // until the SYN,ACK says whether the peer scales too
        pcb.recover = iss;
        pcb.rto = opt.tcpRtoInitialMs;
        out.enqueue(pcb, syn);
        table.link(pcb, TcpTable.IN_ACTIVE);
        table.changeState(pcb, TcpState.SYN_SENT, "active open");
        out.output(pcb);
        return Err.OK;
    }

    /**
     * Queues {@code len} bytes of {@code data} from {@code off} for sending, copying them into buffers of
     * the pool (lwIP's {@code tcp_write} with copy), and sends what the window allows. All or nothing.
     *
     * @return {@link Err#OK}; {@link Err#MEM} when the send buffer ({@link JwipOptions#tcpSndBuf}), the
     *         {@code TCP_SEG} pool or the buffer pool cannot take it all now (retry after the sent
     *         callback); {@link Err#CONN} when not connected; {@link Err#CLSD} after shutdown or close
     */
    public int write(TcpPcb pcb, byte[] data, int off, int len) {
        if (pcb == null || !pcb.isAllocated() || data == null || off < 0 || len < 0 || off + len > data.length
                || off + len < 0) {
            return Err.ARG;
        }
        int s = pcb.state;
        if (pcb.finQueued || pcb.appClosed) {
            return Err.CLSD;
        }
        if (s != TcpState.ESTABLISHED && s != TcpState.CLOSE_WAIT && s != TcpState.SYN_SENT
                && s != TcpState.SYN_RCVD) {
            return Err.CONN;
        }
        if (len == 0) {
            return Err.OK;
        }
        int err = out.write(pcb, data, off, len);
        if (err == Err.OK && !in.busy(pcb)) {
            // From a callback during input the data waits for the end of that input: the segment being
            // processed may still change the window (its ACK came first, its window update after).
            out.output(pcb);
        }
        return err;
    }

    /**
     * Sends whatever queued data the window allows, and a pending ACK (lwIP's {@code tcp_output}). From a
     * callback during input it does nothing: output follows at the end of that input.
     */
    public int output(TcpPcb pcb) {
        if (pcb == null || !pcb.isAllocated()) {
            return Err.ARG;
        }
        if (pcb.where == TcpTable.IN_ACTIVE && !in.busy(pcb)) {
            out.output(pcb);
        }
        return Err.OK;
    }

    /**
     * Switches Nagle's algorithm off ({@code true}, like TCP_NODELAY: every write goes out as soon as the
     * windows allow) or back on ({@code false}, the default: a small segment waits while data is in flight).
     */
    public int setNoDelay(TcpPcb pcb, boolean noDelay) {
        if (pcb == null || !pcb.isAllocated()) {
            return Err.ARG;
        }
        pcb.noDelay = noDelay;
        if (noDelay && pcb.where == TcpTable.IN_ACTIVE && !in.busy(pcb)) {
            out.output(pcb);
        }
        return Err.OK;
    }

    /**
     * Switches keepalive (RFC 1122 4.2.3.6) on or off for one connection: after
     * {@link JwipOptions#tcpKeepIdleMs} without a segment from the peer a probe goes out every
     * {@link JwipOptions#tcpKeepIntervalMs}; after {@link JwipOptions#tcpKeepCount} unanswered probes the
     * connection is reset and the error callback hears {@link Err#TIMEOUT}.
     */
    public int setKeepAlive(TcpPcb pcb, boolean on) {
        if (pcb == null || !pcb.isAllocated()) {
            return Err.ARG;
        }
        pcb.keepAlive = on;
        pcb.keepProbes = 0;
        pcb.keepDeadline = 0;
        if (on && pcb.where == TcpTable.IN_ACTIVE && TcpState.synchronised(pcb.state)) {
            timers.keepIdle(pcb);
        }
        return Err.OK;
    }



    /** Room left in the send buffer, in bytes (lwIP's {@code tcp_sndbuf}). */
    public int sndBuf(TcpPcb pcb) {
        return opt.tcpSndBuf - pcb.sndBuffered;
    }

    /**
     * The application consumed {@code len} received bytes: the receive window opens by as much, and a
     * window update is sent when it opened by enough to matter (lwIP's {@code tcp_recved}).
     */
    public int recved(TcpPcb pcb, int len) {
        if (pcb == null || !pcb.isAllocated() || len < 0) {
            return Err.ARG;
        }
        long w = (long) pcb.rcvWnd + len; // below 0 by less than a scale unit after a rounded-up window
        pcb.rcvWnd = w > opt.tcpWnd ? opt.tcpWnd : (int) w;
        if (pcb.where == TcpTable.IN_ACTIVE && TcpState.synchronised(pcb.state)) {
            // Receiver SWS avoidance (RFC 9293 3.8.6.2.2): a window update goes out only when the right
            // edge can move by min(RCV.BUFF/2, MSS); smaller openings wait for the next segment we send.
            // It goes at once when the peer sees less than half of what we could take now (a window
            // that had closed, or the app consumed late); otherwise it rides on the next ACK, at the
            // latest the delayed one, so that a reader that consumes each segment as it arrives does not
            // undo delayed ACKs.
            if (out.windowUpdateWorthIt(pcb)) {
                if (opt.tcpAckDelayMs == 0 || pcb.rcvAnnRight - pcb.rcvNxt < pcb.rcvWnd / 2) {
                    pcb.ackNow = true;
                    if (!in.busy(pcb)) {
                        out.output(pcb);
                    }
                } else {
                    out.delayAck(pcb);
                }
            }
        }
        return Err.OK;
    }

    /**
     * Closes the connection in the application's name: the FIN is queued after any data and the pcb is
     * given back once the connection is over (or it moves to the TIME_WAIT table). The application must
     * not use the pcb afterwards; no callback is called any more.
     *
     * @return {@link Err#OK}, or {@link Err#MEM} when no segment for the FIN could be had (nothing changed;
     *         try again)
     */
    public int close(TcpPcb pcb) {
        if (pcb == null || !pcb.isAllocated()) {
            return Err.ARG;
        }
        switch (pcb.state) {
            case TcpState.CLOSED:
                table.unlink(pcb);
                table.freePcb(pcb);
                return Err.OK;
            case TcpState.LISTEN:
                table.closeListener(pcb);
                return Err.OK;
            case TcpState.SYN_SENT:
                table.changeState(pcb, TcpState.CLOSED, "close");
                table.release(pcb);
                table.freePcb(pcb);
                return Err.OK;
            default:
                break;
        }
        if (!pcb.finQueued) {
            int err = shutdownTx(pcb, "close");
            if (err != Err.OK) {
                return err;
            }
        }
        pcb.appClosed = true;
        pcb.recv = null;
        pcb.sent = null;
        pcb.err = null;
        pcb.connected = null;
        if (pcb.state == TcpState.FIN_WAIT_2) {
            pcb.finWait2Deadline = table.finWait2Deadline();
        }
        if (!in.busy(pcb)) {
            out.output(pcb);
        }
        return Err.OK;
    }

    /**
     * Shuts down the receiving side (further data is acknowledged and discarded), the sending side (a FIN
     * follows the queued data; receiving goes on until the peer's FIN), or both (= {@link #close}).
     */
    public int shutdown(TcpPcb pcb, boolean rx, boolean tx) {
        if (pcb == null || !pcb.isAllocated()) {
            return Err.ARG;
        }
        if (rx && tx) {
            return close(pcb);
        }
        if (pcb.state == TcpState.LISTEN || pcb.state == TcpState.CLOSED) {
            return Err.CONN;
        }
        if (rx) {
            pcb.shutRx = true;
        }
        if (tx && !pcb.finQueued) {
            if (pcb.state == TcpState.SYN_SENT) {
                return Err.CONN;
            }
            int err = shutdownTx(pcb, "shutdown");
            if (err != Err.OK) {
                return err;
            }
            if (!in.busy(pcb)) {
                out.output(pcb);
            }
        }
        return Err.OK;
    }

    private int shutdownTx(TcpPcb pcb, String cause) {
        int next;
        switch (pcb.state) {
            case TcpState.SYN_RCVD:
            case TcpState.ESTABLISHED:
                next = TcpState.FIN_WAIT_1;
                break;
            case TcpState.CLOSE_WAIT:
                next = TcpState.LAST_ACK;
                break;
            default:
                return Err.OK;
        }
        if (!out.queueFin(pcb)) {
            return Err.MEM;
        }
        table.changeState(pcb, next, cause);
        return Err.OK;
    }

    /**
     * Aborts: sends RST if the connection is synchronised (or half-open) and gives the pcb back at once.
     * No callback is called.
     */
    public void abort(TcpPcb pcb) {
        if (pcb == null || !pcb.isAllocated()) {
            return;
        }
        if (pcb.state == TcpState.LISTEN) {
            table.closeListener(pcb);
            return;
        }
        if (pcb.state != TcpState.CLOSED && pcb.state != TcpState.SYN_SENT && pcb.where == TcpTable.IN_ACTIVE) {
            ctl.sendRst(pcb);
        }
        pcb.appClosed = true;
        pcb.err = null;
        if (pcb.state != TcpState.CLOSED) {
            table.changeState(pcb, TcpState.CLOSED, "abort");
        }
        table.release(pcb);
        if (pcb.isAllocated()) {
            table.unlink(pcb);
            table.freePcb(pcb);
        }
    }


    // ================================================================ lifecycle helpers













    // ================================================================ lists and lookup








    // ================================================================ stats

    /** TCP's counters: connections per state, reclaims per reason, and the events (retransmissions ...). */
    public TcpStats stats() {
        return st;
    }

    /** The per-state table, reclaim counters and other TCP counters (also part of the stack's dump). */
    public StringBuilder dumpStats(StringBuilder sb) {
        st.dump(sb, true);
        return sb;
    }

    /** Shows every connection, TIME_WAIT entries included, to {@code v}; allocates nothing. */
    public void forEachConnection(TcpConnectionVisitor v) {
        for (int list = 0; list < 3; list++) {
            TcpPcb head = list == 0 ? table.listeners : list == 1 ? table.active : table.bound;
            for (TcpPcb p = head; p != null; p = p.next) {
                v.connection(p.localAddr, p.localPort, p.remoteAddr, p.remotePort, p.state, p.sndBuffered,
                        (opt.tcpWnd - p.rcvWnd) + p.ooseqBytes);
            }
        }
        for (int i = 0; i < table.tw.capacity(); i++) {
            if (table.tw.expiry[i] != 0) {
                v.connection(table.tw.localAddr[i], table.tw.ports[i] >>> 16, table.tw.remoteAddr[i], table.tw.ports[i] & 0xffff,
                        TcpState.TIME_WAIT, 0, 0);
            }
        }
    }

    /**
     * A netstat-style table of every connection: local and remote end, state name, bytes waiting in the
     * send queue and bytes held by the application / out of order in the receive queue.
     */
    public StringBuilder netstat(StringBuilder sb) {
        return st.netstat(sb);
    }
}
