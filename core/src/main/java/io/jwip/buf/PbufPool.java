package io.jwip.buf;

import io.jwip.mem.Pool;

/**
 * The pool of packet buffers (lwIP's {@code PBUF_POOL}): a fixed number of buffers of one size, all made
 * at start-up. A packet larger than one buffer is a chain.
 */
public final class PbufPool {
    private final Pool pool;
    private final int bufSize;

    /**
     * @param name    pool name in stats
     * @param count   number of buffers
     * @param bufSize bytes of storage per buffer (headroom + payload)
     */
    private Reclaimer reclaimer;
    private boolean reclaiming;

    public PbufPool(String name, int count, int bufSize) {
        this.pool = new Pool(name, bufSize);
        this.bufSize = bufSize;
        for (int i = 0; i < count; i++) {
            pool.add(new Pbuf(bufSize));
        }
    }

    /** The accounting pool behind this pbuf pool. */
    public Pool pool() { return pool; }

    /** Storage bytes per buffer. */
    public int bufSize() { return bufSize; }

    /**
     * Allocates a packet of {@code len} payload bytes with {@code headroom} bytes reserved before the payload
     * in the first buffer; a longer packet becomes a chain. Contents are not cleared.
     *
     * @return the head of the chain with {@code ref == 1}, owned by the caller, or null if the pool ran dry
     *         (then nothing is held and the pool's error counter was bumped once)
     */
    public Pbuf alloc(int headroom, int len) {
        if (headroom < 0 || len < 0 || headroom > bufSize) {
            return null;
        }
        if (reclaimer != null && !reclaiming && pool.avail() < buffersFor(headroom, len)) {
            reclaiming = true; // a reclaimer that allocates does not recurse
            try {
                reclaimer.reclaim();
            } finally {
                reclaiming = false;
            }
        }
        Pbuf head = take();
        if (head == null) {
            return null;
        }
        int first = bufSize - headroom;
        if (first > len) {
            first = len;
        }
        head.off = headroom;
        head.len = first;
        head.totLen = len;
        Pbuf tail = head;
        int rem = len - first;
        while (rem > 0) {
            Pbuf q = take();
            if (q == null) {
                free(head);
                return null;
            }
            int c = rem < bufSize ? rem : bufSize;
            q.off = 0;
            q.len = c;
            q.totLen = rem;
            tail.next = q;
            tail = q;
            rem -= c;
        }
        return head;
    }

    /**
     * Memory that can be given back when the pool runs dry (lwIP's PBUF_POOL_FREE_OOSEQ): buffers held
     * only as a cache, such as TCP's out-of-order data, which the peer sends again.
     */
    public interface Reclaimer {
        /** Frees what it can; returns the number of buffers given back. */
        int reclaim();
    }

    /**
     * Sets who is asked to give buffers back when an allocation would find too few (one reclaimer: TCP's
     * out-of-order queues when TCP is installed).
     */
    public void setReclaimer(Reclaimer r) {
        this.reclaimer = r;
    }

    private Pbuf take() {
        Pbuf p = (Pbuf) pool.take();
        if (p != null) {
            p.ref = 1;
            p.next = null;
            p.nextPacket = null;
            p.tag = 0;
            p.tag2 = 0;
        }
        return p;
    }

    /**
     * Drops one reference from each buffer of the chain starting at {@code p}, returning buffers whose count
     * reaches zero; stops at the first buffer that still has owners (lwIP's {@code pbuf_free}).
     *
     * @return the number of buffers returned to their pool
     */
    public static int free(Pbuf p) {
        int n = 0;
        while (p != null) {
            if (p.ref <= 0) {
                throw new IllegalStateException("pbuf freed twice");
            }
            if (--p.ref > 0) {
                break;
            }
            Pbuf next = p.next;
            p.next = null;
            p.nextPacket = null;
            p.len = 0;
            p.totLen = 0;
            p.pool().give(p);
            n++;
            p = next;
        }
        return n;
    }

    /** Number of buffers needed for a packet of {@code len} bytes with {@code headroom}. */
    public int buffersFor(int headroom, int len) {
        int first = bufSize - headroom;
        if (len <= first) {
            return 1;
        }
        return 1 + (len - first + bufSize - 1) / bufSize;
    }
}
