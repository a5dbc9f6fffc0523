package io.jwip.tcp;

import io.jwip.buf.Pbuf;
import io.jwip.buf.PbufPool;
import io.jwip.mem.Pool;
import io.jwip.stats.Drop;
import io.jwip.stats.Stats;
import io.jwip.wire.TcpFlags;
import io.jwip.wire.TcpHeader;

/**
 * The out-of-order queues of all connections (lwIP's {@code ooseq}, smoltcp's assembler): received data
 * that begins beyond RCV.NXT waits here, per connection sorted and free of overlaps, until the gap before
 * it fills. Every count of it is kept here and nowhere else.
 *
 * <h2>Bounds</h2>
 * Per connection {@link io.jwip.JwipOptions#tcpOooMaxSegs} segments and
 * {@link io.jwip.JwipOptions#tcpOooMaxBytes} bytes; for all connections together
 * {@link io.jwip.JwipOptions#tcpOooMaxPbufs} packet buffers (at most half the pool). Byte limits alone do
 * not bound buffers: a one-byte segment holds a whole buffer, and eight connections with eight one-byte
 * holes each would hold 64. Out-of-order data is also only a cache - the peer sends it again - so when the
 * buffer pool runs dry {@link #reclaim()} drops every queue (lwIP frees ooseq on pbuf shortage): it can
 * never pin buffers the stack needs to receive.
 *
 * <h2>Invariants (on each pcb)</h2>
 * {@code ooseq} is sorted by sequence number, segments do not overlap, all lie beyond RCV.NXT, a segment
 * with FIN is the last; {@code ooseqSegs} and {@code ooseqBytes} count it; {@link #pbufs} counts the
 * buffers of every queue. Queued buffers hold data only ({@code hdrLen == 0}; {@code p} is null for a
 * lone FIN) and are not changed while queued.
 */
final class OutOfOrderQueue implements PbufPool.Reclaimer {
    private final Tcp tcp;
    private final Stats stats;
    private final Pool segPool;
    private final int maxSegs;
    private final int maxBytes;
    /** Buffers all queues together may hold. */
    final int maxPbufs;
    /** Buffers all queues hold now. */
    int pbufs;
    /** Buffers the queues ever held at once (high-water mark). */
    int maxPbufsSeen;

    OutOfOrderQueue(Tcp tcp, int pbufPoolSize) {
        this.tcp = tcp;
        this.stats = tcp.stats;
        this.segPool = tcp.segPool;
        this.maxSegs = tcp.opt.tcpOooMaxSegs;
        this.maxBytes = tcp.opt.tcpOooMaxBytes;
        int half = pbufPoolSize / 2;
        this.maxPbufs = tcp.opt.tcpOooMaxPbufs < half ? tcp.opt.tcpOooMaxPbufs : half;
    }

    /**
     * Queues a segment that starts beyond RCV.NXT, inside the window. The queue stays sorted and free of
     * overlaps; within its bounds. A FIN is kept with its segment and processed when the gap before it
     * fills; nothing is queued after it. Takes {@code p} (may be null only for a lone FIN).
     */
    void insert(TcpPcb pcb, Pbuf p, int seq, int len, boolean fin) {
        TcpSeg prev = null;
        TcpSeg next = pcb.ooseq;
        while (next != null && Seq.lt(next.seq, seq)) {
            prev = next;
            next = next.next;
        }
        if (prev != null) {
            int pend = prev.seq + prev.len;
            if ((prev.flags & TcpFlags.FIN) != 0 || Seq.geq(pend, seq + len + (fin ? 1 : 0))) {
                free(p); // already have it all
                return;
            }
            if (Seq.gt(pend, seq)) {
                int cut = pend - seq;
                p = p.freeHeader(cut);
                seq = pend;
                len -= cut;
            }
        }
        if (fin) {
            // The stream ends here: a FIN segment is always the last in the queue. What follows it lies in
            // the new segment's range (which it carries) or beyond the end of the stream: it goes.
            while (next != null) {
                TcpSeg n = next.next;
                release(pcb, next);
                stats.drop(Drop.TCP_DATA_AFTER_FIN);
                next = n;
            }
            if (prev == null) {
                pcb.ooseq = null;
            } else {
                prev.next = null;
            }
        }
        // Segments wholly covered by the new one go; a partly covered successor trims the new one's tail.
        while (next != null && Seq.leq(next.seq + next.len, seq + len) && !((next.flags & TcpFlags.FIN) != 0 && !fin)) {
            TcpSeg n = next.next;
            if (prev == null) {
                pcb.ooseq = n;
            } else {
                prev.next = n;
            }
            release(pcb, next);
            next = n;
        }
        if (next != null && Seq.lt(next.seq, seq + len)) {
            int keep = next.seq - seq;
            p.truncate(keep);
            len = keep;
            fin = false;
        } else if (next != null && next.seq == seq + len && len == 0 && !fin) {
            free(p);
            return;
        }
        if (len == 0 && !fin) {
            free(p);
            return;
        }
        int bufs = p == null ? 0 : p.chainLength();
        if (pcb.ooseqSegs >= maxSegs || pcb.ooseqBytes + len > maxBytes) {
            drop(p, Drop.TCP_OOSEQ_FULL);
            return;
        }
        if (pbufs + bufs > maxPbufs) {
            drop(p, Drop.TCP_OOSEQ_BUFFERS);
            return;
        }
        TcpSeg s = (TcpSeg) segPool.take();
        if (s == null) {
            drop(p, Drop.TCP_NO_BUFFER);
            return;
        }
        s.p = p;
        s.seq = seq;
        s.len = len;
        s.flags = fin ? TcpFlags.FIN : 0;
        s.hdrLen = 0;
        s.next = next;
        if (prev == null) {
            pcb.ooseq = s;
        } else {
            prev.next = s;
        }
        pcb.ooseqSegs++;
        pcb.ooseqBytes += len;
        pbufs += bufs;
        if (pbufs > maxPbufsSeen) {
            maxPbufsSeen = pbufs;
        }
        tcp.st.ooseqQueued++;
    }

    /**
     * The first queued segment if it now continues the stream (starts at or before {@code rcvNxt}),
     * detached from the queue with its counts; null otherwise. The caller owns its buffer and gives the
     * descriptor back with {@link #recycle}.
     */
    TcpSeg takeInOrder(TcpPcb pcb, int rcvNxt) {
        TcpSeg s = pcb.ooseq;
        if (s == null || !Seq.leq(s.seq, rcvNxt)) {
            return null;
        }
        pcb.ooseq = s.next;
        s.next = null;
        pcb.ooseqSegs--;
        pcb.ooseqBytes -= s.len;
        if (s.p != null) {
            pbufs -= s.p.chainLength();
        }
        return s;
    }

    /** Gives back the descriptor of a segment from {@link #takeInOrder} whose buffer the caller took. */
    void recycle(TcpSeg s) {
        s.p = null;
        s.next = null;
        segPool.give(s);
    }

    /**
     * The FIN is in order: whatever is still queued lies beyond the end of the stream (a broken or malicious
     * peer sent it). It must never be delivered nor sit in the queue; it is freed and counted.
     */
    void discardAfterFin(TcpPcb pcb) {
        while (pcb.ooseq != null) {
            TcpSeg s = pcb.ooseq;
            pcb.ooseq = s.next;
            release(pcb, s);
            stats.drop(Drop.TCP_DATA_AFTER_FIN);
        }
    }

    /** Frees the queue of a connection that is over. */
    void clear(TcpPcb pcb) {
        while (pcb.ooseq != null) {
            TcpSeg s = pcb.ooseq;
            pcb.ooseq = s.next;
            release(pcb, s);
        }
    }

    /**
     * The buffer pool ran dry: every connection's out-of-order data goes (the peers send it again), counted.
     *
     * @return buffers given back
     */
    @Override
    public int reclaim() {
        int before = pbufs;
        for (TcpPcb p = tcp.table.active; p != null; p = p.next) {
            while (p.ooseq != null) {
                TcpSeg s = p.ooseq;
                p.ooseq = s.next;
                release(p, s);
                stats.drop(Drop.TCP_OOSEQ_RECLAIMED);
            }
        }
        return before - pbufs;
    }

    /** Takes {@code s} (already unlinked) off {@code pcb}'s counts and frees it with its buffer. */
    private void release(TcpPcb pcb, TcpSeg s) {
        pcb.ooseqSegs--;
        pcb.ooseqBytes -= s.len;
        if (s.p != null) {
            pbufs -= s.p.chainLength();
            PbufPool.free(s.p);
            s.p = null;
        }
        s.next = null;
        segPool.give(s);
    }

    private void drop(Pbuf p, int reason) {
        stats.drop(reason);
        free(p);
    }

    private static void free(Pbuf p) {
        if (p != null) {
            PbufPool.free(p);
        }
    }
}
