package io.jwip.tcp;

import io.jwip.Err;
import io.jwip.buf.Pbuf;
import io.jwip.buf.PbufPool;
import io.jwip.stats.Drop;
import io.jwip.wire.Ip4Header;
import io.jwip.wire.TcpFlags;
import io.jwip.wire.TcpHeader;

/**
 * Building and sending TCP segments: the send queues of a connection (unsent, unacked), the sliding
 * window, (re)transmission, and control segments (bare ACKs and RSTs) that are built in a buffer of their
 * own, sent and freed at once.
 *
 * <p>Queued segments keep their buffer until acknowledged; IPv4 output <em>uses</em> the buffer, so the
 * same bytes go out again on retransmission with a fresh acknowledgment number, window and checksum.
 */
final class TcpOutput {
    private final Tcp tcp;
    private final TcpHeader th = new TcpHeader();

    private TcpControl ctl;

    TcpOutput(Tcp tcp) {
        this.tcp = tcp;
    }

    void setControl(TcpControl ctl) {
        this.ctl = ctl;
    }

    // ---------------------------------------------------------------- making segments

    /**
     * A segment descriptor with a buffer holding a TCP header (with an MSS option, and a window scale
     * option when {@code ws >= 0}, when {@code synFin} has SYN) and room for {@code len} data bytes, its
     * header filled except ack, window and checksum.
     *
     * @return the segment, or null when the {@code TCP_SEG} pool is empty or the buffer pool would fall
     *         below the receive reserve ({@link Tcp#rxReserve})
     */
    TcpSeg newSeg(TcpPcb pcb, int seq, int len, int synFin, int mssOpt, int ws, int lport, int rport) {
        int hdr = TcpHeader.MIN_LENGTH;
        if ((synFin & TcpFlags.SYN) != 0) {
            hdr += TcpHeader.OPT_MSS_LENGTH + (ws >= 0 ? 4 : 0);
        }
        int tsAt = 0;
        if (pcb.tsOk) {
            tsAt = hdr;
            hdr += TcpHeader.OPT_TS_SPACE;
        }
        // A segment keeps its buffers until acknowledged; the acknowledgement needs a receive buffer.
        if (tcp.pbufs.pool().avail() - tcp.pbufs.buffersFor(tcp.ip.headroom() + hdr, len)
                < tcp.rxReserve) {
            tcp.pbufs.pool().countError();
            return null;
        }
        TcpSeg s = (TcpSeg) tcp.segPool.take();
        if (s == null) {
            return null;
        }
        Pbuf p = tcp.ip.allocTransport(hdr, len);
        if (p == null) {
            tcp.segPool.give(s);
            return null;
        }
        p.addHeader(hdr);
        th.wrap(p.buf, p.offset()).sourcePort(lport).destinationPort(rport).seq(seq).ack(0)
                .headerLength(hdr).flags(0).window(0).checksum(0).urgent(0);
        if (hdr > TcpHeader.MIN_LENGTH) {
            th.mssOption(mssOpt);
            if (ws >= 0) {
                th.wsOption(TcpHeader.OPTIONS + TcpHeader.OPT_MSS_LENGTH, ws);
            }
        }
        s.p = p;
        s.seq = seq;
        s.len = len;
        s.flags = synFin;
        s.hdrLen = hdr;
        s.tsAt = tsAt;
        s.next = null;
        return s;
    }

    void freeSeg(TcpSeg s) {
        if (s.p != null) {
            PbufPool.free(s.p);
            s.p = null;
        }
        s.next = null;
        tcp.segPool.give(s);
    }

    /** Appends to the unsent queue. */
    void enqueue(TcpPcb pcb, TcpSeg s) {
        s.next = null;
        if (pcb.unsentTail == null) {
            pcb.unsent = s;
        } else {
            pcb.unsentTail.next = s;
        }
        pcb.unsentTail = s;
    }

    /**
     * Copies data into segments of at most one MSS each (all or nothing): first into the room left in
     * the last unsent segment (write coalescing, so that small writes become full segments), then into
     * new segments.
     */
    int write(TcpPcb pcb, byte[] data, int off, int len) {
        if (len > tcp.opt.tcpSndBuf - pcb.sndBuffered) {
            return Err.MEM;
        }
        int mss = pcb.mss;
        // Coalescing: a data-only tail segment that nobody else references (a link may still hold one
        // that was sent before a timeout) and has room in its single buffer takes the first bytes.
        TcpSeg tail = pcb.unsentTail;
        int fill = 0;
        if (tail != null && tail.flags == 0 && tail.len < mss && tail.p.next() == null
                && tail.p.refCount() == 1) {
            fill = mss - tail.len;
            if (fill > tail.p.tailroom()) {
                fill = tail.p.tailroom();
            }
            if (fill > len) {
                fill = len;
            }
        }
        if (fill > 0) {
            int at = tail.p.totalLength();
            tail.p.grow(fill);
            tail.p.copyIn(at, data, off, fill);
            tail.len += fill;
            pcb.sndLbb += fill;
            pcb.sndBuffered += fill;
            off += fill;
            len -= fill;
            if (len == 0) {
                return Err.OK;
            }
        }
        int segs = (len + mss - 1) / mss;
        if (tcp.segPool.avail() < segs) {
            tcp.segPool.countError();
            unfill(pcb, tail, fill);
            return Err.MEM;
        }
        int bufs = 0;
        int head = tcp.ip.headroom() + TcpHeader.MIN_LENGTH + (pcb.tsOk ? TcpHeader.OPT_TS_SPACE : 0);
        for (int done = 0; done < len; done += mss) {
            int c = len - done < mss ? len - done : mss;
            bufs += tcp.pbufs.buffersFor(head, c);
        }
        if (tcp.pbufs.pool().avail() < bufs + tcp.rxReserve) {
            tcp.pbufs.pool().countError();
            unfill(pcb, tail, fill);
            return Err.MEM;
        }
        int seq = pcb.sndLbb;
        TcpSeg oldTail = pcb.unsentTail;
        for (int done = 0; done < len; ) {
            int c = len - done < mss ? len - done : mss;
            TcpSeg s = newSeg(pcb, seq, c, 0, 0, -1, pcb.localPort, pcb.remotePort);
            if (s == null) {
                // Not expected after the checks above (one thread), but all or nothing: undo this call.
                TcpSeg q = oldTail == null ? pcb.unsent : oldTail.next;
                while (q != null) {
                    TcpSeg n = q.next;
                    freeSeg(q);
                    q = n;
                }
                if (oldTail == null) {
                    pcb.unsent = null;
                } else {
                    oldTail.next = null;
                }
                pcb.unsentTail = oldTail;
                pcb.sndLbb -= done;
                pcb.sndBuffered -= done;
                unfill(pcb, tail, fill);
                tcp.stats.drop(Drop.TCP_NO_BUFFER);
                return Err.MEM;
            }
            s.p.copyIn(s.hdrLen, data, off + done, c);
            enqueue(pcb, s);
            seq += c;
            done += c;
            pcb.sndLbb = seq;
            pcb.sndBuffered += c;
        }
        return Err.OK;
    }

    /** Undoes the coalescing part of a write that failed (all or nothing). */
    private void unfill(TcpPcb pcb, TcpSeg tail, int fill) {
        if (fill > 0) {
            tail.len -= fill;
            tail.p.truncate(tail.p.totalLength() - fill);
            pcb.sndLbb -= fill;
            pcb.sndBuffered -= fill;
        }
    }

    /** Queues our FIN after all data: on the last unsent segment, or alone. */
    boolean queueFin(TcpPcb pcb) {
        TcpSeg tail = pcb.unsentTail;
        if (tail != null && (tail.flags & (TcpFlags.FIN | TcpFlags.SYN)) == 0) {
            tail.flags |= TcpFlags.FIN;
        } else {
            TcpSeg s = newSeg(pcb, pcb.sndLbb, 0, TcpFlags.FIN, 0, -1, pcb.localPort, pcb.remotePort);
            if (s == null) {
                return false;
            }
            enqueue(pcb, s);
        }
        pcb.sndLbb++;
        pcb.finQueued = true;
        return true;
    }

    // ---------------------------------------------------------------- sending

    /**
     * Sends every unsent segment that the windows, Nagle's algorithm and sender SWS avoidance allow, starts
     * the retransmission or persist timer, and sends a bare ACK if one is owed and no segment carried it
     * (lwIP's {@code tcp_output}).
     *
     * <p>What may be in flight is min(cwnd, SND.WND) from SND.UNA (RFC 5681). A segment that does not fit:
     * <ul>
     *   <li>when the congestion window stops it, waits for ACKs;</li>
     *   <li>when the peer's window stops it, is split to fit if at least half the largest window the peer
     *       ever offered fits (RFC 9293 3.8.6.2.1, sender SWS avoidance), else waits; with nothing in flight
     *       the persist timer then probes the window (RFC 9293 3.8.6.1).</li>
     * </ul>
     * Nagle (RFC 896, RFC 9293 3.7.4): the last, less than full segment waits while data is in flight,
     * unless {@link Tcp#setNoDelay} switched it off or it carries our FIN.
     */
    void output(TcpPcb pcb) {
        output(pcb, false);
    }

    /**
     * As {@link #output(TcpPcb)}; with {@code override} (the persist timer's "override timeout", RFC 9293
     * 3.8.6.2.1) a segment is cut to whatever window the peer offers, however small, and Nagle waits not.
     */
    private void output(TcpPcb pcb, boolean override) {
        if (pcb.where != TcpTable.IN_ACTIVE) {
            return;
        }
        boolean sent = false;
        long now = tcp.time.now();
        while (pcb.unsent != null) {
            TcpSeg s = pcb.unsent;
            if ((s.flags & TcpFlags.SYN) == 0 && !TcpState.synchronised(pcb.state)) {
                break; // data written before the handshake completed waits for it
            }
            if (s.len > 0) {
                // Data written before the handshake was cut to a guess of the MSS; the peer may have
                // announced less (or timestamps take 12 bytes of it). Never send more than the peer's MSS.
                if (s.len > pcb.mss && !split(pcb, s, pcb.mss)) {
                    waitForMemory(pcb, now);
                    break;
                }
                int cwnd = Congestion.window(pcb, s.len);
                int wnd = cwnd < pcb.sndWnd ? cwnd : pcb.sndWnd;
                int room = pcb.sndUna + wnd - s.seq;
                if (room < s.len) {
                    boolean peerLimited = pcb.sndWnd <= cwnd;
                    boolean worthIt = override || room >= (pcb.maxSndWnd >> 1);
                    if (!(peerLimited && room > 0 && worthIt && split(pcb, s, room))) {
                        if (peerLimited && pcb.unacked == null) {
                            armPersist(pcb, now);
                        }
                        break;
                    }
                }
                if (!pcb.noDelay && !override && s.len < pcb.mss && s.next == null
                        && (s.flags & TcpFlags.FIN) == 0 && pcb.unacked != null) {
                    break; // Nagle: wait for an ACK (or more data to fill the segment)
                }
            }
            pcb.unsent = s.next;
            if (pcb.unsent == null) {
                pcb.unsentTail = null;
            }
            s.next = null;
            if (pcb.unackedTail == null) {
                pcb.unacked = s;
            } else {
                pcb.unackedTail.next = s;
            }
            pcb.unackedTail = s;
            int end = s.end();
            boolean isNew = Seq.geq(s.seq, pcb.sndMax);
            if (!isNew) {
                tcp.st.retransmits++;
            }
            transmit(pcb, s);
            sent = true;
            if (Seq.gt(end, pcb.sndNxt)) {
                pcb.sndNxt = end;
            }
            if (Seq.gt(end, pcb.sndMax)) {
                if (isNew) {
                    tcp.rtt.segmentSent(pcb, end); // RFC 6298: one per RTT; never a retransmitted one (Karn)
                }
                pcb.sndMax = end;
            }
            if (pcb.rtoDeadline == 0) {
                pcb.rtoDeadline = now + pcb.rto;
                tcp.timers.arm(pcb.rtoDeadline);
            }
        }
        if (sent) {
            // data is moving: the persist timer has nothing to do
            pcb.persistDeadline = 0;
            pcb.persistBackoff = 0;
            pcb.probes = 0;
        } else if (pcb.ackNow) {
            ctl.sendAck(pcb);
        }
        pcb.ackNow = false;
    }

    /** Starts the persist timer unless it runs: the first probe after one RTO, then backing off. */
    private void armPersist(TcpPcb pcb, long now) {
        if (pcb.persistDeadline != 0) {
            return;
        }
        if (pcb.persistBackoff == 0) {
            pcb.persistBackoff = pcb.rto;
        }
        pcb.persistDeadline = now + pcb.persistBackoff;
        tcp.timers.arm(pcb.persistDeadline);
    }

    /**
     * The persist timer fired with data waiting and nothing in flight. If the peer offers some window, the
     * head segment goes out cut to it (the "override timeout" of sender SWS avoidance); with a zero window
     * a probe goes out. The interval doubles, bounded by tcpPersistMaxMs. After tcpMaxRtx probes without
     * progress ({@link TcpPcb#probes}) the connection is reset and given up: a peer that vanished, or one
     * that holds the window of a connection the application closed (Linux's tcp_orphan_retries). A peer
     * that answers may keep the window of a connection the application holds closed forever.
     */
    void persistExpired(TcpPcb pcb, long now) {
        pcb.persistDeadline = 0;
        TcpSeg s = pcb.unsent;
        if (s == null || pcb.unacked != null || !TcpState.synchronised(pcb.state)) {
            pcb.persistBackoff = 0;
            return;
        }
        if (pcb.sndUna + pcb.sndWnd - s.seq > 0) {
            output(pcb, true);
            if (pcb.unacked != null) {
                return;
            }
        }
        if (pcb.sndUna + pcb.sndWnd - s.seq <= 0) {
            if (pcb.probes >= tcp.opt.tcpMaxRtx) {
                tcp.st.persistGiveUps++;
                ctl.sendRst(pcb);
                tcp.table.fail(pcb, Err.TIMEOUT, "zero-window probes without progress");
                return;
            }
            pcb.probes++;
            tcp.st.persistProbes++;
            ctl.sendProbe(pcb);
        }
        long b = (long) pcb.persistBackoff * 2;
        pcb.persistBackoff = b > tcp.opt.tcpPersistMaxMs ? tcp.opt.tcpPersistMaxMs : (int) b;
        pcb.persistDeadline = now + pcb.persistBackoff;
        tcp.timers.arm(pcb.persistDeadline);
    }

    /**
     * Splits unsent segment {@code s} after {@code keep} data bytes: the rest (and a FIN) moves to a new
     * segment right after it; the segment may span several buffers. False (nothing changed) when no
     * descriptor or buffer can be had, or {@code s} is not a plain data segment that only we reference.
     */
    private boolean split(TcpPcb pcb, TcpSeg s, int keep) {
        if (keep <= 0 || keep >= s.len || (s.flags & TcpFlags.SYN) != 0 || !exclusive(s.p)) {
            return false;
        }
        int rest = s.len - keep;
        TcpSeg t = newSeg(pcb, s.seq + keep, rest, s.flags & TcpFlags.FIN, 0, -1, pcb.localPort, pcb.remotePort);
        if (t == null) {
            return false;
        }
        t.p.copyFrom(s.p, s.hdrLen + keep, t.hdrLen, rest);
        s.p.truncate(s.hdrLen + keep);
        s.len = keep;
        s.flags &= ~TcpFlags.FIN;
        t.next = s.next;
        s.next = t;
        if (pcb.unsentTail == s) {
            pcb.unsentTail = t;
        }
        tcp.st.splits++;
        return true;
    }

    /** True if no buffer of the chain is referenced by anyone else (a link that still holds a copy). */
    private static boolean exclusive(Pbuf p) {
        for (Pbuf q = p; q != null; q = q.next()) {
            if (q.refCount() != 1) {
                return false;
            }
        }
        return true;
    }

    /**
     * Nothing can be sent until memory frees up (a segment cannot be re-cut for want of a buffer or
     * descriptor). With something in flight its ACK or retransmission timer brings the next try; with
     * nothing in flight the persist timer does, so the connection never waits without a timer.
     */
    private void waitForMemory(TcpPcb pcb, long now) {
        if (pcb.unacked == null) {
            armPersist(pcb, now);
        }
    }

    /**
     * Drops the first {@code n} data bytes of segment {@code s}, which the peer acknowledged (a partial
     * ACK): the header moves forward over them. Only for a plain data segment in one buffer that nobody
     * else references; otherwise the segment stays whole (resent whole, the peer trims).
     *
     * @return true if trimmed
     */
    boolean trimFront(TcpSeg s, int n) {
        Pbuf p = s.p;
        if (n <= 0 || n >= s.len || (s.flags & TcpFlags.SYN) != 0 || p.next() != null || p.refCount() != 1) {
            return false;
        }
        System.arraycopy(p.buf, p.offset(), p.buf, p.offset() + n, s.hdrLen);
        p.removeHeader(n);
        s.seq += n;
        s.len -= n;
        th.wrap(p.buf, p.offset()).seq(s.seq);
        return true;
    }

    /** Sends the first unacknowledged segment again (fast retransmit, partial ACK in recovery). */
    void retransmitFirst(TcpPcb pcb) {
        TcpSeg s = pcb.unacked;
        if (s == null) {
            return;
        }
        tcp.st.retransmits++;
        tcp.rtt.retransmitted(pcb);
        transmit(pcb, s);
    }

    /** Fills ack and window of a queued segment and hands it to IPv4, which fills the checksum. */
    private void transmit(TcpPcb pcb, TcpSeg s) {
        Pbuf p = s.p;
        int flags = s.flags;
        int ack = 0;
        if (pcb.state != TcpState.SYN_SENT) {
            flags |= TcpFlags.ACK;
            ack = pcb.rcvNxt;
        }
        if (s.len > 0) {
            flags |= TcpFlags.PSH;
        }
        int wnd = announce(pcb, (flags & TcpFlags.SYN) != 0);
        pcb.ackDeadline = 0;
        pcb.rcvUnacked = 0;
        th.wrap(p.buf, p.offset()).ack(ack).flags(flags).window(wnd).checksum(0);
        pcb.lastAckSent = ack;
        if (s.tsAt > 0) {
            if (pcb.tsOk) {
                th.tsOption(s.tsAt, (int) tcp.time.now(), (flags & TcpFlags.ACK) != 0 ? pcb.tsRecent : 0);
            } else {
                th.nops(s.tsAt, TcpHeader.OPT_TS_SPACE); // made before the peer declined timestamps
            }
        }
        if (tcp.trace != null) {
            tcp.trace.segment(true, pcb.localAddr, pcb.localPort, pcb.remoteAddr, pcb.remotePort, flags, s.seq,
                    ack, wnd, s.len);
        }
        tcp.stats.tcp.xmit++;
        // IP fills the checksum for the netif the route picks (or leaves it to a link with checksum offload).
        tcp.ip.outputTransport(p, pcb.localAddr, pcb.remoteAddr, tcp.opt.ipTtl, 0, Ip4Header.PROTO_TCP);
    }

    /**
     * The window field to send now, remembered for window updates. In a SYN it is unscaled (RFC 7323 2.2).
     * Otherwise receiver SWS avoidance (RFC 9293 3.8.6.2.2): the right edge we announced last stays where
     * it is until the buffer lets it move by min(RCV.BUFF/2, MSS).
     *
     * <p>With a scale, the field counts units of {@code 2^rcvScale} bytes from RCV.NXT, which moves by any
     * number of bytes, so the edge can rarely be announced exactly. The field is rounded up, so that rounding
     * does not move the edge left - unless that would offer a whole unit more than we can take: then it is
     * rounded down, the edge the peer sees moves left by less than a unit, and {@link TcpPcb#rcvAnnRight}
     * keeps the old edge, up to which data is still accepted (RFC 7323 2.4). Without that, an edge kept
     * while odd-sized segments arrive would creep right by a byte each time. So the edge accepted is never
     * more than a unit beyond what we can take.
     */
    int announce(TcpPcb pcb, boolean syn) {
        int w;
        if (syn) {
            w = pcb.rcvWnd > 65535 ? 65535 : pcb.rcvWnd;
            pcb.rcvAnnRight = pcb.rcvNxt + w;
            return w;
        }
        int sc = pcb.rcvScale;
        int unit = 1 << sc;
        int kept = pcb.rcvAnnRight - pcb.rcvNxt;
        if (kept < 0) {
            kept = 0;
        } else if (kept - pcb.rcvWnd >= unit) {
            kept = pcb.rcvWnd > 0 ? pcb.rcvWnd : 0; // not an edge we announced (a segment before the SYN,ACK)
        }
        w = pcb.rcvWnd;
        if (w < kept || w - kept < swsThreshold(pcb)) {
            w = kept;
        }
        int field = (w + unit - 1) >>> sc;
        if (field > 0 && (field << sc) - pcb.rcvWnd >= unit) {
            field--;
        }
        if (field > 65535) {
            field = 65535;
        }
        int right = pcb.rcvNxt + (field << sc);
        if (Seq.gt(right, pcb.rcvNxt + kept)) {
            pcb.rcvAnnRight = right;
        } else {
            pcb.rcvAnnRight = pcb.rcvNxt + kept;
        }
        return field;
    }

    /** The smallest window increase worth announcing: min(RCV.BUFF/2, MSS). */
    private int swsThreshold(TcpPcb pcb) {
        int half = tcp.opt.tcpWnd >> 1;
        return half < pcb.ourMss ? half : pcb.ourMss;
    }

    /** True if the receive window can move right by enough to send a window update for it. */
    boolean windowUpdateWorthIt(TcpPcb pcb) {
        int kept = pcb.rcvAnnRight - pcb.rcvNxt;
        return pcb.rcvWnd - kept >= swsThreshold(pcb);
    }

    /**
     * After a retransmission timeout: every unacknowledged segment goes back to the front of the unsent
     * queue to be sent again from SND.UNA (go-back-N, as lwIP's {@code tcp_rexmit_rto}).
     */
    void goBackN(TcpPcb pcb) {
        if (pcb.unacked == null) {
            return;
        }
        pcb.unackedTail.next = pcb.unsent;
        if (pcb.unsent == null) {
            pcb.unsentTail = pcb.unackedTail;
        }
        pcb.unsent = pcb.unacked;
        pcb.unacked = null;
        pcb.unackedTail = null;
        pcb.sndNxt = pcb.sndUna;
    }

    /** Time the delayed ACK must go out by; sets it if none is pending. */
    void delayAck(TcpPcb pcb) {
        if (pcb.ackDeadline == 0) {
            pcb.ackDeadline = tcp.time.now() + tcp.opt.tcpAckDelayMs;
            tcp.timers.arm(pcb.ackDeadline);
        }
    }

    /** Frees every queued segment of a connection that is over. */
    void freeQueues(TcpPcb pcb) {
        for (TcpSeg s = pcb.unsent; s != null; ) {
            TcpSeg n = s.next;
            freeSeg(s);
            s = n;
        }
        for (TcpSeg s = pcb.unacked; s != null; ) {
            TcpSeg n = s.next;
            freeSeg(s);
            s = n;
        }
        tcp.ooo.clear(pcb);
        pcb.unsent = pcb.unsentTail = null;
        pcb.unacked = pcb.unackedTail = null;
        pcb.sndBuffered = 0;
    }
}
