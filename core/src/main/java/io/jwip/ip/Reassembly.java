package io.jwip.ip;

import io.jwip.JwipOptions;
import io.jwip.StackTime;
import io.jwip.buf.Pbuf;
import io.jwip.buf.PbufPool;
import io.jwip.mem.Pool;
import io.jwip.mem.PoolEntry;
import io.jwip.stats.Drop;
import io.jwip.stats.Stats;
import io.jwip.wire.IcmpHeader;
import io.jwip.wire.Ip4Header;

/**
 * IPv4 reassembly (RFC 791 section 3.2, RFC 1122 3.3.2) with hard bounds: at most
 * {@link JwipOptions#ipReassDatagrams} datagrams in progress (entries from the {@code IP_REASSDATA} pool)
 * holding at most {@link JwipOptions#ipReassMaxPbufs} buffers together, each for at most
 * {@link JwipOptions#ipReassTimeoutMs}. When a bound is hit the oldest datagram is dropped and counted.
 *
 * <p>Fragments of one datagram are kept as a list of packets sorted by offset, linked through
 * {@link Pbuf#nextPacket}, each still starting at its own IP header; {@link Pbuf#tag} holds the fragment's
 * first data byte and {@link Pbuf#tag2} its end. Overlapping or duplicate fragments are dropped.
 */
public final class Reassembly {

    /** One datagram under reassembly (lwIP's {@code ip_reassdata}). */
    static final class Entry extends PoolEntry {
        int src;
        int dst;
        int id;
        int proto;
        /** Datagram data length once the last fragment (MF=0) is seen, else -1. */
        int total;
        /** Buffers held by this entry's fragments. */
        int pbufs;
        long deadline;
        /** Fragments sorted by offset, linked through {@code nextPacket}. */
        Pbuf frags;
        /** Next entry in arrival order (oldest first). */
        Entry nextActive;
    }

    private final Ip4 ip;
    private final StackTime time;
    private final JwipOptions opt;
    private final Stats stats;
    private final Pool pool;
    private final Ip4Header hdr = new Ip4Header();
    private Entry active;
    private int heldPbufs;

    Reassembly(JwipOptions opt, Stats stats, StackTime time, Ip4 ip) {
        this.ip = ip;
        this.time = time;
        this.opt = opt;
        this.stats = stats;
        this.pool = new Pool("IP_REASSDATA", 0);
        for (int i = 0; i < opt.ipReassDatagrams; i++) {
            pool.add(new Entry());
        }
        stats.addPool(pool);
    }

    /** Datagrams in progress. */
    public int inProgress() {
        return pool.used();
    }

    /** Buffers held by fragments now. */
    public int heldBuffers() {
        return heldPbufs;
    }

    /**
     * Adds a fragment. Takes {@code p} (starting at its IP header, already validated).
     *
     * @return the whole datagram as one chain starting at the first fragment's IP header, with the total
     *         length and fragment fields rewritten, when this fragment completed it; else null
     */
    Pbuf insert(Pbuf p) {
        if (opt.ipReassDatagrams == 0) {
            drop(p, Drop.FRAG_DISABLED);
            return null;
        }
        stats.frag.recv++;
        hdr.wrap(p.buf, p.offset());
        int hlen = hdr.headerLength();
        int len = hdr.totalLength() - hlen;
        int off = hdr.fragmentOffset();
        boolean mf = hdr.moreFragments();
        if (len <= 0 || (mf && (len & 7) != 0)) {
            drop(p, Drop.FRAG_BAD);
            return null;
        }
        if (off + len > 65535 - Ip4Header.MIN_LENGTH) {
            drop(p, Drop.FRAG_TOO_BIG);
            return null;
        }
        int src = hdr.source();
        int dst = hdr.destination();
        int id = hdr.identification();
        int proto = hdr.protocol();
        Entry e = find(src, dst, id, proto);
        if (e == null) {
            e = (Entry) pool.take();
            if (e == null && active != null) {
                evict(active, Drop.FRAG_EVICTED);
                e = (Entry) pool.take();
            }
            if (e == null) {
                drop(p, Drop.FRAG_NO_ENTRY);
                return null;
            }
            e.src = src;
            e.dst = dst;
            e.id = id;
            e.proto = proto;
            e.total = -1;
            e.pbufs = 0;
            e.frags = null;
            e.deadline = time.now() + opt.ipReassTimeoutMs;
            e.nextActive = null;
            append(e);
        }
        int clen = p.chainLength();
        while (heldPbufs + clen > opt.ipReassMaxPbufs) {
            Entry victim = active == e ? e.nextActive : active;
            if (victim == null) {
                // This datagram alone would exceed the cap: it can never complete.
                evict(e, Drop.FRAG_TOO_BIG);
                drop(p, Drop.FRAG_TOO_BIG);
                return null;
            }
            evict(victim, Drop.FRAG_EVICTED);
        }
        int end = off + len;
        if (!mf) {
            if (e.total >= 0 && e.total != end) {
                evict(e, Drop.FRAG_BAD);
                drop(p, Drop.FRAG_BAD);
                return null;
            }
            e.total = end;
        }
        if (e.total >= 0 && end > e.total) {
            evict(e, Drop.FRAG_BAD);
            drop(p, Drop.FRAG_BAD);
            return null;
        }
        Pbuf prev = null;
        Pbuf cur = e.frags;
        while (cur != null && cur.tag < off) {
            prev = cur;
            cur = cur.nextPacket;
        }
        if ((prev != null && prev.tag2 > off) || (cur != null && cur.tag < end)) {
            drop(p, Drop.FRAG_OVERLAP);
            return null;
        }
        p.tag = off;
        p.tag2 = end;
        p.nextPacket = cur;
        if (prev == null) {
            e.frags = p;
        } else {
            prev.nextPacket = p;
        }
        e.pbufs += clen;
        heldPbufs += clen;
        return complete(e) ? assemble(e) : null;
    }

    private boolean complete(Entry e) {
        if (e.total < 0) {
            return false;
        }
        long expect = 0;
        for (Pbuf f = e.frags; f != null; f = f.nextPacket) {
            if (f.tag != expect) {
                return false;
            }
            expect = f.tag2;
        }
        return expect == e.total;
    }

    private Pbuf assemble(Entry e) {
        Pbuf head = e.frags;
        Pbuf f = head.nextPacket;
        head.nextPacket = null;
        while (f != null) {
            Pbuf next = f.nextPacket;
            f.nextPacket = null;
            hdr.wrap(f.buf, f.offset());
            f.removeHeader(hdr.headerLength());
            head.cat(f);
            f = next;
        }
        e.frags = null;
        unlink(e);
        heldPbufs -= e.pbufs;
        pool.give(e);
        hdr.wrap(head.buf, head.offset());
        int hlen = hdr.headerLength();
        if (hlen + e.total > 65535) {
            drop(head, Drop.FRAG_TOO_BIG);
            return null;
        }
        hdr.totalLength(hlen + e.total).flagsFragment(0).fillChecksum();
        return head;
    }

    /** Drops datagrams whose time is up; sends ICMP time exceeded when the first fragment had come. */
    long timers(long now) {
        long next = StackTime.NO_DEADLINE;
        Entry e = active;
        while (e != null) {
            Entry n = e.nextActive;
            if (e.deadline <= now) {
                if (e.frags != null && e.frags.tag == 0) {
                    ip.error(e.frags, IcmpHeader.TYPE_TIME_EXCEEDED,
                            IcmpHeader.CODE_REASSEMBLY_EXCEEDED, 0);
                }
                evict(e, Drop.FRAG_TIMEOUT);
            } else if (e.deadline < next) {
                next = e.deadline;
            }
            e = n;
        }
        return next;
    }

    private Entry find(int src, int dst, int id, int proto) {
        for (Entry e = active; e != null; e = e.nextActive) {
            if (e.id == id && e.src == src && e.dst == dst && e.proto == proto) {
                return e;
            }
        }
        return null;
    }

    private void append(Entry e) {
        if (active == null) {
            active = e;
            return;
        }
        Entry t = active;
        while (t.nextActive != null) {
            t = t.nextActive;
        }
        t.nextActive = e;
    }

    private void unlink(Entry e) {
        if (active == e) {
            active = e.nextActive;
        } else {
            for (Entry t = active; t != null; t = t.nextActive) {
                if (t.nextActive == e) {
                    t.nextActive = e.nextActive;
                    break;
                }
            }
        }
        e.nextActive = null;
    }

    /** Frees a datagram in progress and all its fragments, counting one drop for {@code reason}. */
    private void evict(Entry e, int reason) {
        Pbuf f = e.frags;
        while (f != null) {
            Pbuf next = f.nextPacket;
            f.nextPacket = null;
            PbufPool.free(f);
            f = next;
        }
        e.frags = null;
        heldPbufs -= e.pbufs;
        e.pbufs = 0;
        unlink(e);
        pool.give(e);
        stats.drop(reason);
    }

    private void drop(Pbuf p, int reason) {
        stats.drop(reason);
        PbufPool.free(p);
    }
}
