package io.jwip.tcp;

import io.jwip.Err;
import io.jwip.JwipOptions;
import io.jwip.StackTime;
import io.jwip.buf.Pbuf;
import io.jwip.buf.PbufPool;
import io.jwip.ip.IpRx;
import io.jwip.stats.Drop;
import io.jwip.stats.Stats;
import io.jwip.wire.TcpFlags;

/**
 * Segment arrival (RFC 9293 section 3.10.7): the segment is parsed once ({@link TcpSegment}), then goes to
 * its connection, to the TIME_WAIT table or a listener ({@link TcpPassive}), or is answered with a RST. On a
 * connection it is processed in the order of RFC 9293 3.10.7.4, with RFC 5961's defences against blind RST,
 * SYN and data injection and RFC 7323's PAWS:
 *
 * <ol>
 *   <li>SYN_SENT has rules of its own (3.10.7.3); in SYN_RCVD a repeated SYN is the peer's;</li>
 *   <li>first, the sequence number (PAWS, then acceptability against the window);</li>
 *   <li>second, the RST bit (an exact match resets, one elsewhere in the window gets a challenge ACK);</li>
 *   <li>fourth, the SYN bit (a challenge ACK); third, security, and sixth, URG, are not implemented;</li>
 *   <li>fifth, the ACK field: SYN_RCVD to ESTABLISHED, new data acknowledged, duplicate ACKs, the window,
 *       the states our FIN moves through;</li>
 *   <li>seventh and eighth, the text and the FIN ({@link TcpReceive}).</li>
 * </ol>
 *
 * <p>Nothing here calls the application: what a segment means for it is collected in {@link TcpEvents}
 * and fired once the segment is processed, then whatever the segment allows goes out, then the errors of
 * connections that died. The data buffer is owned by this class until it is handed to the events, queued
 * out of order, or freed; every path ends in one of these.
 */
final class TcpInput {
    private final Tcp tcp;
    private final JwipOptions opt;
    private final Stats stats;
    private final StackTime time;
    private final TcpTable table;
    private final TcpOutput out;
    private final TcpControl ctl;
    private final Congestion cc;
    private final RttEstimator rtt;
    private final SynOptions syn;
    private final TcpEvents events;
    private final TcpReceive receive;
    private final TcpPassive passive;
    private final TcpSegment seg = new TcpSegment();
    /** The pcb whose segment is being processed: its output waits until the end of processing. */
    private TcpPcb current;

    TcpInput(Tcp tcp) {
        this.tcp = tcp;
        this.opt = tcp.opt;
        this.stats = tcp.stats;
        this.time = tcp.time;
        this.table = tcp.table;
        this.out = tcp.out;
        this.ctl = tcp.ctl;
        this.cc = tcp.cc;
        this.rtt = tcp.rtt;
        this.syn = tcp.syn;
        this.events = new TcpEvents(tcp);
        this.receive = new TcpReceive(opt, stats, table, out, tcp.ooo, events);
        this.passive = new TcpPassive(tcp);
    }

    /** True while a segment of {@code pcb} is being processed (output is then sent at the end). */
    boolean busy(TcpPcb pcb) {
        return current == pcb;
    }

    /** Takes {@code p}, a TCP segment starting at its IP header {@code rx}. */
    void input(Pbuf p, IpRx rx) {
        stats.tcp.recv++;
        int bad = seg.parse(p, rx);
        if (bad >= 0) {
            drop(p, bad);
            return;
        }
        if (tcp.trace != null) {
            tcp.trace.segment(false, seg.src, seg.sport, seg.dst, seg.dport, seg.flags, seg.seq, seg.ack, seg.wnd,
                    seg.len);
        }
        if (seg.sport == 0 || seg.dport == 0) {
            drop(p, Drop.TCP_UNEXPECTED);
            return;
        }
        TcpPcb pcb = table.findActive(seg.dst, seg.dport, seg.src, seg.sport);
        if (pcb != null) {
            connection(pcb, seg, p);
            return;
        }
        int i = table.tw.find(seg.dst, seg.dport, seg.src, seg.sport);
        if (i >= 0 && passive.timeWait(i, seg, p)) {
            return;
        }
        TcpPcb l = table.findListener(seg.dst, seg.dport);
        if (l != null) {
            passive.listen(l, seg, p);
            return;
        }
        // No connection: RST (RFC 9293 3.10.7.1), never in answer to a RST.
        ctl.sendRstFor(seg.dst, seg.dport, seg.src, seg.sport, seg.flags, seg.seq, seg.ack, seg.len);
        drop(p, Drop.TCP_NO_PCB);
    }

    /**
     * A segment for connection {@code pcb}: processed, then the application's callbacks fire, then what may
     * go out goes, then the errors of connections that died are told. Takes {@code p}.
     */
    void connection(TcpPcb pcb, TcpSegment s, Pbuf p) {
        current = pcb;
        events.begin(pcb);
        table.deferErrors();
        process(pcb, s, p);
        events.fire();
        current = null;
        if (pcb.isAllocated() && pcb.where == TcpTable.IN_ACTIVE) {
            out.output(pcb);
        }
        table.fireDeferredErrors();
    }

    // ================================================================ the steps of RFC 9293 3.10.7.4

    private void process(TcpPcb pcb, TcpSegment s, Pbuf p) {
        if (pcb.state == TcpState.SYN_SENT) {
            synSent(pcb, s, p);
            return;
        }
        // The window field of any SYN, also the SYN,ACK of a simultaneous open, is never scaled (RFC 7323 2.2).
        boolean unscaledWindow = s.has(TcpFlags.SYN);
        // PAWS (RFC 7323 5.3 R1) comes before RFC 9293's checks: a timestamp older than TS.Recent marks an
        // old duplicate. RSTs carry none that counts.
        if (pcb.tsOk && s.ts && !s.has(TcpFlags.RST) && Seq.lt(s.tsVal, pcb.tsRecent)) {
            pcb.ackNow = true;
            drop(p, Drop.TCP_PAWS);
            return;
        }
        if (pcb.state == TcpState.SYN_RCVD && s.has(TcpFlags.SYN) && !s.has(TcpFlags.RST) && s.seq == pcb.irs
                && !repeatedSyn(pcb, s, p)) {
            return;
        }
        // first, check the sequence number
        if (!sequenceAcceptable(pcb, s, p)) {
            return;
        }
        // second, check the RST bit
        if (s.has(TcpFlags.RST)) {
            rst(pcb, s, p);
            return;
        }
        // fourth, check the SYN bit (third, security, is not implemented)
        if (s.has(TcpFlags.SYN)) {
            // RFC 5961 section 4: a SYN in a synchronised state gets a challenge ACK and is dropped.
            ctl.challengeAck(pcb);
            drop(p, Drop.TCP_SYN_IGNORED);
            return;
        }
        // fifth, check the ACK field (sixth, URG, is not implemented)
        if (!ack(pcb, s, p, unscaledWindow)) {
            return;
        }
        // seventh and eighth: the segment text and the FIN
        if (s.len == 0 && !s.has(TcpFlags.FIN)) {
            PbufPool.free(p);
            return;
        }
        if (pcb.finRcvd) {
            // CLOSE_WAIT, CLOSING, LAST_ACK: the peer's FIN came already; only a retransmission of it (or
            // of data before it) can arrive. ACK it.
            pcb.ackNow = true;
            drop(p, Drop.TCP_DATA_AFTER_FIN);
            return;
        }
        boolean toFinWait2 = pcb.state == TcpState.FIN_WAIT_1 && finAcked(pcb);
        receive.text(pcb, s, p, pcb.rcvNxt + rcvWindow(pcb)); // seventh and eighth
        if (toFinWait2 && pcb.state == TcpState.FIN_WAIT_1) {
            // Our FIN is acknowledged and the segment's FIN was not taken (beyond the window or after a
            // hole): FIN_WAIT_2 now, or the connection would wait in FIN_WAIT_1 with no timer.
            finWait2(pcb);
        }
    }

    /**
     * SYN_RCVD, and the peer repeats its SYN. With an ACK of our SYN it is the SYN,ACK of a simultaneous open:
     * its SYN we have, the rest of the segment is processed as if it began just after it. Without, our
     * SYN,ACK was lost: it goes again.
     *
     * @return true if the segment goes on to the next steps
     */
    private boolean repeatedSyn(TcpPcb pcb, TcpSegment s, Pbuf p) {
        if (s.has(TcpFlags.ACK) && Seq.between(s.ack, pcb.sndUna + 1, pcb.sndMax)) {
            s.skipSyn();
            pcb.ackNow = true;
            return true;
        }
        if (!s.has(TcpFlags.ACK)) {
            out.goBackN(pcb);
        } else {
            ctl.challengeAck(pcb);
            stats.drop(Drop.TCP_SYN_IGNORED);
        }
        PbufPool.free(p);
        return false;
    }

    /**
     * First, check the sequence number: the acceptability table of RFC 9293 3.10.7.4 (for a RST, RFC 5961 3.2:
     * its sequence number in the window, or exactly RCV.NXT when the window is zero). An unacceptable
     * segment is answered with an ACK - a challenge ACK if it is a SYN (RFC 5961 4.2, whatever its sequence
     * number), nothing if it is a RST - and dropped; except that with a zero receive window the ACK of a
     * segment at exactly RCV.NXT is still processed, without its text and FIN.
     *
     * @return true if the segment goes on to the next steps
     */
    private boolean sequenceAcceptable(TcpPcb pcb, TcpSegment s, Pbuf p) {
        if (s.has(TcpFlags.RST)) {
            int wnd = rcvWindow(pcb);
            if (s.seq == pcb.rcvNxt || wnd > 0 && Seq.inWindow(s.seq, pcb.rcvNxt, pcb.rcvNxt + wnd)) {
                return true;
            }
            drop(p, Drop.TCP_RST_IGNORED);
            return false;
        }
        if (acceptable(pcb, s)) {
            return true;
        }
        if (s.has(TcpFlags.SYN)) {
            ctl.challengeAck(pcb);
            drop(p, Drop.TCP_SYN_IGNORED);
            return false;
        }
        pcb.ackNow = true;
        if (rcvWindow(pcb) != 0 || !s.has(TcpFlags.ACK) || s.seq != pcb.rcvNxt) {
            drop(p, Drop.TCP_BAD_SEQ);
            return false;
        }
        // RFC 9293 3.10.7.4: with a zero receive window no segment is acceptable, "but special allowance
        // should be made to accept valid ACKs": its text and FIN are dropped, its ACK and window are
        // processed (else two peers with closed windows could wait on each other). Only at SEG.SEQ = RCV.NXT,
        // as Linux does: with any sequence number a blind attacker who guessed the ACK alone could close our
        // send window or move TS.Recent.
        stats.drop(Drop.TCP_BAD_SEQ);
        s.dropText();
        return true;
    }

    /** RFC 9293 acceptability test of SEG.SEQ against RCV.NXT and RCV.WND. */
    private boolean acceptable(TcpPcb pcb, TcpSegment s) {
        int seqLen = s.len + (s.has(TcpFlags.FIN) ? 1 : 0);
        int nxt = pcb.rcvNxt;
        int wnd = rcvWindow(pcb);
        if (seqLen == 0) {
            return wnd == 0 ? s.seq == nxt : Seq.inWindow(s.seq, nxt, nxt + wnd);
        }
        if (wnd == 0) {
            return false;
        }
        return Seq.inWindow(s.seq, nxt, nxt + wnd) || Seq.inWindow(s.seq + seqLen - 1, nxt, nxt + wnd);
    }

    /**
     * RCV.WND as the peer knows it: what we can take (RCV.WND) or, if larger, what we announced. A scaled
     * window is announced rounded up, so that rounding never moves the right edge left, and RFC 7323 2.4
     * then requires the bytes up to that announced edge to be accepted. The excess is below one scale unit
     * ({@code 2^rcvScale} bytes); a larger one would be a stale edge and is not trusted.
     */
    private static int rcvWindow(TcpPcb pcb) {
        int wnd = pcb.rcvWnd > 0 ? pcb.rcvWnd : 0;
        int announced = pcb.rcvAnnRight - pcb.rcvNxt;
        return announced > wnd && announced - wnd < (1 << pcb.rcvScale) ? announced : wnd;
    }

    /**
     * Second, check the RST bit (RFC 9293 3.10.7.4, RFC 5961 3.2): the segment is in the window; only an
     * exact match of RCV.NXT resets, one elsewhere gets a challenge ACK.
     */
    private void rst(TcpPcb pcb, TcpSegment s, Pbuf p) {
        if (s.seq == pcb.rcvNxt) {
            if (pcb.state == TcpState.SYN_RCVD && pcb.listener != null) {
                // A passive open goes back to LISTEN: the listener carries on, this half-open pcb goes.
                table.changeState(pcb, TcpState.LISTEN, "rcv RST");
                pcb.state = TcpState.CLOSED;
                table.release(pcb);
            } else {
                table.fail(pcb, pcb.state == TcpState.SYN_RCVD ? Err.REFUSED : Err.RST, "rcv RST");
            }
        } else {
            ctl.challengeAck(pcb);
            stats.drop(Drop.TCP_RST_IGNORED);
        }
        PbufPool.free(p);
    }

    /**
     * Fifth, check the ACK field: a segment without it is dropped; in SYN_RCVD an acceptable one completes
     * the handshake; then SEG.ACK beyond what we sent, or far below SND.UNA (RFC 5961 5.2), is refused; new
     * data is acknowledged, a duplicate ACK counted (RFC 5681), the send window updated (SND.WL1/SND.WL2), and
     * our FIN's acknowledgment moves FIN_WAIT_1, CLOSING and LAST_ACK on.
     *
     * @return true if the segment goes on to its text
     */
    private boolean ack(TcpPcb pcb, TcpSegment s, Pbuf p, boolean unscaledWindow) {
        if (!s.has(TcpFlags.ACK)) {
            drop(p, Drop.TCP_NO_ACK);
            return false;
        }
        if (pcb.keepAlive) {
            tcp.timers.keepIdle(pcb); // the peer is alive: the idle time starts again
        }
        if (pcb.state == TcpState.SYN_RCVD) {
            if (!Seq.between(s.ack, pcb.sndUna + 1, pcb.sndMax)) {
                ctl.sendRstFor(s.dst, s.dport, s.src, s.sport, s.flags, s.seq, s.ack, s.len);
                drop(p, Drop.TCP_BAD_ACK);
                return false;
            }
            table.changeState(pcb, TcpState.ESTABLISHED, "rcv ACK of SYN");
            cc.init(pcb, pcb.nrtx > 0);
            acked(pcb, s);
            established(pcb);
        }
        if (Seq.gt(s.ack, pcb.sndMax)) {
            // RFC 9293: an ACK for something not yet sent: ACK and drop.
            pcb.ackNow = true;
            drop(p, Drop.TCP_BAD_ACK);
            return false;
        }
        int wnd = unscaledWindow ? s.wnd : s.wnd << pcb.sndScale;
        if (Seq.lt(s.ack, pcb.sndUna - (pcb.maxSndWnd > 65535 ? pcb.maxSndWnd : 65535))) {
            // RFC 5961 section 5.2: an ACK far below SND.UNA (older than any window we sent) is injected.
            ctl.challengeAck(pcb);
            drop(p, Drop.TCP_BAD_ACK);
            return false;
        }
        if (!pcb.appClosed) {
            pcb.probes = 0; // an acceptable ACK: the peer is alive, and its application may hold the window
        }
        // RFC 7323 4.3: TS.Recent follows the segments that arrive in sequence - but only once the ACK is
        // known to be acceptable. A segment at RCV.NXT with an injected ACK (refused above, RFC 5961 5.2) and
        // a TSval far ahead would otherwise move TS.Recent there, and PAWS would then drop every real segment
        // of the peer: a blind stall. (Linux moved its update after the ACK check for the same reason.)
        if (pcb.tsOk && s.ts && Seq.geq(s.tsVal, pcb.tsRecent) && Seq.leq(s.seq, pcb.lastAckSent)) {
            pcb.tsRecent = s.tsVal;
        }
        if (Seq.gt(s.ack, pcb.sndUna)) {
            acked(pcb, s);
        } else if (s.ack == pcb.sndUna && s.len == 0 && (s.flags & (TcpFlags.SYN | TcpFlags.FIN)) == 0
                && wnd == pcb.sndWnd && pcb.sndMax != pcb.sndUna && pcb.unacked != null) {
            // RFC 5681 section 2's definition, all five conditions; the third starts fast retransmit
            if (cc.onDuplicateAck(pcb, s.ack)) {
                out.retransmitFirst(pcb);
            }
        }
        // Window update (RFC 9293 SND.WL1/SND.WL2 rule).
        if (Seq.lt(pcb.sndWl1, s.seq) || (pcb.sndWl1 == s.seq && Seq.leq(pcb.sndWl2, s.ack))) {
            pcb.sndWnd = wnd;
            if (wnd > pcb.maxSndWnd) {
                pcb.maxSndWnd = wnd;
            }
            pcb.sndWl1 = s.seq;
            pcb.sndWl2 = s.ack;
        }
        if (!finAcked(pcb)) {
            return true;
        }
        switch (pcb.state) {
            case TcpState.FIN_WAIT_1:
                // With a FIN in the segment the text processing may take it and go straight to TIME_WAIT.
                if (!s.has(TcpFlags.FIN)) {
                    finWait2(pcb);
                }
                return true;
            case TcpState.CLOSING:
                PbufPool.free(p);
                table.enterTimeWait(pcb, "rcv ACK of FIN", false); // our ACK of their FIN went out in CLOSING
                return false;
            case TcpState.LAST_ACK:
                PbufPool.free(p);
                table.changeState(pcb, TcpState.CLOSED, "rcv ACK of FIN");
                table.release(pcb);
                return false;
            default:
                return true;
        }
    }

    private static boolean finAcked(TcpPcb pcb) {
        return pcb.finQueued && pcb.sndUna == pcb.sndLbb;
    }

    /** FIN_WAIT_1 -&gt; FIN_WAIT_2: our FIN is acknowledged; a closed connection now waits a bounded time. */
    private void finWait2(TcpPcb pcb) {
        table.changeState(pcb, TcpState.FIN_WAIT_2, "rcv ACK of FIN");
        if (pcb.appClosed) {
            pcb.finWait2Deadline = table.finWait2Deadline();
        }
    }

    /**
     * SND.UNA moves up to SEG.ACK: acknowledged segments are freed (a partly acknowledged one trimmed), RTT
     * and congestion control learn of it, the retransmission timer restarts or stops, and the application
     * will hear of the bytes.
     */
    private void acked(TcpPcb pcb, TcpSegment s) {
        int ack = s.ack;
        int freed = 0;
        int oldUna = pcb.sndUna;
        pcb.sndUna = ack;
        pcb.probes = 0;
        cc.unaAdvanced(pcb, ack);
        if (Seq.lt(pcb.sndNxt, ack)) {
            pcb.sndNxt = ack;
        }
        TcpSeg q = pcb.unacked;
        while (q != null && Seq.leq(q.end(), ack)) {
            TcpSeg n = q.next;
            freed += q.len;
            out.freeSeg(q);
            q = n;
        }
        pcb.unacked = q;
        if (q == null) {
            pcb.unackedTail = null;
            // after a timeout the queue is being sent again: what is acknowledged need not be
            q = pcb.unsent;
            while (q != null && Seq.leq(q.end(), ack)) {
                TcpSeg n = q.next;
                freed += q.len;
                out.freeSeg(q);
                q = n;
            }
            pcb.unsent = q;
            if (q == null) {
                pcb.unsentTail = null;
            }
        }
        // A partial ACK of a segment: its acknowledged bytes go, so that a retransmission sends only what is
        // missing.
        if (q != null && Seq.gt(ack, q.seq)) {
            int n = ack - q.seq;
            if (out.trimFront(q, n)) {
                freed += n;
            }
        }
        pcb.sndBuffered -= freed;
        rtt.acked(pcb, ack, pcb.tsOk && s.ts, s.tsEcr);
        pcb.nrtx = 0;
        int acked = ack - oldUna;
        if (oldUna == pcb.iss) {
            acked--; // the SYN is not data
        }
        if (acked > 0 && TcpState.synchronised(pcb.state) && cc.onAck(pcb, acked)) {
            out.retransmitFirst(pcb); // a partial ACK in recovery: the next hole goes again
        }
        if (pcb.sndUna == pcb.sndMax) {
            pcb.rtoDeadline = 0;
        } else {
            pcb.rtoDeadline = time.now() + pcb.rto; // RFC 6298 5.3
            tcp.timers.arm(pcb.rtoDeadline);
        }
        if (freed > 0) {
            events.acked(freed);
        }
    }

    /**
     * The handshake is complete: a passive open leaves its listener's backlog and belongs to the
     * application from now (its accept callback fires with the segment's other events).
     */
    private void established(TcpPcb pcb) {
        TcpPcb l = pcb.listener;
        if (l != null) {
            l.pending--;
            pcb.listener = null;
            pcb.appOwned = true;
        }
        events.established(l);
    }

    // ================================================================ SYN_SENT (RFC 9293 3.10.7.3)

    private void synSent(TcpPcb pcb, TcpSegment s, Pbuf p) {
        boolean ackOk = false;
        if (s.has(TcpFlags.ACK)) {
            if (Seq.leq(s.ack, pcb.iss) || Seq.gt(s.ack, pcb.sndMax)) {
                ctl.sendRstFor(s.dst, s.dport, s.src, s.sport, s.flags, s.seq, s.ack, s.len);
                drop(p, Drop.TCP_BAD_ACK);
                return;
            }
            ackOk = true;
        }
        if (s.has(TcpFlags.RST)) {
            PbufPool.free(p);
            if (ackOk) {
                table.fail(pcb, Err.REFUSED, "rcv RST (refused)");
            } else {
                stats.drop(Drop.TCP_RST_IGNORED);
            }
            return;
        }
        if (!s.has(TcpFlags.SYN)) {
            drop(p, Drop.TCP_UNEXPECTED);
            return;
        }
        pcb.irs = s.seq;
        pcb.rcvNxt = s.seq + 1;
        pcb.sndWnd = s.wnd; // a SYN's window is never scaled
        pcb.maxSndWnd = s.wnd;
        pcb.sndWl1 = s.seq;
        pcb.sndWl2 = s.ack;
        syn.agree(pcb, s.mss, s.ws, s.ts && pcb.tsOk, s.tsVal); // timestamps only if we offered them
        // Our SYN announced its window before RCV.NXT was known: its right edge counts from here.
        pcb.rcvAnnRight = pcb.rcvNxt + (pcb.rcvWnd > 65535 ? 65535 : pcb.rcvWnd);
        PbufPool.free(p); // data on a SYN is not kept (the peer sends it again)
        if (ackOk) {
            cc.init(pcb, pcb.nrtx > 0);
            acked(pcb, s);
            table.changeState(pcb, TcpState.ESTABLISHED, "rcv SYN,ACK");
            pcb.ackNow = true;
            if (pcb.keepAlive) {
                tcp.timers.keepIdle(pcb);
            }
            established(pcb);
        } else {
            // Simultaneous open: our SYN goes out again, now as SYN,ACK.
            table.changeState(pcb, TcpState.SYN_RCVD, "rcv SYN (simultaneous open)");
            out.goBackN(pcb);
            pcb.rtoDeadline = 0;
        }
    }

    private void drop(Pbuf p, int reason) {
        stats.drop(reason);
        PbufPool.free(p);
    }
}
