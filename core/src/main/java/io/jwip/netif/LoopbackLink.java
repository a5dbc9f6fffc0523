package io.jwip.netif;

import io.jwip.Err;
import io.jwip.buf.Pbuf;
import io.jwip.buf.PbufPool;
import io.jwip.stats.Drop;
import io.jwip.stats.Stats;

/**
 * The loopback link (lwIP's loopif): a packet sent is copied into a fresh buffer and queued, and delivered
 * back to the same netif at the next {@link #poll()}, never from inside {@code output}, so that a reply
 * cannot recurse into the stack. The queue is a fixed ring.
 */
public final class LoopbackLink implements Link {
    private final Pbuf[] ring;
    private final Stats stats;
    private int head;
    private int count;
    private LinkUpper upper;

    public LoopbackLink(int capacity, Stats stats) {
        this.ring = new Pbuf[capacity];
        this.stats = stats;
    }

    @Override
    public void attach(LinkUpper upper) {
        this.upper = upper;
    }

    @Override
    public int output(Pbuf p) {
        if (count == ring.length) {
            stats.drop(Drop.LINK_QUEUE_FULL);
            return Err.MEM;
        }
        Pbuf q = upper.allocInput(p.totalLength());
        if (q == null) {
            return Err.MEM;
        }
        q.copyFrom(p, 0, 0, p.totalLength());
        ring[(head + count) % ring.length] = q;
        count++;
        return Err.OK;
    }

    /** True if packets wait for {@link #poll()}. */
    public boolean pending() {
        return count > 0;
    }

    /** Delivers the packets queued before this call. */
    public void poll() {
        int n = count;
        while (n-- > 0 && count > 0) {
            Pbuf q = ring[head];
            ring[head] = null;
            head = (head + 1) % ring.length;
            count--;
            upper.input(q);
        }
    }

    /** Frees everything queued (at shutdown). */
    public void clear() {
        while (count > 0) {
            PbufPool.free(ring[head]);
            ring[head] = null;
            head = (head + 1) % ring.length;
            count--;
        }
    }
}
