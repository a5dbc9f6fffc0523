package io.jwip.tcp;

import io.jwip.Err;
import io.jwip.JwipOptions;
import io.jwip.StackTime;
import io.jwip.buf.Pbuf;
import io.jwip.buf.PbufPool;
import io.jwip.ip.Routes;
import io.jwip.stats.Drop;
import io.jwip.stats.Stats;
import io.jwip.wire.TcpFlags;

/**
 * Segments that find no connection in the table (RFC 9293 3.10.7.1-3.10.7.2): those for the compact
 * TIME_WAIT table, and those for a listener - a SYN opens a connection in SYN_RCVD (within the backlog),
 * is answered with a SYN cookie beyond it (RFC 4987 3.6), or makes the oldest half-open connection go when
 * cookies are off; an ACK that returns a valid cookie makes the connection it stands for.
 */
final class TcpPassive {
    private final Tcp tcp;
    private final JwipOptions opt;
    private final Stats stats;
    private final TcpStats st;
    private final StackTime time;
    private final Routes routes;
    private final TcpTable table;
    private final TcpOutput out;
    private final TcpControl ctl;
    private final SynOptions syn;
    /** The segment is a SYN that took over a TIME_WAIT entry whose SND.NXT was {@link #reuseSndNxt}. */
    private boolean reuse;
    private int reuseSndNxt;

    TcpPassive(Tcp tcp) {
        this.tcp = tcp;
        this.opt = tcp.opt;
        this.stats = tcp.stats;
        this.st = tcp.st;
        this.time = tcp.time;
        this.routes = tcp.routes;
        this.table = tcp.table;
        this.out = tcp.out;
        this.ctl = tcp.ctl;
        this.syn = tcp.syn;
    }

    // ================================================================ TIME_WAIT table

    /**
     * A segment for the connection in TIME_WAIT table slot {@code i}.
     *
     * @return false if the entry was freed and the segment must go on to a listener (a new SYN)
     */
    boolean timeWait(int i, TcpSegment seg, Pbuf p) {
        reuse = false;
        TcpTimeWait tw = table.tw;
        int rcvNxt = tw.rcvNxt[i];
        if (seg.has(TcpFlags.RST)) {
            // RFC 1337: a RST must not cut TIME_WAIT short (TIME-WAIT assassination).
            drop(p, Drop.TCP_RST_IGNORED);
            return true;
        }
        if (seg.has(TcpFlags.SYN) && !seg.has(TcpFlags.ACK) && Seq.gt(seg.seq, rcvNxt)
                && table.findListener(seg.dst, seg.dport) != null) {
            // A new incarnation with higher sequence numbers may take over (RFC 1122 4.2.2.13, RFC 9293
            // 3.6.1) - if something listens: otherwise the entry stays and the SYN is answered as below, so
            // that a retransmission of the old FIN is still ACKed and not reset. The new connection's ISS
            // must lie above the old one's sequence space.
            table.noteTransition(seg.dst, seg.dport, seg.src, seg.sport, TcpState.TIME_WAIT, TcpState.CLOSED,
                    "new SYN");
            reuseSndNxt = tw.sndNxt[i];
            reuse = true;
            tw.free(i);
            return false;
        }
        if (seg.has(TcpFlags.FIN)) {
            // The peer's FIN again: our ACK was lost. ACK it again and restart the 2*MSL timer.
            tw.expiry[i] = table.timeWaitExpiry();
        }
        if (seg.has(TcpFlags.FIN) || seg.len > 0 || seg.seq != rcvNxt || seg.has(TcpFlags.SYN)) {
            // The window field: our full window at the scale we offer (if scaling was not agreed, the peer
            // reads a smaller window than we have, which is harmless).
            int w = opt.tcpWnd >> syn.ourScale;
            ctl.control(seg.dst, seg.dport, seg.src, seg.sport, tw.sndNxt[i], rcvNxt, TcpFlags.ACK,
                    w > 65535 ? 65535 : w, null);
        }
        PbufPool.free(p);
        return true;
    }

    // ================================================================ LISTEN

    /** A segment for listener {@code l} (RFC 9293 3.10.7.2). Takes {@code p}. */
    void listen(TcpPcb l, TcpSegment seg, Pbuf p) {
        boolean took = reuse;
        reuse = false;
        if (seg.has(TcpFlags.RST)) {
            drop(p, Drop.TCP_RST_IGNORED);
            return;
        }
        if (seg.has(TcpFlags.ACK)) {
            if (!seg.has(TcpFlags.SYN) && opt.tcpSynCookies && cookieAck(l, seg, p)) {
                return;
            }
            ctl.sendRstFor(seg.dst, seg.dport, seg.src, seg.sport, seg.flags, seg.seq, seg.ack, seg.len);
            drop(p, Drop.TCP_BAD_ACK);
            return;
        }
        if (!seg.has(TcpFlags.SYN)) {
            drop(p, Drop.TCP_UNEXPECTED);
            return;
        }
        // SYN_RCVD connections are bounded by the backlog. Beyond it (or when every control block is in
        // use) a SYN cookie answers without keeping state; with cookies off the oldest half-open
        // connection makes room. A SYN flood holds at most the backlog, and the honest client gets through.
        // A SYN that took over a TIME_WAIT entry needs an ISS above the old one's: no cookie for it.
        boolean cookie = opt.tcpSynCookies && !took;
        if (l.pending >= l.backlog) {
            if (cookie) {
                sendCookie(seg, p);
                return;
            }
            if (!evictOldestHalfOpen(l)) {
                st.refusedBacklog++; // every pending one has completed and waits for the application
                drop(p, Drop.TCP_BACKLOG_FULL);
                return;
            }
        }
        if (cookie && table.pcbPool.avail() == 0) {
            sendCookie(seg, p);
            return;
        }
        TcpPcb pcb = table.allocPcb();
        if (pcb == null) {
            st.refusedNoPcb++;
            drop(p, Drop.TCP_NO_FREE_PCB);
            return;
        }
        int ourMss = syn.ourMss(routes.route(seg.src));
        int iss = tcp.isn.next(seg.dst, seg.dport, seg.src, seg.sport);
        if (took && !Seq.gt(iss, reuseSndNxt)) {
            // RFC 1122 4.2.2.13: the new incarnation starts above the old one's sequence numbers, with a
            // margin of two maximal windows for the old one's segments still in the network.
            iss = reuseSndNxt + 0x20000;
        }
        pcb.ourMss = ourMss;
        syn.agree(pcb, seg.mss, seg.ws, seg.ts, seg.tsVal);
        // RFC 7323 2.2: our SYN,ACK has a window scale option only if the SYN had one.
        TcpSeg s = out.newSeg(pcb, iss, 0, TcpFlags.SYN, ourMss, syn.answer(seg.ws), seg.dport, seg.sport);
        if (s == null) {
            table.freePcb(pcb);
            drop(p, Drop.TCP_NO_BUFFER);
            return;
        }
        passiveOpen(l, pcb, seg, seg.seq, iss, ourMss);
        out.enqueue(pcb, s);
        table.link(pcb, TcpTable.IN_ACTIVE);
        table.changeState(pcb, TcpState.SYN_RCVD, "rcv SYN");
        // Data and FIN on a SYN are not kept: the peer sends them again once we are synchronised.
        PbufPool.free(p);
        out.output(pcb);
    }

    /**
     * The control block of a passive open, as after receiving the SYN {@code seg} (whose ISN was
     * {@code irs}) and sending our SYN,ACK with ISN {@code iss} (a cookie's: as if we had). The options are
     * agreed already.
     */
    private void passiveOpen(TcpPcb l, TcpPcb pcb, TcpSegment seg, int irs, int iss, int ourMss) {
        pcb.localAddr = seg.dst;
        pcb.localPort = seg.dport;
        pcb.remoteAddr = seg.src;
        pcb.remotePort = seg.sport;
        pcb.state = TcpState.LISTEN; // born from the listener: the trace shows LISTEN -> SYN_RCVD
        pcb.listener = l;
        l.pending++;
        pcb.arg = l.arg;
        pcb.ourMss = ourMss;
        pcb.irs = irs;
        pcb.rcvNxt = irs + 1;
        pcb.rcvWnd = opt.tcpWnd;
        pcb.iss = iss;
        pcb.sndUna = iss;
        pcb.sndNxt = iss;
        pcb.sndMax = iss;
        pcb.sndLbb = iss + 1;
        pcb.sndWnd = seg.wnd; // a SYN's window is never scaled
        pcb.maxSndWnd = seg.wnd;
        pcb.sndWl1 = irs;
        pcb.sndWl2 = iss;
        pcb.recover = iss;
    }

    /** Answers a SYN with a cookie SYN,ACK (RFC 4987 3.6): no control block, no queue. Takes {@code p}. */
    private void sendCookie(TcpSegment seg, Pbuf p) {
        int ourMss = syn.ourMss(routes.route(seg.src));
        int peerMss = seg.mss > 0 ? seg.mss : 536;
        int mi = SynCookies.mssIndex(peerMss < ourMss ? peerMss : ourMss);
        int cookie = tcp.isn.cookie(seg.dst, seg.dport, seg.src, seg.sport, seg.seq, mi);
        boolean ts = seg.ts && opt.tcpTimestamps;
        // Window scaling survives a cookie only inside our TSval; without timestamps neither side scales.
        int ws = ts ? syn.answer(seg.ws) : -1;
        int tsVal = ts ? SynCookies.tsVal((int) time.now(), ws >= 0 ? seg.ws : -1) : 0;
        st.synCookiesSent++;
        ctl.synAckCookie(seg.dst, seg.dport, seg.src, seg.sport, cookie, seg.seq + 1, ourMss, ws, ts, tsVal,
                seg.tsVal);
        PbufPool.free(p);
    }

    /**
     * An ACK for a listener: if it returns one of our SYN cookies, the connection is made now, in SYN_RCVD
     * as if its SYN had been kept, and the ACK is processed on it (ESTABLISHED, accept, any data).
     *
     * @return true if it was a valid cookie (the segment is taken), false to answer it with a RST
     */
    private boolean cookieAck(TcpPcb l, TcpSegment seg, Pbuf p) {
        int peerIsn = seg.seq - 1;
        int mi = tcp.isn.checkCookie(seg.ack - 1, seg.dst, seg.dport, seg.src, seg.sport, peerIsn);
        if (mi < 0) {
            if (tcp.isn.cookiesRecently()) {
                st.synCookiesRejected++;
            }
            return false;
        }
        TcpPcb pcb = table.allocPcb();
        if (pcb == null) {
            st.refusedNoPcb++;
            drop(p, Drop.TCP_NO_FREE_PCB); // silently: the peer's retransmission may find one
            return true;
        }
        st.synCookiesAccepted++;
        int ourMss = syn.ourMss(routes.route(seg.src));
        boolean ts = seg.ts && opt.tcpTimestamps;
        pcb.ourMss = ourMss;
        syn.agree(pcb, SynCookies.MSS[mi], ts ? SynCookies.wsFromTsEcr(seg.tsEcr) : -1, ts, seg.tsVal);
        passiveOpen(l, pcb, seg, peerIsn, seg.ack - 1, ourMss);
        pcb.sndNxt = pcb.iss + 1; // our SYN,ACK went out
        pcb.sndMax = pcb.iss + 1;
        pcb.rcvAnnRight = pcb.rcvNxt + (pcb.rcvWnd > 65535 ? 65535 : pcb.rcvWnd); // what it announced
        table.link(pcb, TcpTable.IN_ACTIVE);
        table.changeState(pcb, TcpState.SYN_RCVD, "SYN cookie");
        tcp.in.connection(pcb, seg, p);
        return true;
    }

    /** Makes room in a full backlog: the longest-waiting SYN_RCVD connection of {@code l} goes, silently. */
    private boolean evictOldestHalfOpen(TcpPcb l) {
        TcpPcb victim = null;
        for (TcpPcb q = table.active; q != null; q = q.next) {
            if (q.listener == l && q.state == TcpState.SYN_RCVD
                    && (victim == null || q.stateSince <= victim.stateSince)) { // ties: the later in the list, the older
                victim = q;
            }
        }
        if (victim == null) {
            return false;
        }
        st.synRcvdEvicted++;
        table.fail(victim, Err.ABRT, "evicted (backlog full)");
        return true;
    }

    private void drop(Pbuf p, int reason) {
        stats.drop(reason);
        PbufPool.free(p);
    }
}
