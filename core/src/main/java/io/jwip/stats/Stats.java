package io.jwip.stats;

import io.jwip.mem.Pool;

/**
 * The stack's counters (lwIP's {@code lwip_stats}): per pool avail / used / max / err, per protocol
 * recv / xmit / fwd / drop, and one counter per drop reason ({@link Drop}). Counting allocates nothing;
 * only {@link #dump(StringBuilder)} builds text.
 *
 * <p>Other layers (TCP's per-state table) register a {@link Section} so that one dump shows everything.
 */
public final class Stats {
    /** A block of extra lines in the dump, contributed by a layer. */
    public interface Section {
        /** Writes the section; with {@code all} false, only its non-zero lines (and their headings). */
        void dump(StringBuilder out, boolean all);
    }

    public final ProtoStats link = new ProtoStats("LINK");
    public final ProtoStats ip = new ProtoStats("IP");
    public final ProtoStats frag = new ProtoStats("IP_FRAG");
    public final ProtoStats icmp = new ProtoStats("ICMP");
    public final ProtoStats udp = new ProtoStats("UDP");
    public final ProtoStats tcp = new ProtoStats("TCP");
    /** Ethernet frames of every Ethernet netif (LINK counts the IPv4 packets inside them). */
    public final ProtoStats eth = new ProtoStats("ETH");
    public final ProtoStats arp = new ProtoStats("ARP");
    /** DHCP client messages (recv: replies taken in; xmit: messages sent). */
    public final ProtoStats dhcp = new ProtoStats("DHCP");
    /** DNS resolver messages (recv: answers; xmit: queries). */
    public final ProtoStats dns = new ProtoStats("DNS");
    /** PPP frames (recv: frames decoded; xmit: frames encoded). */
    public final ProtoStats ppp = new ProtoStats("PPP");
    private final ProtoStats[] protos = {link, ip, frag, icmp, udp, tcp, eth, arp, dhcp, dns, ppp};
    private final long[] drops = new long[Drop.COUNT];
    private final Pool[] pools;
    private int poolCount;
    private final Section[] sections = new Section[8];
    private int sectionCount;

    public Stats(int maxPools) {
        pools = new Pool[maxPools];
    }

    /** Registers a pool at start-up so that it shows in the table. */
    public void addPool(Pool p) {
        pools[poolCount++] = p;
    }

    /** Registers an extra section for {@link #dump}. */
    public void addSection(Section s) {
        sections[sectionCount++] = s;
    }

    /** Counts one dropped packet for {@code reason} (and its protocol's {@code drop}). */
    public void drop(int reason) {
        drops[reason]++;
        protos[Drop.protocol(reason)].drop++;
    }

    /** How many packets were dropped for {@code reason}. */
    public long drops(int reason) {
        return drops[reason];
    }

    /** Number of registered pools. */
    public int poolCount() {
        return poolCount;
    }

    /** The i-th registered pool. */
    public Pool pool(int i) {
        return pools[i];
    }

    /** The pool named {@code name}, or null. */
    public Pool pool(String name) {
        for (int i = 0; i < poolCount; i++) {
            if (pools[i].name().equals(name)) {
                return pools[i];
            }
        }
        return null;
    }

    /** True when every pool has all its entries back (caches, whose entries stay by design, aside). */
    public boolean allPoolsFull() {
        for (int i = 0; i < poolCount; i++) {
            if (!pools[i].isFull() && !pools[i].isCache()) {
                return false;
            }
        }
        return true;
    }

    /** Names and use counts of pools that are not full, or the empty string. */
    public String poolsNotFull() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < poolCount; i++) {
            if (!pools[i].isFull() && !pools[i].isCache()) {
                if (sb.length() > 0) {
                    sb.append(", ");
                }
                sb.append(pools[i].name()).append(" used=").append(pools[i].used());
            }
        }
        return sb.toString();
    }

    /** Resets protocol and drop counters and the pools' high-water marks and error counts. */
    public void reset() {
        for (int i = 0; i < protos.length; i++) {
            protos[i].reset();
        }
        for (int i = 0; i < drops.length; i++) {
            drops[i] = 0;
        }
        for (int i = 0; i < poolCount; i++) {
            pools[i].resetCounters();
        }
    }

    /** Writes the pool table, the protocol table, every non-zero drop reason and the extra sections. */
    public StringBuilder dump(StringBuilder out) {
        return dump(out, true);
    }

    /**
     * Like {@link #dump(StringBuilder)}; with {@code all} false only the lines that say something: pools
     * that were used, protocols that saw traffic, non-zero counters (a quiet run prints a few lines, not a
     * hundred).
     */
    public StringBuilder dump(StringBuilder out, boolean all) {
        boolean poolHeading = false;
        for (int i = 0; i < poolCount; i++) {
            Pool p = pools[i];
            if (!all && p.max() == 0 && p.err() == 0) {
                continue;
            }
            if (!poolHeading) {
                out.append("POOL                 avail   used    max    err\n");
                poolHeading = true;
            }
            pad(out, p.name(), 18);
            num(out, p.capacity(), 8);
            num(out, p.used(), 7);
            num(out, p.max(), 7);
            num(out, p.err(), 7);
            out.append('\n');
        }
        boolean heading = false;
        for (int i = 0; i < protos.length; i++) {
            ProtoStats s = protos[i];
            if (!all && s.recv == 0 && s.xmit == 0 && s.fwd == 0 && s.drop == 0) {
                continue;
            }
            if (!heading) {
                out.append("PROTO         recv       xmit        fwd       drop\n");
                heading = true;
            }
            pad(out, s.name, 8);
            num(out, s.recv, 10);
            num(out, s.xmit, 11);
            num(out, s.fwd, 11);
            num(out, s.drop, 11);
            out.append('\n');
        }
        boolean any = false;
        for (int r = 0; r < Drop.COUNT; r++) {
            if (drops[r] != 0) {
                if (!any) {
                    out.append("DROPS\n");
                    any = true;
                }
                num(out, drops[r], 10);
                out.append("  ").append(Drop.name(r)).append('\n');
            }
        }
        for (int i = 0; i < sectionCount; i++) {
            sections[i].dump(out, all);
        }
        return out;
    }

    @Override
    public String toString() {
        return dump(new StringBuilder(1024)).toString();
    }

    /** One counter line of a section ("     12  what"), unless it is 0 and {@code all} is false. */
    public static void counter(StringBuilder out, boolean all, long v, String what) {
        if (all || v != 0) {
            num(out, v, 10);
            out.append("  ").append(what).append('\n');
        }
    }

    /** Left-aligns {@code s} in a field of {@code width}. */
    public static void pad(StringBuilder out, String s, int width) {
        out.append(s);
        for (int i = s.length(); i < width; i++) {
            out.append(' ');
        }
    }

    /** Right-aligns {@code v} in a field of {@code width}. */
    public static void num(StringBuilder out, long v, int width) {
        int len = 1;
        for (long t = v < 0 ? -v : v; t >= 10; t /= 10) {
            len++;
        }
        if (v < 0) {
            len++;
        }
        for (int i = len; i < width; i++) {
            out.append(' ');
        }
        out.append(v);
    }
}
