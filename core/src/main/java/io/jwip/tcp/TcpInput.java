package io.jwip.tcp;

import io.jwip.Err;
import io.jwip.buf.Pbuf;
import io.jwip.buf.PbufPool;
import io.jwip.ip.IpRx;
import io.jwip.netif.Netif;
import io.jwip.stats.Drop;
import io.jwip.wire.Bytes;
import io.jwip.wire.Checksum;
import io.jwip.wire.Ip4Addr;
import io.jwip.wire.Ip4Header;
import io.jwip.wire.TcpFlags;
import io.jwip.wire.TcpHeader;

/**
 * Segment arrival (RFC 9293 section 3.10.7): validation, demultiplexing to a connection, the TIME_WAIT
 * table or a listener, and the per-state rules, with RFC 5961's defences against blind RST, SYN and data
 * injection.
 *
 * <p>The segment being processed is kept in fields ({@code segSeq}, {@code segFlags}...), one set per
 * stack, valid during one call of {@link #input}. The data buffer is owned by this class until it is
 * handed to the application, queued out of order, or freed; every path ends in one of these.
 */
final class TcpInput {
    private final Tcp tcp;
    private final TcpOutput out;
    private final TcpHeader th = new TcpHeader();

    // the segment being processed
    private int segSrc;
    private int segDst;
    private int segSport;
    private int segDport;
    private int segSeq;
    private int segAck;
    private int segFlags;
    private int segWnd;
    private int segLen;
    private int segMss;
    /** Window scale shift of a SYN, or -1 when it had no such option. */
    private int segWs;
    /** The segment had a timestamps option: its TSval and TSecr. */
    private boolean segTs;
    private int segTsVal;
    private int segTsEcr;
    /** The pcb whose segment is being processed: its output waits until the end of processing. */
    private TcpPcb current;
    /** The segment is a SYN that took over a TIME_WAIT entry whose SND.NXT was {@link #reuseSndNxt}. */
    private boolean reuse;
    private int reuseSndNxt;

    TcpInput(Tcp tcp) {
        this.tcp = tcp;
        this.out = tcp.out;
    }

    /** True while a segment of {@code pcb} is being processed (output is then sent at the end). */
    boolean busy(TcpPcb pcb) {
        return current == pcb;
    }

    /** Takes {@code p}, a TCP segment starting at its IP header {@code rx}. */
    void input(Pbuf p, IpRx rx) {
        tcp.stats.tcp.recv++;
        int hlen = rx.headerLength;
        int tcpLen = p.totalLength() - hlen;
        if (tcpLen < TcpHeader.MIN_LENGTH || p.length() < hlen + TcpHeader.MIN_LENGTH) {
            drop(p, Drop.TCP_TRUNCATED);
            return;
        }
        if (rx.broadcast || Ip4Addr.isMulticast(rx.dst)) {
            drop(p, Drop.TCP_BROADCAST);
            return;
        }
        th.wrap(p.buf, p.offset() + hlen);
        int thl = th.headerLength();
        if (thl < TcpHeader.MIN_LENGTH || thl > tcpLen || p.length() < hlen + thl) {
            drop(p, Drop.TCP_BAD_OFFSET);
            return;
        }
        long sum = Checksum.addPseudoHeader(0, rx.src, rx.dst, Ip4Header.PROTO_TCP, tcpLen);
        if (Checksum.finish(Checksum.add(sum, p, hlen, tcpLen)) != 0) {
            drop(p, Drop.TCP_BAD_CHECKSUM);
            return;
        }
        segSrc = rx.src;
        segDst = rx.dst;
        segSport = th.sourcePort();
        segDport = th.destinationPort();
        segSeq = th.seq();
        segAck = th.ack();
        segFlags = th.flags();
        segWnd = th.window();
        segLen = tcpLen - thl;
        if ((segFlags & TcpFlags.SYN) != 0) {
            segMss = th.mssOption();
            segWs = th.wsOption();
        } else {
            segMss = -1;
            segWs = -1;
        }
        segTs = false;
        if (thl > TcpHeader.MIN_LENGTH) {
            int at = th.tsOffset();
            if (at >= 0) {
                segTs = true;
                segTsVal = Bytes.i32(p.buf, at);
                segTsEcr = Bytes.i32(p.buf, at + 4);
            }
        }
        p.removeHeader(hlen + thl);
        if (tcp.trace != null) {
            tcp.trace.segment(false, segSrc, segSport, segDst, segDport, segFlags, segSeq, segAck, segWnd, segLen);
        }
        if (segSport == 0 || segDport == 0) {
            drop(p, Drop.TCP_UNEXPECTED);
            return;
        }
        TcpPcb pcb = tcp.table.findActive(segDst, segDport, segSrc, segSport);
        if (pcb != null) {
            current = pcb;
            process(pcb, p);
            current = null;
            if (pcb.isAllocated() && pcb.where == TcpTable.IN_ACTIVE) {
                out.output(pcb);
            }
            return;
        }
        int i = tcp.table.tw.find(segDst, segDport, segSrc, segSport);
        reuse = false;
        if (i >= 0 && timeWait(i, p)) {
            return;
        }
        TcpPcb l = tcp.table.findListener(segDst, segDport);
        if (l != null) {
            listen(l, p);
            reuse = false;
            return;
        }
        // No connection: RST (RFC 9293 3.10.7.1), never in answer to a RST.
        out.sendRstFor(segDst, segDport, segSrc, segSport, segFlags, segSeq, segAck, segLen);
        drop(p, Drop.TCP_NO_PCB);
    }

    // ================================================================ TIME_WAIT table

    /**
     * A segment for a connection in the TIME_WAIT table.
     *
     * @return false if the entry was freed and the segment must go on to a listener (a new SYN)
     */
    private boolean timeWait(int i, Pbuf p) {
        TcpTimeWait tw = tcp.table.tw;
        int rcvNxt = tw.rcvNxt[i];
        if ((segFlags & TcpFlags.RST) != 0) {
            // RFC 1337: a RST must not cut TIME_WAIT short (TIME-WAIT assassination).
            drop(p, Drop.TCP_RST_IGNORED);
            return true;
        }
        if ((segFlags & TcpFlags.SYN) != 0 && (segFlags & TcpFlags.ACK) == 0 && Seq.gt(segSeq, rcvNxt)
                && tcp.table.findListener(segDst, segDport) != null) {
            // A new incarnation with higher sequence numbers may take over (RFC 1122 4.2.2.13, RFC 9293
            // 3.6.1) - if something listens: otherwise the entry stays and the SYN is answered as below, so
            // that a retransmission of the old FIN is still ACKed and not reset. The new connection's ISS
            // must lie above the old one's sequence space.
            tcp.table.noteTransition(segDst, segDport, segSrc, segSport, TcpState.TIME_WAIT, TcpState.CLOSED, "new SYN");
            reuseSndNxt = tw.sndNxt[i];
            reuse = true;
            tw.free(i);
            return false;
        }
        if ((segFlags & TcpFlags.FIN) != 0) {
            // The peer's FIN again: our ACK was lost. ACK it again and restart the 2*MSL timer.
            tw.expiry[i] = tcp.table.timeWaitExpiry();
        }
        if ((segFlags & TcpFlags.FIN) != 0 || segLen > 0 || segSeq != rcvNxt
                || (segFlags & TcpFlags.SYN) != 0) {
            // The window field: our full window at the scale we offer (if scaling was not agreed, the peer
            // reads a smaller window than we have, which is harmless).
            int w = tcp.opt.tcpWnd >> tcp.ourScale;
            out.control(segDst, segDport, segSrc, segSport, tw.sndNxt[i], rcvNxt, TcpFlags.ACK,
                    w > 65535 ? 65535 : w, null);
        }
        PbufPool.free(p);
        return true;
    }

    // ================================================================ LISTEN

    private void listen(TcpPcb l, Pbuf p) {
        int f = segFlags;
        if ((f & TcpFlags.RST) != 0) {
            drop(p, Drop.TCP_RST_IGNORED);
            return;
        }
        if ((f & TcpFlags.ACK) != 0) {
            if ((f & TcpFlags.SYN) == 0 && tcp.opt.tcpSynCookies && cookieAck(l, p)) {
                return;
            }
            out.sendRstFor(segDst, segDport, segSrc, segSport, f, segSeq, segAck, segLen);
            drop(p, Drop.TCP_BAD_ACK);
            return;
        }
        if ((f & TcpFlags.SYN) == 0) {
            drop(p, Drop.TCP_UNEXPECTED);
            return;
        }
        // SYN_RCVD connections are bounded by the backlog. Beyond it (or when every control block is in
        // use) a SYN cookie answers without keeping state; with cookies off the oldest half-open
        // connection makes room. A SYN flood holds at most the backlog, and the honest client gets through.
        // A SYN that took over a TIME_WAIT entry needs an ISS above the old one's: no cookie for it.
        boolean cookie = tcp.opt.tcpSynCookies && !reuse;
        if (l.pending >= l.backlog) {
            if (cookie) {
                sendCookie(p);
                return;
            }
            if (!evictOldestHalfOpen(l)) {
                tcp.st.refusedBacklog++; // every pending one has completed and waits for the application
                drop(p, Drop.TCP_BACKLOG_FULL);
                return;
            }
        }
        if (cookie && tcp.table.pcbPool.avail() == 0) {
            sendCookie(p);
            return;
        }
        TcpPcb pcb = tcp.table.allocPcb();
        if (pcb == null) {
            tcp.st.refusedNoPcb++;
            drop(p, Drop.TCP_NO_FREE_PCB);
            return;
        }
        Netif n = tcp.routes.route(segSrc);
        int ourMss = tcp.mssFor(n);
        int iss = tcp.isn(segDst, segDport, segSrc, segSport);
        if (reuse && !Seq.gt(iss, reuseSndNxt)) {
            // RFC 1122 4.2.2.13: the new incarnation starts above the old one's sequence numbers, with a
            // margin of two maximal windows for the old one's segments still in the network.
            iss = reuseSndNxt + 0x20000;
        }
        // RFC 7323 2.2: answer with a window scale option only if the SYN had one.
        boolean scale = segWs >= 0 && tcp.opt.tcpWindowScaling;
        pcb.tsOk = segTs && tcp.opt.tcpTimestamps; // RFC 7323 3.2: only if the SYN had one
        pcb.tsRecent = segTsVal;
        TcpSeg syn = out.newSeg(pcb, iss, 0, TcpFlags.SYN, ourMss, scale ? tcp.ourScale : -1, segDport, segSport);
        if (syn == null) {
            tcp.table.freePcb(pcb);
            drop(p, Drop.TCP_NO_BUFFER);
            return;
        }
        passiveOpen(l, pcb, iss, ourMss, segMss, scale ? segWs : -1);
        out.enqueue(pcb, syn);
        tcp.table.link(pcb, TcpTable.IN_ACTIVE);
        tcp.table.changeState(pcb, TcpState.SYN_RCVD, "rcv SYN");
        // Data and FIN on a SYN are not kept: the peer sends them again once we are synchronised.
        PbufPool.free(p);
        out.output(pcb);
    }

    /**
     * The control block of a passive open, as after receiving the SYN from {@code segSrc:segSport} with
     * ISN {@code segSeq} and sending our SYN,ACK with ISN {@code iss} (a cookie's: as if we had).
     *
     * @param peerMss the MSS the peer announced (-1: none)
     * @param peerWs  the peer's window scale, or -1 when scaling is not agreed
     */
    private void passiveOpen(TcpPcb l, TcpPcb pcb, int iss, int ourMss, int peerMss, int peerWs) {
        pcb.localAddr = segDst;
        pcb.localPort = segDport;
        pcb.remoteAddr = segSrc;
        pcb.remotePort = segSport;
        pcb.state = TcpState.LISTEN; // born from the listener: the trace shows LISTEN -> SYN_RCVD
        pcb.listener = l;
        l.pending++;
        pcb.arg = l.arg;
        pcb.ourMss = ourMss;
        pcb.mss = sndMss(peerMss, ourMss, pcb.tsOk);
        pcb.irs = segSeq;
        pcb.rcvNxt = segSeq + 1;
        pcb.rcvWnd = tcp.opt.tcpWnd;
        pcb.iss = iss;
        pcb.sndUna = iss;
        pcb.sndNxt = iss;
        pcb.sndMax = iss;
        pcb.sndLbb = iss + 1;
        pcb.sndWnd = segWnd; // a SYN's window is never scaled
        pcb.maxSndWnd = segWnd;
        pcb.sndWl1 = segSeq;
        pcb.sndWl2 = iss;
        pcb.recover = iss;
        if (peerWs >= 0) {
            pcb.sndScale = peerWs > 14 ? 14 : peerWs;
            pcb.rcvScale = tcp.ourScale;
        }
    }

    /** Answers a SYN with a cookie SYN,ACK (RFC 4987 3.6): no control block, no queue. Takes {@code p}. */
    private void sendCookie(Pbuf p) {
        int ourMss = tcp.mssFor(tcp.routes.route(segSrc));
        int peerMss = segMss > 0 ? segMss : 536;
        int mi = SynCookies.mssIndex(peerMss < ourMss ? peerMss : ourMss);
        int cookie = tcp.makeCookie(segDst, segDport, segSrc, segSport, segSeq, mi);
        boolean ts = segTs && tcp.opt.tcpTimestamps;
        // Window scaling survives a cookie only inside our TSval; without timestamps neither side scales.
        int ws = ts && segWs >= 0 && tcp.opt.tcpWindowScaling ? tcp.ourScale : -1;
        int tsVal = ts ? SynCookies.tsVal((int) tcp.time.now(), ws >= 0 ? segWs : -1) : 0;
        tcp.st.synCookiesSent++;
        out.synAckCookie(segDst, segDport, segSrc, segSport, cookie, segSeq + 1, ourMss, ws, ts, tsVal, segTsVal);
        PbufPool.free(p);
    }

    /**
     * An ACK for a listener: if it returns one of our SYN cookies, the connection is made now, in SYN_RCVD
     * as if its SYN had been kept, and the ACK is processed on it (ESTABLISHED, accept, any data).
     *
     * @return true if it was a valid cookie (the segment is taken), false to answer it with a RST
     */
    private boolean cookieAck(TcpPcb l, Pbuf p) {
        int peerIsn = segSeq - 1;
        int mi = tcp.checkCookie(segAck - 1, segDst, segDport, segSrc, segSport, peerIsn);
        if (mi < 0) {
            if (tcp.cookiesRecently()) {
                tcp.st.synCookiesRejected++;
            }
            return false;
        }
        TcpPcb pcb = tcp.table.allocPcb();
        if (pcb == null) {
            tcp.st.refusedNoPcb++;
            drop(p, Drop.TCP_NO_FREE_PCB); // silently: the peer's retransmission may find one
            return true;
        }
        tcp.st.synCookiesAccepted++;
        int ourMss = tcp.mssFor(tcp.routes.route(segSrc));
        pcb.tsOk = segTs && tcp.opt.tcpTimestamps;
        pcb.tsRecent = segTsVal;
        int peerWs = pcb.tsOk && tcp.opt.tcpWindowScaling ? SynCookies.wsFromTsEcr(segTsEcr) : -1;
        int seq = segSeq;
        segSeq = peerIsn; // the fields as they were for the SYN
        passiveOpen(l, pcb, segAck - 1, ourMss, SynCookies.MSS[mi], peerWs);
        segSeq = seq;
        pcb.sndNxt = pcb.iss + 1; // our SYN,ACK went out
        pcb.sndMax = pcb.iss + 1;
        pcb.rcvAnnRight = pcb.rcvNxt + (pcb.rcvWnd > 65535 ? 65535 : pcb.rcvWnd); // what it announced
        tcp.table.link(pcb, TcpTable.IN_ACTIVE);
        tcp.table.changeState(pcb, TcpState.SYN_RCVD, "SYN cookie");
        current = pcb;
        process(pcb, p);
        current = null;
        if (pcb.isAllocated() && pcb.where == TcpTable.IN_ACTIVE) {
            out.output(pcb);
        }
        return true;
    }

    /** Makes room in a full backlog: the longest-waiting SYN_RCVD connection of {@code l} goes, silently. */
    private boolean evictOldestHalfOpen(TcpPcb l) {
        TcpPcb victim = null;
        for (TcpPcb q = tcp.table.active; q != null; q = q.next) {
            if (q.listener == l && q.state == TcpState.SYN_RCVD
                    && (victim == null || q.stateSince <= victim.stateSince)) { // ties: the later in the list, the older
                victim = q;
            }
        }
        if (victim == null) {
            return false;
        }
        tcp.st.synRcvdEvicted++;
        tcp.table.fail(victim, Err.ABRT, "evicted (backlog full)");
        return true;
    }


    /**
     * Data bytes per segment we send: the peer's MSS (bounded by ours) less the timestamps option that
     * every segment then carries (RFC 9293 3.7.1), but never below {@code tcpMinSndMss} (nor, if our own
     * MTU is smaller still, below what it allows, and never below 1). An MSS option of 1..12 with timestamps
     * used to give 0 or less: a division by zero in write() or a connection that never sent data.
     */
    private int sndMss(int peerMss, int ourMss, boolean ts) {
        int opts = ts ? TcpHeader.OPT_TS_SPACE : 0;
        int pm = peerMss > 0 ? peerMss : 536;
        int m = (pm < ourMss ? pm : ourMss) - opts;
        int min = tcp.opt.tcpMinSndMss;
        if (min > ourMss - opts) {
            min = ourMss - opts;
        }
        if (m < min) {
            m = min;
        }
        return m < 1 ? 1 : m;
    }

    // ================================================================ connections

    private void process(TcpPcb pcb, Pbuf p) {
        if (pcb.state == TcpState.SYN_SENT) {
            synSent(pcb, p);
            return;
        }
        int f = segFlags;
        int gen = pcb.gen;
        // The window field of any SYN, also the SYN,ACK of a simultaneous open, is never scaled (RFC 7323 2.2).
        boolean unscaledWindow = (f & TcpFlags.SYN) != 0;

        // PAWS (RFC 7323 5.3 R1): a timestamp older than TS.Recent marks an old duplicate.
        if (pcb.tsOk && segTs && (f & TcpFlags.RST) == 0 && Seq.lt(segTsVal, pcb.tsRecent)) {
            pcb.ackNow = true;
            drop(p, Drop.TCP_PAWS);
            return;
        }

        // RST (RFC 9293 3.10.7.4 second check, RFC 5961 section 3.2): only an exact match resets; one
        // elsewhere in the window gets a challenge ACK; one outside is dropped.
        if ((f & TcpFlags.RST) != 0) {
            if (segSeq == pcb.rcvNxt) {
                reset(pcb);
            } else if (rcvWindow(pcb) > 0 && Seq.inWindow(segSeq, pcb.rcvNxt, pcb.rcvNxt + rcvWindow(pcb))) {
                tcp.challengeAck(pcb);
                tcp.stats.drop(Drop.TCP_RST_IGNORED);
            } else {
                tcp.stats.drop(Drop.TCP_RST_IGNORED);
            }
            PbufPool.free(p);
            return;
        }
        // SYN (RFC 5961 section 4): a retransmitted SYN in SYN_RCVD gets our SYN,ACK again; any other SYN
        // gets a challenge ACK and is dropped.
        if ((f & TcpFlags.SYN) != 0) {
            boolean again = pcb.state == TcpState.SYN_RCVD && segSeq == pcb.irs;
            if (again && (f & TcpFlags.ACK) != 0 && Seq.between(segAck, pcb.sndUna + 1, pcb.sndMax)) {
                // Simultaneous open: the peer's SYN,ACK acknowledges our SYN. Its SYN we have; go on with the
                // rest of the segment as if it started just after it.
                f &= ~TcpFlags.SYN;
                segFlags = f;
                segSeq++;
                pcb.ackNow = true;
            } else {
                if (again && (f & TcpFlags.ACK) == 0) {
                    out.goBackN(pcb); // our SYN,ACK was lost: send it again
                } else {
                    tcp.challengeAck(pcb);
                    tcp.stats.drop(Drop.TCP_SYN_IGNORED);
                }
                PbufPool.free(p);
                return;
            }
        }
        // First check: sequence number acceptability (RFC 9293 3.10.7.4 table).
        int seqLen = segLen + ((f & TcpFlags.FIN) != 0 ? 1 : 0);
        if (!acceptable(pcb, seqLen)) {
            pcb.ackNow = true;
            if (rcvWindow(pcb) != 0 || (f & TcpFlags.ACK) == 0 || segSeq != pcb.rcvNxt) {
                drop(p, Drop.TCP_BAD_SEQ);
                return;
            }
            // RFC 9293 3.10.7.4: with a zero receive window no segment is acceptable, "but special
            // allowance should be made to accept valid ACKs": its text and FIN are dropped, its ACK and
            // window are processed (else two peers with closed windows could wait on each other). Only at
            // SEG.SEQ = RCV.NXT, as Linux does: with any sequence number a blind attacker who guessed the
            // ACK alone could close our send window or move TS.Recent.
            tcp.stats.drop(Drop.TCP_BAD_SEQ);
            segLen = 0;
            f &= ~TcpFlags.FIN;
            segFlags = f;
        }
        if ((f & TcpFlags.ACK) == 0) {
            drop(p, Drop.TCP_NO_ACK);
            return;
        }
        if (pcb.keepAlive) {
            tcp.keepIdle(pcb); // the peer is alive: the idle time starts again
        }
        // ACK processing.
        if (pcb.state == TcpState.SYN_RCVD) {
            if (!Seq.between(segAck, pcb.sndUna + 1, pcb.sndMax)) {
                out.sendRstFor(segDst, segDport, segSrc, segSport, f, segSeq, segAck, segLen);
                drop(p, Drop.TCP_BAD_ACK);
                return;
            }
            tcp.table.changeState(pcb, TcpState.ESTABLISHED, "rcv ACK of SYN");
            tcp.cc.init(pcb, pcb.nrtx > 0);
            ackNew(pcb);
            if (!established(pcb, gen)) {
                PbufPool.free(p);
                return;
            }
        }
        if (Seq.gt(segAck, pcb.sndMax)) {
            // RFC 9293: an ACK for something not yet sent: ACK and drop.
            pcb.ackNow = true;
            drop(p, Drop.TCP_BAD_ACK);
            return;
        }
        int wnd = unscaledWindow ? segWnd : segWnd << pcb.sndScale;
        if (Seq.lt(segAck, pcb.sndUna - (pcb.maxSndWnd > 65535 ? pcb.maxSndWnd : 65535))) {
            // RFC 5961 section 5.2: an ACK far below SND.UNA (older than any window we sent) is injected.
            tcp.challengeAck(pcb);
            drop(p, Drop.TCP_BAD_ACK);
            return;
        }
        if (!pcb.appClosed) {
            pcb.probes = 0; // an acceptable ACK: the peer is alive, and its application may hold the window
        }
        // RFC 7323 4.3: TS.Recent follows the segments that arrive in sequence - but only once the ACK is
        // known to be acceptable. A segment at RCV.NXT with an injected ACK (refused above, RFC 5961 5.2) and
        // a TSval far ahead would otherwise move TS.Recent there, and PAWS would then drop every real segment
        // of the peer: a blind stall. (Linux moved its update after the ACK check for the same reason.)
        if (pcb.tsOk && segTs && Seq.geq(segTsVal, pcb.tsRecent) && Seq.leq(segSeq, pcb.lastAckSent)) {
            pcb.tsRecent = segTsVal;
        }
        if (Seq.gt(segAck, pcb.sndUna)) {
            ackNew(pcb);
            if (!alive(pcb, gen)) {
                PbufPool.free(p);
                return;
            }
        } else if (segAck == pcb.sndUna && segLen == 0 && (f & (TcpFlags.SYN | TcpFlags.FIN)) == 0
                && wnd == pcb.sndWnd && pcb.sndMax != pcb.sndUna && pcb.unacked != null) {
            // RFC 5681 section 2's definition, all five conditions; the third starts fast retransmit
            if (tcp.cc.onDuplicateAck(pcb, segAck)) {
                out.retransmitFirst(pcb);
            }
        }
        // Window update (RFC 9293 SND.WL1/SND.WL2 rule).
        if (Seq.lt(pcb.sndWl1, segSeq) || (pcb.sndWl1 == segSeq && Seq.leq(pcb.sndWl2, segAck))) {
            pcb.sndWnd = wnd;
            if (wnd > pcb.maxSndWnd) {
                pcb.maxSndWnd = wnd;
            }
            pcb.sndWl1 = segSeq;
            pcb.sndWl2 = segAck;
        }
        boolean finAcked = pcb.finQueued && pcb.sndUna == pcb.sndLbb;
        // FIN_WAIT_1 with our FIN acknowledged and a FIN in the segment: if the text processing below takes
        // that FIN, the connection goes straight to TIME_WAIT; if not (it lies beyond the window or after a
        // hole), it must still move on to FIN_WAIT_2, or it would wait in FIN_WAIT_1 with no timer.
        boolean toFinWait2 = false;
        switch (pcb.state) {
            case TcpState.FIN_WAIT_1:
                if (finAcked) {
                    if ((f & TcpFlags.FIN) != 0) {
                        toFinWait2 = true;
                    } else {
                        finWait2(pcb);
                    }
                }
                break;
            case TcpState.CLOSING:
                if (finAcked) {
                    PbufPool.free(p);
                    tcp.table.enterTimeWait(pcb, "rcv ACK of FIN", false); // our ACK of their FIN went out in CLOSING
                    return;
                }
                break;
            case TcpState.LAST_ACK:
                if (finAcked) {
                    PbufPool.free(p);
                    tcp.table.changeState(pcb, TcpState.CLOSED, "rcv ACK of FIN");
                    tcp.table.release(pcb);
                    return;
                }
                break;
            default:
                break;
        }
        // Segment text and FIN.
        if (segLen == 0 && (f & TcpFlags.FIN) == 0) {
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
        receive(pcb, p, gen);
        if (toFinWait2 && alive(pcb, gen) && pcb.state == TcpState.FIN_WAIT_1) {
            finWait2(pcb);
        }
    }

    /** FIN_WAIT_1 -&gt; FIN_WAIT_2: our FIN is acknowledged; a closed connection now waits a bounded time. */
    private void finWait2(TcpPcb pcb) {
        tcp.table.changeState(pcb, TcpState.FIN_WAIT_2, "rcv ACK of FIN");
        if (pcb.appClosed) {
            pcb.finWait2Deadline = tcp.table.finWait2Deadline();
        }
    }

    /** SYN_RCVD -&gt; ESTABLISHED done: hand the connection to its listener or tell the connector. */
    private boolean established(TcpPcb pcb, int gen) {
        TcpPcb l = pcb.listener;
        if (l != null) {
            l.pending--;
            pcb.listener = null;
            pcb.appOwned = true;
            TcpAccept a = l.accept;
            int r = a == null ? Err.ABRT : a.accept(l, pcb);
            if (!alive(pcb, gen)) {
                return false;
            }
            if (r != Err.OK) {
                tcp.abort(pcb);
                return false;
            }
            return true;
        }
        TcpConnected c = pcb.connected;
        if (c != null) {
            c.connected(pcb);
        }
        return alive(pcb, gen);
    }

    private void synSent(TcpPcb pcb, Pbuf p) {
        int f = segFlags;
        int gen = pcb.gen;
        boolean ackOk = false;
        if ((f & TcpFlags.ACK) != 0) {
            if (Seq.leq(segAck, pcb.iss) || Seq.gt(segAck, pcb.sndMax)) {
                out.sendRstFor(segDst, segDport, segSrc, segSport, f, segSeq, segAck, segLen);
                drop(p, Drop.TCP_BAD_ACK);
                return;
            }
            ackOk = true;
        }
        if ((f & TcpFlags.RST) != 0) {
            PbufPool.free(p);
            if (ackOk) {
                tcp.table.fail(pcb, Err.REFUSED, "rcv RST (refused)");
            } else {
                tcp.stats.drop(Drop.TCP_RST_IGNORED);
            }
            return;
        }
        if ((f & TcpFlags.SYN) == 0) {
            drop(p, Drop.TCP_UNEXPECTED);
            return;
        }
        pcb.irs = segSeq;
        pcb.rcvNxt = segSeq + 1;
        pcb.sndWnd = segWnd; // a SYN's window is never scaled
        pcb.maxSndWnd = segWnd;
        pcb.sndWl1 = segSeq;
        pcb.sndWl2 = segAck;
        if (segWs >= 0 && tcp.opt.tcpWindowScaling) {
            pcb.sndScale = segWs > 14 ? 14 : segWs;
            pcb.rcvScale = tcp.ourScale;
        } else {
            pcb.sndScale = 0;
            pcb.rcvScale = 0; // RFC 7323 2.2: both sides scale or neither
        }
        if (pcb.tsOk && segTs) {
            pcb.tsRecent = segTsVal;
        } else {
            pcb.tsOk = false;
        }
        pcb.mss = sndMss(segMss, pcb.ourMss, pcb.tsOk);
        // Our SYN announced its window before RCV.NXT was known: its right edge counts from here.
        pcb.rcvAnnRight = pcb.rcvNxt + (pcb.rcvWnd > 65535 ? 65535 : pcb.rcvWnd);
        PbufPool.free(p); // data on a SYN is not kept (the peer sends it again)
        if (ackOk) {
            tcp.cc.init(pcb, pcb.nrtx > 0);
            ackNew(pcb);
            tcp.table.changeState(pcb, TcpState.ESTABLISHED, "rcv SYN,ACK");
            pcb.ackNow = true;
            if (pcb.keepAlive) {
                tcp.keepIdle(pcb);
            }
            established(pcb, gen);
        } else {
            // Simultaneous open: our SYN goes out again, now as SYN,ACK.
            tcp.table.changeState(pcb, TcpState.SYN_RCVD, "rcv SYN (simultaneous open)");
            out.goBackN(pcb);
            pcb.rtoDeadline = 0;
        }
    }

    /** RFC 9293 acceptability test of SEG.SEQ against RCV.NXT and RCV.WND. */
    private boolean acceptable(TcpPcb pcb, int seqLen) {
        int nxt = pcb.rcvNxt;
        int wnd = rcvWindow(pcb);
        if (seqLen == 0) {
            return wnd == 0 ? segSeq == nxt : Seq.inWindow(segSeq, nxt, nxt + wnd);
        }
        if (wnd == 0) {
            return false;
        }
        return Seq.inWindow(segSeq, nxt, nxt + wnd) || Seq.inWindow(segSeq + seqLen - 1, nxt, nxt + wnd);
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

    /** An exact-sequence RST: the connection is reset (RFC 9293 3.10.7.4, "second, check the RST bit"). */
    private void reset(TcpPcb pcb) {
        if (pcb.state == TcpState.SYN_RCVD && pcb.listener != null) {
            // A passive open goes back to LISTEN: the listener carries on, this half-open pcb goes.
            tcp.table.changeState(pcb, TcpState.LISTEN, "rcv RST");
            pcb.state = TcpState.CLOSED;
            tcp.table.release(pcb);
            return;
        }
        tcp.table.fail(pcb, pcb.state == TcpState.SYN_RCVD ? Err.REFUSED : Err.RST, "rcv RST");
    }

    /**
     * SEG.ACK acknowledges new data: frees acknowledged segments, takes an RTT sample, restarts or stops
     * the retransmission timer and tells the application.
     */
    private void ackNew(TcpPcb pcb) {
        int ack = segAck;
        int gen = pcb.gen;
        int freed = 0;
        int oldUna = pcb.sndUna;
        pcb.sndUna = ack;
        pcb.probes = 0;
        tcp.cc.unaAdvanced(pcb, ack);
        if (Seq.lt(pcb.sndNxt, ack)) {
            pcb.sndNxt = ack;
        }
        TcpSeg s = pcb.unacked;
        while (s != null && Seq.leq(s.end(), ack)) {
            TcpSeg n = s.next;
            freed += s.len;
            out.freeSeg(s);
            s = n;
        }
        pcb.unacked = s;
        if (s == null) {
            pcb.unackedTail = null;
            // after a timeout the queue is being sent again: what is acknowledged need not be
            s = pcb.unsent;
            while (s != null && Seq.leq(s.end(), ack)) {
                TcpSeg n = s.next;
                freed += s.len;
                out.freeSeg(s);
                s = n;
            }
            pcb.unsent = s;
            if (s == null) {
                pcb.unsentTail = null;
            }
        }
        // A partial ACK of a segment: its acknowledged bytes go, so that a retransmission sends only
        // what is missing.
        if (s != null && Seq.gt(ack, s.seq)) {
            int n = ack - s.seq;
            if (out.trimFront(s, n)) {
                freed += n;
            }
        }
        pcb.sndBuffered -= freed;
        tcp.rtt.acked(pcb, ack, pcb.tsOk && segTs, segTsEcr);
        pcb.nrtx = 0;
        int acked = ack - oldUna;
        if (oldUna == pcb.iss) {
            acked--; // the SYN is not data
        }
        if (acked > 0 && TcpState.synchronised(pcb.state) && tcp.cc.onAck(pcb, acked)) {
            out.retransmitFirst(pcb); // a partial ACK in recovery: the next hole goes again
        }
        if (pcb.sndUna == pcb.sndMax) {
            pcb.rtoDeadline = 0;
        } else {
            pcb.rtoDeadline = tcp.time.now() + pcb.rto; // RFC 6298 5.3
            tcp.timers.arm(pcb.rtoDeadline);
        }
        TcpSent cb = pcb.sent;
        if (freed > 0 && cb != null && !pcb.appClosed) {
            cb.sent(pcb, freed);
        }
        if (pcb.gen != gen) {
            return;
        }
    }

    // ================================================================ data and FIN

    /**
     * Segment text (RFC 9293 3.10.7.4, "seventh, process the segment text", and "eighth, check the FIN
     * bit"): trims to the window, delivers in-order data (and whatever the out-of-order queue can now
     * give), queues out-of-order data, processes a FIN once everything before it has arrived.
     */
    private void receive(TcpPcb pcb, Pbuf p, int gen) {
        int seq = segSeq;
        int len = segLen;
        boolean fin = (segFlags & TcpFlags.FIN) != 0;
        // Trim what we already have.
        int dup = pcb.rcvNxt - seq;
        if (dup > 0) {
            pcb.ackNow = true; // a retransmission: our ACK was lost or late, send it again now
            if (dup >= len) {
                // only the FIN (if any) is new
                if (len > 0) {
                    p = p.freeHeader(len);
                }
                len = 0;
            } else {
                p = p.freeHeader(dup);
                len -= dup;
            }
            seq = pcb.rcvNxt;
        }
        // Trim what lies beyond the window; a FIN beyond it is dropped with it.
        int right = pcb.rcvNxt + rcvWindow(pcb);
        if (Seq.gt(seq + len, right)) {
            int keep = right - seq;
            if (keep < 0) {
                keep = 0;
            }
            p.truncate(keep);
            len = keep;
            fin = false;
        }
        if (seq != pcb.rcvNxt) {
            pcb.ackNow = true; // out of order: a duplicate ACK at once (RFC 5681 4.2)
            tcp.ooo.insert(pcb, p, seq, len, fin);
            return;
        }
        // Delayed ACK (RFC 1122 4.2.3.2, RFC 9293 3.8.6.3): in-order data is acknowledged at least every
        // second full-sized segment and within tcpAckDelayMs; data that fills a hole at once (RFC 5681 4.2).
        pcb.rcvUnacked += len;
        if (tcp.opt.tcpAckDelayMs == 0 || pcb.ooseq != null || pcb.rcvUnacked >= 2 * pcb.mss) {
            pcb.ackNow = true;
        } else if (len > 0) {
            out.delayAck(pcb);
        }
        pcb.rcvNxt += len;
        pcb.rcvWnd -= len;
        if (len > 0) {
            if (!deliver(pcb, p, gen)) {
                return;
            }
        } else {
            PbufPool.free(p);
        }
        // Whatever the out-of-order queue now continues - up to a FIN: nothing follows the end of the stream.
        TcpSeg s;
        while (!fin && (s = tcp.ooo.takeInOrder(pcb, pcb.rcvNxt)) != null) {
            Pbuf q = s.p;
            int slen = s.len;
            int sdup = pcb.rcvNxt - s.seq;
            boolean sfin = (s.flags & TcpFlags.FIN) != 0;
            tcp.ooo.recycle(s);
            if (sdup >= slen) {
                if (q != null) {
                    PbufPool.free(q);
                }
                if (sdup == slen && sfin) {
                    fin = true;
                }
                continue;
            }
            if (sdup > 0) {
                q = q.freeHeader(sdup);
                slen -= sdup;
            }
            pcb.rcvNxt += slen;
            pcb.rcvWnd -= slen;
            if (sfin) {
                fin = true;
            }
            if (!deliver(pcb, q, gen)) {
                return;
            }
        }
        if (fin && pcb.ooseq != null) {
            tcp.ooo.discardAfterFin(pcb);
        }
        if (fin && !pcb.finRcvd) {
            finReceived(pcb, gen);
        }
    }

    /** Hands in-order data to the application (or drops it after shutdown). False if the pcb died. */
    private boolean deliver(TcpPcb pcb, Pbuf p, int gen) {
        TcpRecv cb = pcb.recv;
        if (pcb.shutRx || pcb.appClosed || cb == null) {
            // No reader: consume at once (lwIP's tcp_recv_null) so the window stays open.
            int n = p.totalLength();
            PbufPool.free(p);
            pcb.rcvWnd += n;
            if (pcb.shutRx || pcb.appClosed) {
                tcp.stats.drop(Drop.TCP_DATA_AFTER_FIN);
            }
            return true;
        }
        cb.recv(pcb, p);
        return alive(pcb, gen);
    }

    /** The peer's FIN, with everything before it, has arrived (RFC 9293 "eighth, check the FIN bit"). */
    private void finReceived(TcpPcb pcb, int gen) {
        pcb.rcvNxt++;
        pcb.finRcvd = true;
        pcb.ackNow = true;
        switch (pcb.state) {
            case TcpState.SYN_RCVD:
            case TcpState.ESTABLISHED:
                tcp.table.changeState(pcb, TcpState.CLOSE_WAIT, "rcv FIN");
                eof(pcb, gen);
                return;
            case TcpState.FIN_WAIT_1:
                if (pcb.finQueued && pcb.sndUna == pcb.sndLbb) {
                    if (eof(pcb, gen)) {
                        tcp.table.enterTimeWait(pcb, "rcv FIN,ACK", true);
                    }
                } else {
                    tcp.table.changeState(pcb, TcpState.CLOSING, "rcv FIN");
                    eof(pcb, gen);
                }
                return;
            case TcpState.FIN_WAIT_2:
                if (eof(pcb, gen)) {
                    tcp.table.enterTimeWait(pcb, "rcv FIN", true);
                }
                return;
            default:
                return;
        }
    }

    /** Tells the application the stream ended. False if the pcb died meanwhile. */
    private boolean eof(TcpPcb pcb, int gen) {
        TcpRecv cb = pcb.recv;
        if (cb != null && !pcb.appClosed && !pcb.shutRx) {
            cb.recv(pcb, null);
            return alive(pcb, gen) && pcb.where == TcpTable.IN_ACTIVE;
        }
        return true;
    }

    private static boolean alive(TcpPcb pcb, int gen) {
        return pcb.isAllocated() && pcb.gen == gen && pcb.where == TcpTable.IN_ACTIVE;
    }

    private void drop(Pbuf p, int reason) {
        tcp.stats.drop(reason);
        PbufPool.free(p);
    }
}
