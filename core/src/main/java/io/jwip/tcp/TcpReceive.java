package io.jwip.tcp;

import io.jwip.JwipOptions;
import io.jwip.buf.Pbuf;
import io.jwip.buf.PbufPool;
import io.jwip.stats.Drop;
import io.jwip.stats.Stats;
import io.jwip.wire.TcpFlags;

/**
 * The receiving half of segment processing (RFC 9293 3.10.7.4, "seventh, process the segment text" and
 * "eighth, check the FIN bit"): trims a segment to what is new and inside the window, queues it out of
 * order or takes it in order with whatever the out-of-order queue then continues, decides when the ACK
 * goes (delayed ACK), and processes the FIN once everything before it has arrived. What it takes for the
 * application goes to the segment's {@link TcpEvents}; it calls no application code.
 */
final class TcpReceive {
    private final JwipOptions opt;
    private final Stats stats;
    private final TcpTable table;
    private final TcpOutput out;
    private final OutOfOrderQueue ooo;
    private final TcpEvents events;

    TcpReceive(JwipOptions opt, Stats stats, TcpTable table, TcpOutput out, OutOfOrderQueue ooo,
            TcpEvents events) {
        this.opt = opt;
        this.stats = stats;
        this.table = table;
        this.out = out;
        this.ooo = ooo;
        this.events = events;
    }

    /**
     * The text and FIN of {@code seg} (whose data is {@code p}, taken), starting at {@code seq} and ending
     * at or before {@code right}, the right edge of the window the peer may use.
     */
    void text(TcpPcb pcb, TcpSegment seg, Pbuf p, int right) {
        int seq = seg.seq;
        int len = seg.len;
        boolean fin = seg.has(TcpFlags.FIN);
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
            ooo.insert(pcb, p, seq, len, fin);
            return;
        }
        // Delayed ACK (RFC 1122 4.2.3.2, RFC 9293 3.8.6.3): in-order data is acknowledged at least every
        // second full-sized segment and within tcpAckDelayMs; data that fills a hole at once (RFC 5681 4.2).
        pcb.rcvUnacked += len;
        if (opt.tcpAckDelayMs == 0 || pcb.ooseq != null || pcb.rcvUnacked >= 2 * pcb.mss) {
            pcb.ackNow = true;
        } else if (len > 0) {
            out.delayAck(pcb);
        }
        pcb.rcvNxt += len;
        pcb.rcvWnd -= len;
        if (len > 0) {
            deliver(pcb, p);
        } else {
            PbufPool.free(p);
        }
        // Whatever the out-of-order queue now continues - up to a FIN: nothing follows the end of the stream.
        TcpSeg s;
        while (!fin && (s = ooo.takeInOrder(pcb, pcb.rcvNxt)) != null) {
            Pbuf q = s.p;
            int slen = s.len;
            int sdup = pcb.rcvNxt - s.seq;
            boolean sfin = (s.flags & TcpFlags.FIN) != 0;
            ooo.recycle(s);
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
            deliver(pcb, q);
        }
        if (fin && pcb.ooseq != null) {
            ooo.discardAfterFin(pcb);
        }
        if (fin && !pcb.finRcvd) {
            fin(pcb);
        }
    }

    /** In-order data: for the application, or consumed at once after it shut its receiving side down. */
    private void deliver(TcpPcb pcb, Pbuf p) {
        if (pcb.shutRx || pcb.appClosed) {
            int n = p.totalLength();
            PbufPool.free(p);
            pcb.rcvWnd += n; // consumed at once, so the window stays open
            stats.drop(Drop.TCP_DATA_AFTER_FIN);
            return;
        }
        events.data(p);
    }

    /** The peer's FIN, with everything before it, has arrived (RFC 9293 "eighth, check the FIN bit"). */
    private void fin(TcpPcb pcb) {
        pcb.rcvNxt++;
        pcb.finRcvd = true;
        pcb.ackNow = true;
        events.eof();
        switch (pcb.state) {
            case TcpState.SYN_RCVD:
            case TcpState.ESTABLISHED:
                table.changeState(pcb, TcpState.CLOSE_WAIT, "rcv FIN");
                return;
            case TcpState.FIN_WAIT_1:
                if (pcb.finQueued && pcb.sndUna == pcb.sndLbb) {
                    table.enterTimeWait(pcb, "rcv FIN,ACK", true);
                } else {
                    table.changeState(pcb, TcpState.CLOSING, "rcv FIN");
                }
                return;
            case TcpState.FIN_WAIT_2:
                table.enterTimeWait(pcb, "rcv FIN", true);
                return;
            default:
                return;
        }
    }
}
