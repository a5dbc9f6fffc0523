package io.jwip.dns;

import io.jwip.Err;
import io.jwip.JwipOptions;
import io.jwip.StackRandom;
import io.jwip.StackTime;
import io.jwip.buf.Pbuf;
import io.jwip.buf.PbufPool;
import io.jwip.mem.Pool;
import io.jwip.mem.PoolEntry;
import io.jwip.stack.Stack;
import io.jwip.stack.StackTimer;
import io.jwip.stats.Drop;
import io.jwip.stats.Stats;
import io.jwip.udp.Udp;
import io.jwip.udp.UdpPcb;
import io.jwip.udp.UdpRecv;
import io.jwip.wire.Bytes;
import io.jwip.wire.DnsHeader;
import io.jwip.wire.UdpHeader;

/**
 * A DNS stub resolver (RFC 1035, RFC 1123 6.1.3): A queries over UDP to up to three servers, answers
 * cached for their TTL, CNAME chains followed.
 *
 * <p>What it guards against (RFC 5452): each query has a random ID and goes out from a random source port
 * (a UDP pcb of its own, bound for that query only), and an answer counts only if it comes from the server
 * and port asked, carries the ID, and echoes the question; names are read with bounded, backward-only
 * compression pointers ({@link DnsHeader#readName}). A truncated answer (TC) is reported as such: there is
 * no TCP fallback. Everything else is dropped and counted by reason.
 *
 * <p>Queries in flight ({@code dnsQueries}) and cache entries ({@code dnsCacheEntries}) are pools made
 * here (DNS_QUERY, DNS_CACHE, each entry with its name buffer and up to {@link #MAX_ADDRESSES} addresses);
 * a lookup allocates nothing: the caller's name is encoded into the query's buffer, the message is built in
 * one scratch array, and the callback reads the answer from a view the resolver owns.
 */
public final class DnsResolver implements StackTimer, UdpRecv, Stats.Section {
    /** Addresses kept per name. */
    public static final int MAX_ADDRESSES = 4;
    /** CNAME records followed in one answer. */
    public static final int MAX_CNAMES = 8;

    /** Lookup results. */
    public static final int OK = 0;
    public static final int NXDOMAIN = 1;
    public static final int NO_ADDRESS = 2;
    public static final int TIMEOUT = 3;
    public static final int TRUNCATED = 4;
    public static final int SERVER_FAILURE = 5;
    private static final String[] RESULTS = {"OK", "no such name (NXDOMAIN)", "the name has no IPv4 address",
        "no answer from any DNS server", "answer truncated (TC): too large for UDP", "the DNS server failed"};

    public static String result(int r) {
        return r >= 0 && r < RESULTS.length ? RESULTS[r] : "unknown";
    }

    /** Hears how a lookup ended; {@code answer} is readable during the call only. */
    public interface Callback {
        void resolved(CharSequence name, int result, Answer answer, Object arg);
    }

    /** The addresses found for a name (a view, valid during the callback). */
    public static final class Answer {
        int count;
        final int[] addresses = new int[MAX_ADDRESSES];
        long ttlS;
        boolean cached;

        public int count() { return count; }
        public int address(int i) { return addresses[i]; }
        /** Seconds the answer may be kept (the smallest TTL of the records used). */
        public long ttlSeconds() { return ttlS; }
        /** True if it came from the cache, without a query. */
        public boolean fromCache() { return cached; }
    }

    static final class Query extends PoolEntry {
        final byte[] name = new byte[DnsHeader.MAX_NAME];
        int nameLen;
        CharSequence text;
        Callback cb;
        Object arg;
        UdpPcb pcb;
        int id;
        int port;
        int server;
        int tries;
        long deadline;
        Query next;
    }

    static final class Entry extends PoolEntry {
        final byte[] name = new byte[DnsHeader.MAX_NAME];
        int nameLen;
        final int[] addresses = new int[MAX_ADDRESSES];
        int count;
        long expires;
        long lastUsed;
        Entry next;
    }

    private final Udp udp;
    private final StackTime time;
    private final StackRandom random;
    private final Stats stats;
    private final Stack stack;
    private final JwipOptions opt;
    private final Pool queries;
    private final Pool cache;
    private Query active;
    private Entry entries;
    private final int[] servers = new int[3];
    private int serverCount;
    private final byte[] scratch = new byte[1500];
    private final byte[] nameBuf = new byte[DnsHeader.MAX_NAME];
    private final byte[] targetBuf = new byte[DnsHeader.MAX_NAME];
    private final DnsHeader msg = new DnsHeader();
    private final Answer answer = new Answer();
    long sent, answered, timeouts, cacheHits;

    /** A resolver on {@code stack} (registers its pools with the stack's stats and its timers with the stack). */
    public DnsResolver(Stack stack) {
        this.stack = stack;
        this.opt = stack.options();
        this.udp = stack.udp();
        this.time = stack.time();
        this.random = stack.random();
        this.stats = stack.stats();
        queries = new Pool("DNS_QUERY", DnsHeader.MAX_NAME);
        for (int i = 0; i < opt.dnsQueries; i++) {
            queries.add(new Query());
        }
        cache = new Pool("DNS_CACHE", DnsHeader.MAX_NAME + 4 * MAX_ADDRESSES).setCache(true);
        for (int i = 0; i < opt.dnsCacheEntries; i++) {
            cache.add(new Entry());
        }
        stats.addPool(queries);
        stats.addPool(cache);
        stats.addSection(this);
        if (stack.addTimer(this) != Err.OK) {
            throw new IllegalStateException("DNS resolver: the stack runs 8 timers already");
        }
    }

    /** Sets the servers asked, in order (from DHCP's option 6, or given); at most 3, zeros ignored. */
    public void setServers(int[] list, int n) {
        serverCount = 0;
        for (int i = 0; i < n && serverCount < servers.length; i++) {
            if (list[i] != 0) {
                servers[serverCount++] = list[i];
            }
        }
    }

    public int serverCount() { return serverCount; }
    public int server(int i) { return servers[i]; }

    /**
     * Looks {@code name} up. A cached answer is given to {@code cb} before this returns; otherwise a query
     * goes out and {@code cb} hears the result from the stack's thread later.
     *
     * @return {@link Err#OK}; {@link Err#VAL} for a name that is not one; {@link Err#RTE} with no server;
     *         {@link Err#MEM} when {@code dnsQueries} lookups are in flight or no UDP pcb is free
     */
    public int resolve(CharSequence name, Callback cb, Object arg) {
        int n = DnsHeader.encodeName(name, nameBuf, 0);
        if (n < 0) {
            return Err.VAL;
        }
        long now = time.now();
        Entry e = find(nameBuf, n, now);
        if (e != null) {
            e.lastUsed = now;
            cacheHits++;
            answer.count = e.count;
            System.arraycopy(e.addresses, 0, answer.addresses, 0, e.count);
            answer.ttlS = (e.expires - now) / 1000;
            answer.cached = true;
            cb.resolved(name, OK, answer, arg);
            return Err.OK;
        }
        if (serverCount == 0) {
            return Err.RTE;
        }
        Query q = (Query) queries.take();
        if (q == null) {
            return Err.MEM;
        }
        System.arraycopy(nameBuf, 0, q.name, 0, n);
        q.nameLen = n;
        q.text = name;
        q.cb = cb;
        q.arg = arg;
        q.server = 0;
        q.tries = 0;
        q.pcb = null;
        if (!send(q, now)) {
            queries.give(q);
            return Err.MEM;
        }
        q.next = active;
        active = q;
        return Err.OK;
    }

    /** Lookups in flight. */
    public int inFlight() {
        return queries.used();
    }

    // ================================================================ sending

    /** Sends {@code q} (again) to its current server from a fresh random port with a fresh ID. */
    private boolean send(Query q, long now) {
        if (q.pcb != null) {
            udp.remove(q.pcb);
            q.pcb = null;
        }
        UdpPcb pcb = udp.newPcb();
        if (pcb == null) {
            return false;
        }
        int span = opt.ephemeralPortMax - opt.ephemeralPortMin + 1;
        int bound = Err.MEM;
        for (int i = 0; i < 8 && bound != Err.OK; i++) {
            q.port = opt.ephemeralPortMin + random.below(span);
            bound = udp.bind(pcb, 0, q.port);
        }
        if (bound != Err.OK) {
            udp.remove(pcb);
            return false;
        }
        pcb.recv(this);
        q.pcb = pcb;
        q.id = random.below(0x10000);
        q.tries++;
        q.deadline = now + opt.dnsTimeoutMs;
        msg.wrap(scratch, 0, scratch.length).query(q.id);
        int at = DnsHeader.HEADER_LENGTH;
        System.arraycopy(q.name, 0, scratch, at, q.nameLen);
        at += q.nameLen;
        Bytes.put16(scratch, at, DnsHeader.TYPE_A);
        Bytes.put16(scratch, at + 2, DnsHeader.CLASS_IN);
        at += 4;
        Pbuf p = stack.allocTransport(UdpHeader.HEADER_LENGTH, at);
        if (p == null) {
            stats.drop(Drop.IP_NO_BUFFER);
            return true; // the timer tries again
        }
        p.copyIn(0, scratch, 0, at);
        if (udp.sendTo(pcb, p, servers[q.server], DnsHeader.PORT) == Err.OK) {
            stats.dns.xmit++;
            sent++;
        }
        PbufPool.free(p);
        return true;
    }

    @Override
    public long timers(long now) {
        long next = StackTime.NO_DEADLINE;
        Query q = active;
        while (q != null) {
            Query n = q.next;
            if (now >= q.deadline) {
                if (q.tries >= opt.dnsTries) {
                    q.server++;
                    q.tries = 0;
                }
                if (q.server >= serverCount) {
                    timeouts++;
                    finish(q, TIMEOUT, null);
                    q = n;
                    continue;
                }
                if (!send(q, now)) {
                    q.deadline = now + opt.dnsTimeoutMs; // no pcb now: try later
                }
            }
            next = Math.min(next, q.deadline);
            q = n;
        }
        return next;
    }

    private void finish(Query q, int result, Answer a) {
        if (active == q) {
            active = q.next;
        } else {
            for (Query c = active; c != null; c = c.next) {
                if (c.next == q) {
                    c.next = q.next;
                    break;
                }
            }
        }
        q.next = null;
        if (q.pcb != null) {
            udp.remove(q.pcb);
            q.pcb = null;
        }
        Callback cb = q.cb;
        CharSequence text = q.text;
        Object arg = q.arg;
        q.cb = null;
        q.text = null;
        q.arg = null;
        queries.give(q);
        if (a == null) {
            answer.count = 0;
            answer.ttlS = 0;
            answer.cached = false;
            a = answer;
        }
        cb.resolved(text, result, a, arg);
    }

    // ================================================================ receiving

    @Override
    public void recv(UdpPcb pcb, Pbuf p, int srcAddr, int srcPort) {
        int len = Math.min(p.totalLength(), scratch.length);
        p.copyOut(0, scratch, 0, len);
        PbufPool.free(p);
        stats.dns.recv++;
        Query q = null;
        for (Query c = active; c != null; c = c.next) {
            if (c.pcb == pcb) {
                q = c;
                break;
            }
        }
        if (q == null || srcAddr != servers[q.server] || srcPort != DnsHeader.PORT || len < DnsHeader.HEADER_LENGTH) {
            stats.drop(Drop.DNS_NOT_OURS);
            return;
        }
        msg.wrap(scratch, 0, len);
        int flags = msg.flags();
        if (msg.id() != q.id || (flags & DnsHeader.FLAG_QR) == 0 || (flags & DnsHeader.OPCODE_MASK) != 0
                || msg.qdcount() != 1) {
            stats.drop(Drop.DNS_NOT_OURS);
            return;
        }
        // The question must be ours, echoed.
        int at = DnsHeader.HEADER_LENGTH;
        int n = msg.readName(at, nameBuf);
        if (n < 0 || at + msg.consumed() + 4 > len) {
            stats.drop(Drop.DNS_MALFORMED);
            return;
        }
        at += msg.consumed();
        if (!DnsHeader.sameName(nameBuf, n, q.name, q.nameLen) || Bytes.u16(scratch, at) != DnsHeader.TYPE_A
                || Bytes.u16(scratch, at + 2) != DnsHeader.CLASS_IN) {
            stats.drop(Drop.DNS_NOT_OURS);
            return;
        }
        at += 4;
        answered++;
        if ((flags & DnsHeader.FLAG_TC) != 0) {
            finish(q, TRUNCATED, null);
            return;
        }
        int rcode = flags & DnsHeader.RCODE_MASK;
        if (rcode == DnsHeader.RCODE_NXDOMAIN) {
            finish(q, NXDOMAIN, null);
            return;
        }
        if (rcode != 0) {
            finish(q, SERVER_FAILURE, null);
            return;
        }
        // Answers: A records of the name (or of the name a CNAME chain leads to).
        System.arraycopy(q.name, 0, targetBuf, 0, q.nameLen);
        int targetLen = q.nameLen;
        int cnames = 0;
        answer.count = 0;
        answer.cached = false;
        long ttl = opt.dnsMaxTtlS;
        int records = msg.ancount();
        // Two passes cover a chain in any order: a CNAME found late re-targets, and a second pass picks
        // the A records of the final name.
        for (int pass = 0; pass < 2; pass++) {
            int r = at;
            for (int i = 0; i < records; i++) {
                int nl = msg.readName(r, nameBuf);
                if (nl < 0 || r + msg.consumed() + 10 > len) {
                    stats.drop(Drop.DNS_MALFORMED);
                    finish(q, SERVER_FAILURE, null);
                    return;
                }
                r += msg.consumed();
                int type = Bytes.u16(scratch, r);
                int cls = Bytes.u16(scratch, r + 2);
                long rttl = Bytes.i32(scratch, r + 4) & 0x7fffffffL; // RFC 2181 8: the top bit means 0
                int rdlen = Bytes.u16(scratch, r + 8);
                r += 10;
                if (r + rdlen > len) {
                    stats.drop(Drop.DNS_MALFORMED);
                    finish(q, SERVER_FAILURE, null);
                    return;
                }
                boolean owner = DnsHeader.sameName(nameBuf, nl, targetBuf, targetLen);
                if (owner && cls == DnsHeader.CLASS_IN && type == DnsHeader.TYPE_CNAME && cnames < MAX_CNAMES) {
                    int cl = msg.readName(r, nameBuf);
                    if (cl < 0) {
                        stats.drop(Drop.DNS_MALFORMED);
                        finish(q, SERVER_FAILURE, null);
                        return;
                    }
                    System.arraycopy(nameBuf, 0, targetBuf, 0, cl);
                    targetLen = cl;
                    cnames++;
                    ttl = Math.min(ttl, rttl);
                } else if (owner && pass == 1 && cls == DnsHeader.CLASS_IN && type == DnsHeader.TYPE_A && rdlen == 4
                        && answer.count < MAX_ADDRESSES) {
                    answer.addresses[answer.count++] = Bytes.i32(scratch, r);
                    ttl = Math.min(ttl, rttl);
                }
                r += rdlen;
            }
        }
        if (answer.count == 0) {
            finish(q, NO_ADDRESS, null);
            return;
        }
        answer.ttlS = ttl;
        store(q.name, q.nameLen, ttl);
        finish(q, OK, answer);
    }

    // ================================================================ cache

    private Entry find(byte[] name, int n, long now) {
        Entry prev = null;
        for (Entry e = entries; e != null; prev = e, e = e.next) {
            if (DnsHeader.sameName(e.name, e.nameLen, name, n)) {
                if (now >= e.expires) {
                    unlink(e, prev);
                    return null;
                }
                return e;
            }
        }
        return null;
    }

    private void store(byte[] name, int n, long ttlS) {
        long now = time.now();
        if (ttlS <= 0 || opt.dnsCacheEntries == 0) {
            return;
        }
        Entry e = find(name, n, now);
        if (e == null) {
            e = (Entry) cache.take();
            if (e == null) {
                Entry lru = null;
                Entry lruPrev = null;
                Entry prev = null;
                for (Entry c = entries; c != null; prev = c, c = c.next) {
                    if (lru == null || c.lastUsed < lru.lastUsed) {
                        lru = c;
                        lruPrev = prev;
                    }
                }
                if (lru == null) {
                    return;
                }
                unlink(lru, lruPrev);
                e = (Entry) cache.take();
            }
            System.arraycopy(name, 0, e.name, 0, n);
            e.nameLen = n;
            e.next = entries;
            entries = e;
        }
        e.count = answer.count;
        System.arraycopy(answer.addresses, 0, e.addresses, 0, answer.count);
        e.expires = now + ttlS * 1000;
        e.lastUsed = now;
    }

    private void unlink(Entry e, Entry prev) {
        if (prev == null) {
            entries = e.next;
        } else {
            prev.next = e.next;
        }
        e.next = null;
        cache.give(e);
    }

    /** Forgets every cached answer. */
    public void flush() {
        while (entries != null) {
            unlink(entries, null);
        }
    }

    /** Counters, as a section of the stack's stats. */
    @Override
    public void dump(StringBuilder sb, boolean all) {
        Stats.counter(sb, all, sent, "dns queries sent");
        Stats.counter(sb, all, answered, "dns answers taken");
        Stats.counter(sb, all, timeouts, "dns lookups timed out");
        Stats.counter(sb, all, cacheHits, "dns answers from the cache");
    }

}
