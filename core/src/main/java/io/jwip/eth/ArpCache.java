package io.jwip.eth;

import io.jwip.JwipOptions;
import io.jwip.StackTime;
import io.jwip.buf.Pbuf;
import io.jwip.buf.PbufPool;
import io.jwip.mem.Pool;
import io.jwip.stats.Drop;
import io.jwip.wire.EthernetHeader;

/**
 * The neighbour table of one Ethernet netif (RFC 826's translation table, with RFC 1122 2.3.2.1's
 * ageing and RFC 1122 2.3.2.2's queue): IPv4 address to Ethernet address, with the states of
 * {@link ArpState}, request retries with exponential backoff, and a bounded queue of packets per
 * resolution.
 *
 * <p>Entries ({@code arpEntries}) and queue slots ({@code arpEntries * arpQueueLen}) come from two pools
 * made here, shown in the stack's pool table as ARP_CACHE and ARP_QUEUE. A queued packet is a copy in the
 * stack's packet buffers (the sender's buffer may be a TCP segment that is retransmitted meanwhile), with
 * room for the Ethernet header in front. Nothing here allocates after construction.
 *
 * <p>Bounds, whatever the neighbours do: an entry is INCOMPLETE for at most {@code arpRetryMs * (2^retries
 * - 1)} (7 s by default), so a queued copy is held at most that long; at most {@code arpEntries *
 * arpQueueLen} copies wait at once, and never the last {@code min(tcpRxPbufReserve, pbufs / 4)} buffers of
 * the pool; only our own packets create INCOMPLETE entries, and what the wire says creates an entry only
 * when it is addressed to us, replacing the least recently used resolved one.
 *
 * <p>What the cache decides (send a request, transmit a queued packet, drop one) it asks of its
 * {@link Sink}, the Ethernet link, which owns the wire.
 */
public final class ArpCache {
    /** What the cache needs done on the wire. */
    interface Sink {
        /** Sends an ARP request for {@code ip}: broadcast when {@code mac} is {@code Mac.NONE}, else unicast. */
        void request(int ip, long mac);

        /** Sends {@code p} (an IPv4 packet; the sink uses it, the cache frees it after) to {@code mac}. */
        void transmit(Pbuf p, long mac);

        /** Counts a dropped packet. */
        void drop(int reason);
    }

    /** Sees every entry in use (for the status page); allocates nothing. */
    public interface Visitor {
        void entry(int ip, long mac, int state, long ageMs, int queued);
    }

    private final Pool entries;
    private final Pool queue;
    private final int queueLen;
    private final long reachableMs;
    private final int retries;
    private final long retryMs;
    /** Packet buffers a queued copy must leave free (TCP's receive reserve): ARP never takes the last ones. */
    private final int pbufFloor;
    private ArpEntry used;
    private int count;
    private PbufPool pbufs;
    private StackTime time;
    private Sink sink;

    public ArpCache(JwipOptions o) {
        entries = new Pool("ARP_CACHE", 0).setCache(true);
        for (int i = 0; i < o.arpEntries; i++) {
            entries.add(new ArpEntry());
        }
        queue = new Pool("ARP_QUEUE", 0);
        for (int i = 0; i < o.arpEntries * o.arpQueueLen; i++) {
            queue.add(new ArpQueued());
        }
        queueLen = o.arpQueueLen;
        reachableMs = o.arpReachableMs;
        retries = o.arpRequestRetries;
        retryMs = o.arpRetryMs;
        pbufFloor = Math.min(o.tcpRxPbufReserve, o.pbufs / 4);
    }

    void bind(PbufPool pbufs, StackTime time, Sink sink) {
        this.pbufs = pbufs;
        this.time = time;
        this.sink = sink;
    }

    public Pool entryPool() { return entries; }

    public Pool queuePool() { return queue; }

    /** Entries in use. */
    public int count() { return count; }

    private ArpEntry find(int ip) {
        for (ArpEntry e = used; e != null; e = e.next) {
            if (e.ip == ip) {
                return e;
            }
        }
        return null;
    }

    /** The state of {@code ip}'s entry, or FREE. */
    public int state(int ip) {
        ArpEntry e = find(ip);
        return e == null ? ArpState.FREE : e.state;
    }

    /** The Ethernet address known for {@code ip}, or -1. */
    public long mac(int ip) {
        ArpEntry e = find(ip);
        return e == null || e.state == ArpState.INCOMPLETE ? -1 : e.mac;
    }

    /**
     * The address to send to {@code ip} now, or -1 when it must be resolved first ({@link #enqueue}). A
     * stale entry is still used, and its first use sends a unicast request to check it.
     */
    long lookup(int ip) {
        ArpEntry e = find(ip);
        if (e == null || e.state == ArpState.INCOMPLETE) {
            return -1;
        }
        long now = time.now();
        e.lastUsed = now;
        if (e.state == ArpState.STALE && e.retryAt == StackTime.NO_DEADLINE) {
            e.tries = 1;
            e.retryAt = now + retryMs;
            sink.request(ip, e.mac);
        }
        return e.mac;
    }

    /**
     * Queues a copy of {@code p} (which the caller keeps) until {@code ip} is resolved, starting the
     * resolution (an entry and a broadcast request) if there is none. A full queue drops its oldest.
     */
    void enqueue(int ip, Pbuf p) {
        long now = time.now();
        ArpEntry e = find(ip);
        if (e == null) {
            e = newEntry(ip);
            if (e == null) {
                sink.drop(Drop.ARP_TABLE_FULL);
                return;
            }
            e.state = ArpState.INCOMPLETE;
            e.mac = 0;
            e.tries = 1;
            e.since = now;
            e.retryAt = now + retryMs;
            e.lastUsed = now;
            sink.request(ip, 0);
        }
        if (queueLen == 0) {
            sink.drop(Drop.ARP_QUEUE_FULL);
            return;
        }
        if (e.queued >= queueLen) {
            dropOldest(e);
        }
        ArpQueued q = (ArpQueued) queue.take();
        if (q == null) {
            sink.drop(Drop.ARP_QUEUE_FULL);
            return;
        }
        int len = p.totalLength();
        // Replies to a flood from spoofed neighbours that never answer ARP would otherwise park copies in
        // every queue slot for 7 s: the copies never take the buffers that receiving needs.
        Pbuf copy = pbufs.pool().avail() > pbufFloor ? pbufs.alloc(EthernetHeader.HEADER_LENGTH, len) : null;
        if (copy == null) {
            queue.give(q);
            sink.drop(Drop.ETH_NO_BUFFER);
            return;
        }
        copy.copyFrom(p, 0, 0, len);
        q.p = copy;
        q.next = null;
        if (e.tail == null) {
            e.head = q;
        } else {
            e.tail.next = q;
        }
        e.tail = q;
        e.queued++;
    }

    private void dropOldest(ArpEntry e) {
        ArpQueued q = e.head;
        e.head = q.next;
        if (e.head == null) {
            e.tail = null;
        }
        e.queued--;
        PbufPool.free(q.p);
        q.p = null;
        q.next = null;
        queue.give(q);
        sink.drop(Drop.ARP_QUEUE_FULL);
    }

    /**
     * What the wire said: {@code ip} is at {@code mac}. An existing entry is updated (RFC 826's merge),
     * and its waiting packets are sent; a new one is made only if {@code create} (the packet was for us).
     * Static entries do not change.
     */
    void learned(int ip, long mac, boolean create) {
        ArpEntry e = find(ip);
        if (e == null) {
            if (!create) {
                return;
            }
            e = newEntry(ip);
            if (e == null) {
                return;
            }
            e.lastUsed = time.now();
        } else if (e.state == ArpState.STATIC) {
            return;
        }
        e.mac = mac;
        e.state = ArpState.REACHABLE;
        e.since = time.now();
        e.retryAt = StackTime.NO_DEADLINE;
        e.tries = 0;
        while (e.head != null) {
            ArpQueued q = e.head;
            e.head = q.next;
            e.queued--;
            sink.transmit(q.p, mac);
            PbufPool.free(q.p);
            q.p = null;
            q.next = null;
            queue.give(q);
        }
        e.tail = null;
    }

    /** Adds or replaces a static entry (never aged or overwritten by the wire). */
    public boolean addStatic(int ip, long mac) {
        ArpEntry e = find(ip);
        if (e == null) {
            e = newEntry(ip);
            if (e == null) {
                return false;
            }
        }
        if (e.state != ArpState.STATIC) {
            learned(ip, mac, false); // sends what waited for it
        }
        e.state = ArpState.STATIC;
        e.mac = mac;
        return true;
    }

    /** Removes {@code ip}'s entry (its waiting packets are dropped). */
    public void remove(int ip) {
        ArpEntry e = find(ip);
        if (e != null) {
            release(e, Drop.ARP_UNRESOLVED);
        }
    }

    /** Forgets every entry that is not static (the netif's address changed, or the link went down). */
    void flush() {
        ArpEntry e = used;
        while (e != null) {
            ArpEntry n = e.next;
            if (e.state != ArpState.STATIC) {
                release(e, Drop.ARP_UNRESOLVED);
            }
            e = n;
        }
    }

    /** Retries, gives up and ages entries; returns when to be called next. */
    long timers(long now) {
        long next = StackTime.NO_DEADLINE;
        ArpEntry e = used;
        while (e != null) {
            ArpEntry n = e.next;
            if (e.state == ArpState.REACHABLE && now - e.since >= reachableMs) {
                e.state = ArpState.STALE;
            }
            if ((e.state == ArpState.INCOMPLETE || e.state == ArpState.STALE) && now >= e.retryAt) {
                if (e.tries >= retries) {
                    release(e, Drop.ARP_UNRESOLVED);
                    e = n;
                    continue;
                }
                e.tries++;
                e.retryAt = now + (retryMs << (e.tries - 1));
                sink.request(e.ip, e.state == ArpState.STALE ? e.mac : 0);
            }
            if (e.state == ArpState.INCOMPLETE || e.state == ArpState.STALE) {
                next = Math.min(next, e.retryAt);
            } else if (e.state == ArpState.REACHABLE) {
                next = Math.min(next, e.since + reachableMs);
            }
            e = n;
        }
        return next;
    }

    /** Shows every entry in use to {@code v}. */
    public void forEach(Visitor v) {
        long now = time == null ? 0 : time.now();
        for (ArpEntry e = used; e != null; e = e.next) {
            v.entry(e.ip, e.state == ArpState.INCOMPLETE ? -1 : e.mac, e.state, now - e.since, e.queued);
        }
    }

    /** A free entry for {@code ip}, evicting the least recently used one that is not being resolved. */
    private ArpEntry newEntry(int ip) {
        ArpEntry e = (ArpEntry) entries.take();
        if (e == null) {
            ArpEntry victim = null;
            for (ArpEntry c = used; c != null; c = c.next) {
                if ((c.state == ArpState.REACHABLE || c.state == ArpState.STALE)
                        && (victim == null || c.lastUsed < victim.lastUsed)) {
                    victim = c;
                }
            }
            if (victim == null) {
                return null;
            }
            release(victim, Drop.ARP_UNRESOLVED);
            e = (ArpEntry) entries.take();
        }
        e.ip = ip;
        e.state = ArpState.REACHABLE;
        e.since = time.now();
        e.retryAt = StackTime.NO_DEADLINE;
        e.tries = 0;
        e.queued = 0;
        e.head = null;
        e.tail = null;
        e.next = used;
        used = e;
        count++;
        return e;
    }

    private void release(ArpEntry e, int reason) {
        while (e.head != null) {
            ArpQueued q = e.head;
            e.head = q.next;
            PbufPool.free(q.p);
            q.p = null;
            q.next = null;
            queue.give(q);
            sink.drop(reason);
        }
        e.tail = null;
        e.queued = 0;
        if (used == e) {
            used = e.next;
        } else {
            for (ArpEntry c = used; c != null; c = c.next) {
                if (c.next == e) {
                    c.next = e.next;
                    break;
                }
            }
        }
        e.next = null;
        e.state = ArpState.FREE;
        count--;
        entries.give(e);
    }
}
