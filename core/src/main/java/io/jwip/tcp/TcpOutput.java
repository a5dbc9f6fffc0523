package io.jwip.tcp;

import io.jwip.Err;
import io.jwip.buf.Pbuf;
import io.jwip.buf.PbufPool;
import io.jwip.stats.Drop;
import io.jwip.wire.Checksum;
import io.jwip.wire.Ipv4Header;
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

    TcpOutput(Tcp tcp) {
        this.tcp = tcp;
    }

    // ---------------------------------------------------------------- making segments

    /**
     * A segment descriptor with a buffer holding a TCP header (with an MSS option when {@code synFin} has
     * SYN) and room for {@code len} data bytes, its header filled except ack, window and checksum.
     *
     * @return the segment, or null when the {@code TCP_SEG} pool is empty or the buffer pool would fall
     *         below the receive reserve ({@link Tcp#rxReserve})
     */
    TcpSeg newSeg(TcpPcb pcb, int seq, int len, int synFin, int mssOpt, int lport, int rport) {
        int hdr = (synFin & TcpHeader.SYN) != 0 ? TcpHeader.MIN_LENGTH + TcpHeader.OPT_MSS_LENGTH : TcpHeader.MIN_LENGTH;
        // A segment keeps its buffers until acknowledged; the acknowledgement needs a receive buffer.
        if (tcp.stack.pbufPool().pool().avail() - tcp.stack.pbufPool().buffersFor(tcp.stack.ipHeadroom() + hdr, len)
                < tcp.rxReserve) {
            tcp.stack.pbufPool().pool().countError();
            return null;
        }
        TcpSeg s = (TcpSeg) tcp.segPool.take();
        if (s == null) {
            return null;
        }
        Pbuf p = tcp.stack.allocTransport(hdr, len);
        if (p == null) {
            tcp.segPool.give(s);
            return null;
        }
        p.addHeader(hdr);
        th.wrap(p.buf, p.offset()).sourcePort(lport).destinationPort(rport).seq(seq).ack(0)
                .headerLength(hdr).flags(0).window(0).checksum(0).urgent(0);
        if (hdr > TcpHeader.MIN_LENGTH) {
            th.mssOption(mssOpt);
        }
        s.p = p;
        s.seq = seq;
        s.len = len;
        s.flags = synFin;
        s.hdrLen = hdr;
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

    /** Copies data into new segments of at most one MSS each (all or nothing). */
    int write(TcpPcb pcb, byte[] data, int off, int len) {
        if (len > tcp.opt.tcpSndBuf - pcb.sndBuffered) {
            return Err.MEM;
        }
        int mss = pcb.mss;
        int segs = (len + mss - 1) / mss;
        if (tcp.segPool.avail() < segs) {
            tcp.segPool.countError();
            return Err.MEM;
        }
        int bufs = 0;
        int head = tcp.stack.ipHeadroom() + TcpHeader.MIN_LENGTH;
        for (int done = 0; done < len; done += mss) {
            int c = len - done < mss ? len - done : mss;
            bufs += tcp.stack.pbufPool().buffersFor(head, c);
        }
        if (tcp.stack.pbufPool().pool().avail() < bufs + tcp.rxReserve) {
            tcp.stack.pbufPool().pool().countError();
            return Err.MEM;
        }
        // HOOK (Nagle / coalescing): small writes could be appended to the last unsent segment here.
        int seq = pcb.sndLbb;
        TcpSeg oldTail = pcb.unsentTail;
        for (int done = 0; done < len; ) {
            int c = len - done < mss ? len - done : mss;
            TcpSeg s = newSeg(pcb, seq, c, 0, 0, pcb.localPort, pcb.remotePort);
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

    /** Queues our FIN after all data: on the last unsent segment, or alone. */
    boolean queueFin(TcpPcb pcb) {
        TcpSeg tail = pcb.unsentTail;
        if (tail != null && (tail.flags & (TcpHeader.FIN | TcpHeader.SYN)) == 0) {
            tail.flags |= TcpHeader.FIN;
        } else {
            TcpSeg s = newSeg(pcb, pcb.sndLbb, 0, TcpHeader.FIN, 0, pcb.localPort, pcb.remotePort);
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
     * Sends every unsent segment that fits the peer's window, starts the retransmission timer, and sends
     * a bare ACK if one is owed and no segment carried it (lwIP's {@code tcp_output}).
     */
    void output(TcpPcb pcb) {
        if (pcb.where != Tcp.IN_ACTIVE) {
            return;
        }
        boolean sent = false;
        long now = tcp.stack.now();
        while (pcb.unsent != null) {
            TcpSeg s = pcb.unsent;
            if ((s.flags & TcpHeader.SYN) == 0 && !TcpState.synchronised(pcb.state)) {
                break; // data written before the handshake completed waits for it
            }
            if (s.len > 0) {
                // Sliding window: the whole segment must lie inside SND.UNA + SND.WND.
                // HOOK (congestion control): the usable window becomes min(cwnd, SND.WND) here.
                // HOOK (persist timer): with a zero window and nothing in flight, start probing here.
                // HOOK (Nagle): hold a small segment while data is in flight here.
                int wndEnd = pcb.sndUna + pcb.sndWnd;
                if (Seq.gt(s.seq + s.len, wndEnd)) {
                    if (pcb.unacked == null && pcb.rtoDeadline == 0) {
                        // Nothing in flight will bring a window update: arm the timer for a probe
                        // (a minimal stand-in for the persist timer, see Tcp.rtoExpired).
                        pcb.rtoDeadline = now + pcb.rto;
                    }
                    break;
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
                if (isNew && !pcb.rttActive) {
                    // RFC 6298: time one segment per RTT; never a retransmitted one (Karn).
                    pcb.rttActive = true;
                    pcb.rttSeq = end;
                    pcb.rttStart = now;
                }
                pcb.sndMax = end;
            }
            if (pcb.rtoDeadline == 0) {
                pcb.rtoDeadline = now + pcb.rto;
            }
        }
        if (pcb.ackNow && !sent) {
            // HOOK (delayed ACK): a bare ACK could be held back up to 200 ms / every second segment here.
            sendAck(pcb);
        }
        pcb.ackNow = false;
    }

    /** Fills ack, window and checksum of a queued segment and hands it to IPv4. */
    private void transmit(TcpPcb pcb, TcpSeg s) {
        Pbuf p = s.p;
        int flags = s.flags;
        int ack = 0;
        if (pcb.state != TcpState.SYN_SENT) {
            flags |= TcpHeader.ACK_FLAG;
            ack = pcb.rcvNxt;
        }
        if (s.len > 0) {
            flags |= TcpHeader.PSH;
        }
        int wnd = announce(pcb);
        th.wrap(p.buf, p.offset()).ack(ack).flags(flags).window(wnd).checksum(0);
        int len = p.totalLength();
        long sum = Checksum.addPseudoHeader(0, pcb.localAddr, pcb.remoteAddr, Ipv4Header.PROTO_TCP, len);
        th.checksum(Checksum.finish(Checksum.add(sum, p, 0, len)));
        if (tcp.trace != null) {
            tcp.trace.segment(true, pcb.localAddr, pcb.localPort, pcb.remoteAddr, pcb.remotePort, flags, s.seq,
                    ack, wnd, s.len);
        }
        tcp.stats.tcp.xmit++;
        tcp.stack.ip().output(p, pcb.localAddr, pcb.remoteAddr, tcp.opt.ipTtl, 0, Ipv4Header.PROTO_TCP);
    }

    /** The window to announce now (no window scaling: at most 65535), remembered for window updates. */
    private int announce(TcpPcb pcb) {
        int w = pcb.rcvWnd > 65535 ? 65535 : pcb.rcvWnd;
        pcb.rcvAnnWnd = w;
        return w;
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
        for (TcpSeg s = pcb.ooseq; s != null; ) {
            TcpSeg n = s.next;
            freeSeg(s);
            s = n;
        }
        pcb.unsent = pcb.unsentTail = null;
        pcb.unacked = pcb.unackedTail = null;
        pcb.ooseq = null;
        pcb.ooseqBytes = 0;
        pcb.ooseqSegs = 0;
        pcb.sndBuffered = 0;
    }

    // ---------------------------------------------------------------- control segments

    /** A bare ACK: {@code <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>}. */
    void sendAck(TcpPcb pcb) {
        control(pcb.localAddr, pcb.localPort, pcb.remoteAddr, pcb.remotePort, pcb.sndNxt, pcb.rcvNxt,
                TcpHeader.ACK_FLAG, announce(pcb));
    }

    /**
     * A window probe: a bare ACK with {@code SEQ = SND.NXT - 1}, which lies just before the peer's window,
     * so the peer must answer with an ACK that carries its current window (the keep-alive trick). It
     * carries no data, so a zero-window peer never has to accept anything.
     */
    void sendProbe(TcpPcb pcb) {
        control(pcb.localAddr, pcb.localPort, pcb.remoteAddr, pcb.remotePort, pcb.sndNxt - 1, pcb.rcvNxt,
                TcpHeader.ACK_FLAG, announce(pcb));
    }

    /** A reset of a connection we abort: {@code <SEQ=SND.NXT><ACK=RCV.NXT><CTL=RST,ACK>}. */
    void sendRst(TcpPcb pcb) {
        tcp.st.rstSent++;
        control(pcb.localAddr, pcb.localPort, pcb.remoteAddr, pcb.remotePort, pcb.sndNxt, pcb.rcvNxt,
                TcpHeader.RST | TcpHeader.ACK_FLAG, 0);
    }

    /**
     * A reset in answer to a segment (RFC 9293 section 3.10.7.1): {@code <SEQ=SEG.ACK><CTL=RST>} if it had
     * ACK, else {@code <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>}. Never in answer to a RST.
     */
    void sendRstFor(int local, int lport, int remote, int rport, int segFlags, int segSeq, int segAck, int segLen) {
        if ((segFlags & TcpHeader.RST) != 0) {
            return;
        }
        tcp.st.rstSent++;
        if ((segFlags & TcpHeader.ACK_FLAG) != 0) {
            control(local, lport, remote, rport, segAck, 0, TcpHeader.RST, 0);
        } else {
            int seqLen = segLen + ((segFlags & TcpHeader.SYN) != 0 ? 1 : 0) + ((segFlags & TcpHeader.FIN) != 0 ? 1 : 0);
            control(local, lport, remote, rport, 0, segSeq + seqLen, TcpHeader.RST | TcpHeader.ACK_FLAG, 0);
        }
    }

    /** Builds, sends and frees a header-only segment. */
    void control(int local, int lport, int remote, int rport, int seq, int ack, int flags, int wnd) {
        Pbuf p = tcp.stack.allocTransport(TcpHeader.MIN_LENGTH, 0);
        if (p == null) {
            tcp.stats.drop(Drop.TCP_NO_BUFFER);
            return;
        }
        p.addHeader(TcpHeader.MIN_LENGTH);
        th.wrap(p.buf, p.offset()).sourcePort(lport).destinationPort(rport).seq(seq).ack(ack)
                .headerLength(TcpHeader.MIN_LENGTH).flags(flags).window(wnd).checksum(0).urgent(0);
        long sum = Checksum.addPseudoHeader(0, local, remote, Ipv4Header.PROTO_TCP, TcpHeader.MIN_LENGTH);
        th.checksum(Checksum.finish(Checksum.add(sum, p.buf, p.offset(), TcpHeader.MIN_LENGTH)));
        if (tcp.trace != null) {
            tcp.trace.segment(true, local, lport, remote, rport, flags, seq, ack, wnd, 0);
        }
        tcp.stats.tcp.xmit++;
        tcp.stack.ip().output(p, local, remote, tcp.opt.ipTtl, 0, Ipv4Header.PROTO_TCP);
        PbufPool.free(p);
    }
}
