package io.jwip.examples.cli;

import io.jwip.JwipOptions;

/**
 * The configuration options shared by every command that starts a stack, each mapped onto one field of
 * {@link JwipOptions} (whose documentation gives its meaning and default). Times are milliseconds.
 */
public final class StackConfig {
    private StackConfig() {}

    private interface Setter {
        void set(JwipOptions o, int v);
    }

    private interface Getter {
        int get(JwipOptions o);
    }

    private record Opt(String flag, String help, int min, int max, Getter get, Setter set) {}

    private static final Opt[] OPTS = {
        new Opt("pbufs", "packet buffers in the pool", 1, 1 << 20, o -> o.pbufs, (o, v) -> o.pbufs = v),
        new Opt("pbuf-size", "bytes per packet buffer", 128, 65536, o -> o.pbufSize, (o, v) -> o.pbufSize = v),
        new Opt("udp-pcbs", "UDP control blocks", 0, 65535, o -> o.udpPcbs, (o, v) -> o.udpPcbs = v),
        new Opt("tcp-pcbs", "TCP control blocks", 0, 65535, o -> o.tcpPcbs, (o, v) -> o.tcpPcbs = v),
        new Opt("tcp-listeners", "listening TCP control blocks", 0, 65535, o -> o.tcpListeners, (o, v) -> o.tcpListeners = v),
        new Opt("tcp-segs", "TCP segment descriptors", 1, 1 << 20, o -> o.tcpSegs, (o, v) -> o.tcpSegs = v),
        new Opt("time-wait", "TIME_WAIT table capacity", 1, 1 << 20, o -> o.tcpTimeWait, (o, v) -> o.tcpTimeWait = v),
        new Opt("msl", "maximum segment lifetime, ms (TIME_WAIT = 2*MSL)", 0, Integer.MAX_VALUE / 2, o -> o.tcpMslMs, (o, v) -> o.tcpMslMs = v),
        new Opt("fin-wait2-timeout", "FIN_WAIT_2 timeout after close, ms", 0, Integer.MAX_VALUE, o -> o.tcpFinWait2TimeoutMs, (o, v) -> o.tcpFinWait2TimeoutMs = v),
        new Opt("backlog", "default listen backlog (all listeners' together at most --tcp-pcbs)", 1, 65535, o -> o.tcpBacklog, (o, v) -> o.tcpBacklog = v),
        new Opt("syn-cookies", "SYN cookies when a backlog is full (1 on, 0 off: evict the oldest half-open)", 0, 1, o -> o.tcpSynCookies ? 1 : 0, (o, v) -> o.tcpSynCookies = v != 0),
        new Opt("ooo-pbufs", "buffers all TCP out-of-order queues may hold (at most half of --pbufs)", 0, 1 << 20, o -> o.tcpOooMaxPbufs, (o, v) -> o.tcpOooMaxPbufs = v),
        new Opt("challenge-acks", "challenge ACKs per second per connection (RFC 5961)", 0, 10000, o -> o.tcpChallengeAcksPerSecond, (o, v) -> o.tcpChallengeAcksPerSecond = v),
        new Opt("mss", "TCP maximum segment size", 64, 65495, o -> o.tcpMss, (o, v) -> o.tcpMss = v),
        new Opt("wnd", "TCP receive window, bytes", 1, 0x3fffffff, o -> o.tcpWnd, (o, v) -> o.tcpWnd = v),
        new Opt("snd-buf", "TCP send buffer, bytes", 1, 0x3fffffff, o -> o.tcpSndBuf, (o, v) -> o.tcpSndBuf = v),
        new Opt("rx-reserve", "packet buffers TCP's send queues leave for receiving", 0, 1 << 20, o -> o.tcpRxPbufReserve, (o, v) -> o.tcpRxPbufReserve = v),
        new Opt("max-rtx", "TCP retransmissions (and zero-window probes after close) before giving up", 1, 1000, o -> o.tcpMaxRtx, (o, v) -> o.tcpMaxRtx = v),
        new Opt("syn-max-rtx", "SYN and SYN,ACK retransmissions before giving up", 1, 1000, o -> o.tcpSynMaxRtx, (o, v) -> o.tcpSynMaxRtx = v),
        new Opt("rto-max", "upper bound of the retransmission timeout, ms", 1, Integer.MAX_VALUE, o -> o.tcpRtoMaxMs, (o, v) -> o.tcpRtoMaxMs = v),
        new Opt("init-cwnd-max", "upper bound of the TCP initial congestion window, bytes", 1, 0x3fffffff, o -> o.tcpInitialCwndMax, (o, v) -> o.tcpInitialCwndMax = v),
        new Opt("ack-delay", "longest TCP delayed ACK, ms (0: ACK every segment at once)", 0, 200, o -> o.tcpAckDelayMs, (o, v) -> o.tcpAckDelayMs = v),
        new Opt("window-scaling", "TCP window scaling, RFC 7323 (1 on, 0 off)", 0, 1, o -> o.tcpWindowScaling ? 1 : 0, (o, v) -> o.tcpWindowScaling = v != 0),
        new Opt("timestamps", "TCP timestamps, RFC 7323 RTTM and PAWS (1 on, 0 off)", 0, 1, o -> o.tcpTimestamps ? 1 : 0, (o, v) -> o.tcpTimestamps = v != 0),
        new Opt("persist-max", "longest interval between zero-window probes, ms", 1, Integer.MAX_VALUE, o -> o.tcpPersistMaxMs, (o, v) -> o.tcpPersistMaxMs = v),
        new Opt("keepalive", "TCP keepalive on new connections (1 on, 0 off)", 0, 1, o -> o.tcpKeepalive ? 1 : 0, (o, v) -> o.tcpKeepalive = v != 0),
        new Opt("keep-idle", "idle time before the first keepalive probe, ms", 1, Integer.MAX_VALUE, o -> o.tcpKeepIdleMs, (o, v) -> o.tcpKeepIdleMs = v),
        new Opt("keep-intvl", "interval between keepalive probes, ms", 1, Integer.MAX_VALUE, o -> o.tcpKeepIntervalMs, (o, v) -> o.tcpKeepIntervalMs = v),
        new Opt("keep-cnt", "unanswered keepalive probes before the connection is dropped", 1, 1000, o -> o.tcpKeepCount, (o, v) -> o.tcpKeepCount = v),
        new Opt("reass", "IP datagrams under reassembly at once", 0, 1024, o -> o.ipReassDatagrams, (o, v) -> o.ipReassDatagrams = v),
        new Opt("reass-pbufs", "buffers reassembly may hold", 1, 1 << 20, o -> o.ipReassMaxPbufs, (o, v) -> o.ipReassMaxPbufs = v),
        new Opt("reass-timeout", "reassembly timeout, ms", 1, Integer.MAX_VALUE, o -> o.ipReassTimeoutMs, (o, v) -> o.ipReassTimeoutMs = v),
        new Opt("ttl", "TTL of datagrams sent", 1, 255, o -> o.ipTtl, (o, v) -> o.ipTtl = v),
        new Opt("arp-entries", "ARP cache entries per Ethernet netif", 1, 1 << 16, o -> o.arpEntries, (o, v) -> o.arpEntries = v),
        new Opt("arp-queue", "packets waiting for one ARP resolution", 0, 1024, o -> o.arpQueueLen, (o, v) -> o.arpQueueLen = v),
        new Opt("arp-reachable", "how long a resolved neighbour is used before it is checked again, ms", 1, Integer.MAX_VALUE, o -> o.arpReachableMs, (o, v) -> o.arpReachableMs = v),
        new Opt("arp-retries", "ARP requests per resolution before giving up", 1, 100, o -> o.arpRequestRetries, (o, v) -> o.arpRequestRetries = v),
        new Opt("dns-queries", "DNS lookups at once", 0, 1024, o -> o.dnsQueries, (o, v) -> o.dnsQueries = v),
        new Opt("dns-cache", "names the DNS resolver remembers", 0, 1 << 16, o -> o.dnsCacheEntries, (o, v) -> o.dnsCacheEntries = v),
        new Opt("dns-timeout", "time a DNS query waits before it is sent again, ms", 1, Integer.MAX_VALUE, o -> o.dnsTimeoutMs, (o, v) -> o.dnsTimeoutMs = v),
        new Opt("dns-tries", "tries per DNS server", 1, 100, o -> o.dnsTries, (o, v) -> o.dnsTries = v),
        new Opt("dns-max-ttl", "longest time a DNS answer is kept, s", 0, Integer.MAX_VALUE, o -> o.dnsMaxTtlS, (o, v) -> o.dnsMaxTtlS = v),
        new Opt("arp-retry", "time before the first ARP request is repeated (doubling), ms", 1, Integer.MAX_VALUE, o -> o.arpRetryMs, (o, v) -> o.arpRetryMs = v),
    };

    /** The configuration flags, without their dashes (for documentation tools and tests). */
    public static String[] flags() {
        String[] f = new String[OPTS.length];
        for (int i = 0; i < OPTS.length; i++) {
            f[i] = OPTS[i].flag;
        }
        return f;
    }

    /** Sets the option behind {@code flag} on {@code o} to {@code value} (its lowest allowed value if -1). */
    public static int set(JwipOptions o, String flag, int value) {
        for (Opt opt : OPTS) {
            if (opt.flag.equals(flag)) {
                int v = value == -1 ? opt.min : value;
                opt.set.set(o, v);
                return v;
            }
        }
        throw new IllegalArgumentException(flag);
    }

    /** The {@link JwipOptions} field behind each flag, so that a validation message names the flag. */
    private static final String[][] FIELDS = {
        {"pbufs", "--pbufs"}, {"pbufSize", "--pbuf-size"}, {"udpPcbs", "--udp-pcbs"}, {"tcpPcbs", "--tcp-pcbs"},
        {"tcpListeners", "--tcp-listeners"}, {"tcpSegs", "--tcp-segs"}, {"tcpTimeWait", "--time-wait"}, {"tcpMslMs", "--msl"},
        {"tcpFinWait2TimeoutMs", "--fin-wait2-timeout"}, {"tcpBacklog", "--backlog"}, {"tcpSynCookies", "--syn-cookies"},
        {"tcpOooMaxPbufs", "--ooo-pbufs"}, {"tcpChallengeAcksPerSecond", "--challenge-acks"}, {"tcpMss", "--mss"},
        {"tcpWnd", "--wnd"}, {"tcpSndBuf", "--snd-buf"}, {"tcpRxPbufReserve", "--rx-reserve"}, {"tcpMaxRtx", "--max-rtx"},
        {"tcpSynMaxRtx", "--syn-max-rtx"}, {"tcpRtoMaxMs", "--rto-max"}, {"tcpInitialCwndMax", "--init-cwnd-max"},
        {"tcpAckDelayMs", "--ack-delay"}, {"tcpWindowScaling", "--window-scaling"}, {"tcpTimestamps", "--timestamps"},
        {"tcpPersistMaxMs", "--persist-max"}, {"tcpKeepalive", "--keepalive"}, {"tcpKeepIdleMs", "--keep-idle"},
        {"tcpKeepIntervalMs", "--keep-intvl"}, {"tcpKeepCount", "--keep-cnt"}, {"ipReassDatagrams", "--reass"},
        {"ipReassMaxPbufs", "--reass-pbufs"}, {"ipReassTimeoutMs", "--reass-timeout"}, {"ipTtl", "--ttl"},
        {"arpEntries", "--arp-entries"}, {"arpQueueLen", "--arp-queue"}, {"arpReachableMs", "--arp-reachable"},
        {"arpRequestRetries", "--arp-retries"}, {"arpRetryMs", "--arp-retry"}, {"dnsQueries", "--dns-queries"},
        {"dnsCacheEntries", "--dns-cache"}, {"dnsTimeoutMs", "--dns-timeout"}, {"dnsTries", "--dns-tries"},
        {"dnsMaxTtlS", "--dns-max-ttl"},
        {"tcpRtoMinMs", "the minimum RTO"}, {"tcpRtoInitialMs", "the initial RTO"},
        {"tcpMinSndMss", "the smallest MSS accepted from a peer"}, {"linkHeadroom", "the link headroom"},
    };

    /** Rewrites a {@link JwipOptions#validate()} message in the command line's words (fields become flags). */
    static String inFlags(String message) {
        String m = message;
        for (String[] f : FIELDS) {
            m = m.replaceAll("\\b" + f[0] + "\\b", f[1]);
        }
        return m;
    }

    /** The flag that sizes each pool, by the pool's name in the stats. */
    private static final String[][] POOL_FLAGS = {
        {"PBUF_POOL", "pbufs"}, {"TCP_SEG", "tcp-segs"}, {"TCP_PCB", "tcp-pcbs"}, {"TCP_PCB_LISTEN", "tcp-listeners"},
        {"UDP_PCB", "udp-pcbs"}, {"IP_REASSDATA", "reass"},
    };

    /**
     * A hint for a run that failed or timed out: every pool of {@code stack} that ran out, with the flag
     * that sizes it (e.g. "; the client's PBUF_POOL ran out 12 times (of 1): raise --pbufs"), or "".
     */
    public static String shortages(io.jwip.stack.Stack stack, String who) {
        StringBuilder sb = new StringBuilder();
        io.jwip.stats.Stats st = stack.stats();
        for (int i = 0; i < st.poolCount(); i++) {
            io.jwip.mem.Pool p = st.pool(i);
            if (p.err() > 0) {
                String flag = null;
                for (String[] f : POOL_FLAGS) {
                    if (f[0].equals(p.name())) {
                        flag = f[1];
                    }
                }
                sb.append("; the ").append(who).append("'s ").append(p.name()).append(" ran out ").append(p.err())
                        .append(" times (it has ").append(p.capacity()).append(')');
                if (flag != null) {
                    sb.append(": raise --").append(flag);
                }
            }
        }
        return sb.toString();
    }

    /** Declares {@code --profile} and every configuration option on {@code args}, with JwipOptions' defaults. */
    public static Args declare(Args args) {
        return declare(args, new JwipOptions());
    }

    /** Declares them with the defaults a command really uses ({@code d}). */
    public static Args declare(Args args, JwipOptions d) {
        args.option("profile", Profile.NAMES, "start from a named configuration (tiny, lwip or server; see the README);"
                + " the flags below override it");
        for (Opt o : OPTS) {
            args.option(o.flag, "N", o.help + " (default " + o.get.get(d) + ")");
        }
        return args;
    }

    /**
     * Applies the options given on the command line to {@code o} (the command's default configuration, which
     * a {@code --profile} replaces), then validates the result.
     */
    public static JwipOptions apply(Args args, JwipOptions o) throws UsageException {
        if (args.has("profile")) {
            o = Profile.of(args.get("profile", ""));
        }
        for (Opt opt : OPTS) {
            if (args.has(opt.flag)) {
                opt.set.set(o, args.getInt(opt.flag, 0, opt.min, opt.max));
            }
        }
        String bad = o.validate();
        if (bad != null) {
            throw new UsageException("bad configuration: " + inFlags(bad));
        }
        return o;
    }
}
