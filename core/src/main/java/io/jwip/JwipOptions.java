package io.jwip;

/**
 * Every limit of a jwip stack, its default and its meaning, in one place: the {@code lwipopts.h} of jwip.
 *
 * <p>A stack sizes all its pools once from these values when it is constructed, and never grows them. A
 * full pool is an error code and a counter. Times are milliseconds, as in lwIP's options. Change the
 * public fields, then pass the object to {@link io.jwip.stack.Stack#Stack(JwipOptions)}; {@link #validate()} names the
 * first bad value. The command line's configuration flags map one-to-one onto these fields.
 */
public final class JwipOptions {

    // ---------------------------------------------------------------- buffers and pools

    /** Number of packet buffers in the pool (lwIP PBUF_POOL_SIZE). Every received packet, every queued
     *  segment and every fragment lives in these. Default 64. */
    public int pbufs = 64;

    /** Bytes of storage per packet buffer, headroom included (lwIP PBUF_POOL_BUFSIZE). A packet larger
     *  than one buffer is chained. Must hold at least the IP and TCP headers with options (128).
     *  Default 1536: a 1500-byte MTU packet fits in one buffer. */
    public int pbufSize = 1536;

    /** Headroom the link layer wants before the IP header in every outgoing buffer (lwIP
     *  PBUF_LINK_HLEN + PBUF_LINK_ENCAPSULATION_HLEN). SLIP and TUN need none. Default 0. */
    public int linkHeadroom = 0;

    /** Maximum number of network interfaces, the loopback one included. Default 4. */
    public int netifs = 4;

    /** Packets the loopback interface can hold until the next poll. Default 8. */
    public int loopbackQueue = 8;

    // ---------------------------------------------------------------- IPv4

    /** TTL of datagrams this stack originates (lwIP IP_DEFAULT_TTL). Default 64. */
    public int ipTtl = 64;

    /** Forward datagrams between netifs (lwIP IP_FORWARD). Default false (a host, not a router). */
    public boolean ipForward = false;

    // ---------------------------------------------------------------- Ethernet and ARP (per Ethernet netif)

    /** Entries in each Ethernet netif's ARP cache (lwIP ARP_TABLE_SIZE): neighbours being resolved or
     *  known. When it is full the entry used longest ago that is not being resolved makes room.
     *  Default 10. */
    public int arpEntries = 10;

    /** Packets that may wait for one address to be resolved (lwIP ARP_QUEUE_LEN); each is a copy in
     *  packet buffers. When a new one arrives on a full queue the oldest is dropped and counted.
     *  Default 3. */
    public int arpQueueLen = 3;

    /** How long a resolved address is used without asking again (lwIP ARP_MAXAGE 300 s; Linux's
     *  base_reachable_time 30 s). After it the entry is stale: still used, and the next packet through it
     *  sends a unicast request; no answer after arpRequestRetries tries removes it. Default 300000 ms. */
    public int arpReachableMs = 300000;

    /** Requests sent for one resolution before giving up (the waiting packets are dropped and counted).
     *  Default 3. */
    public int arpRequestRetries = 3;

    /** Time before the first request is repeated; each further wait is twice the one before (1, 2, 4 s:
     *  an unknown neighbour costs 7 s). Default 1000 ms. */
    public int arpRetryMs = 1000;

    /** Datagrams that can be under reassembly at once (lwIP MEMP_NUM_REASSDATA). 0 disables reassembly:
     *  fragments are dropped and counted. Default 4. */
    public int ipReassDatagrams = 4;

    /** Packet buffers that datagrams under reassembly may hold together (lwIP IP_REASS_MAX_PBUFS); when
     *  exceeded the oldest datagram is dropped. Default 16. */
    public int ipReassMaxPbufs = 16;

    /** How long an incomplete datagram may wait for its missing fragments (lwIP IP_REASS_MAXAGE, RFC 1122
     *  3.3.2 suggests 60-120 s). Default 15000 ms. */
    public int ipReassTimeoutMs = 15000;

    /** Fragment datagrams larger than the netif MTU on output (lwIP IP_FRAG). Default true. */
    public boolean ipFrag = true;

    // ---------------------------------------------------------------- ICMP

    /** Answer echo requests sent to a broadcast address (lwIP LWIP_BROADCAST_PING). Default false. */
    public boolean icmpBroadcastEcho = false;

    /** ICMP error messages (unreachable, time exceeded) this stack may send per second; further ones are
     *  suppressed and counted (RFC 1812 4.3.2.8 rate limiting). Default 100. */
    public int icmpErrorsPerSecond = 100;

    // ---------------------------------------------------------------- UDP

    /** UDP control blocks (lwIP MEMP_NUM_UDP_PCB). Default 8. */
    public int udpPcbs = 8;

    // ---------------------------------------------------------------- TCP

    /** Full TCP control blocks for connections (lwIP MEMP_NUM_TCP_PCB). Connections in TIME_WAIT do not
     *  use one (see {@link #tcpTimeWait}). Default 16. */
    public int tcpPcbs = 16;

    /** Listening TCP control blocks (lwIP MEMP_NUM_TCP_PCB_LISTEN). Default 8. */
    public int tcpListeners = 8;

    /** Capacity of the compact TIME_WAIT table; when full, the oldest entry is recycled and counted.
     *  Default 32. */
    public int tcpTimeWait = 32;

    /** TCP segment descriptors for send, retransmission and out-of-order queues (lwIP MEMP_NUM_TCP_SEG).
     *  Default 64. */
    public int tcpSegs = 64;

    /** Maximum segment size this stack announces and sends, before the netif MTU lowers it (lwIP TCP_MSS).
     *  Default 1460. */
    public int tcpMss = 1460;

    /** Receive window in bytes (lwIP TCP_WND). Default 8760 (6 * 1460). */
    public int tcpWnd = 8760;

    /** Send buffer per connection in bytes (lwIP TCP_SND_BUF). Default 8760. */
    public int tcpSndBuf = 8760;

    /** Packet buffers that TCP segments waiting for an acknowledgement (data, SYN, FIN) leave free for
     *  receiving: a write, connect or close that would take the pool below this fails with Err.MEM (try
     *  again later). Without it the send queues of a few connections (16 x 8760 bytes is more than the
     *  default pool) take every buffer, the acknowledgements that would free them are dropped for want of
     *  a receive buffer, and every connection hangs until it gives up. lwIP sends from a separate heap
     *  (PBUF_RAM), jwip from the one pool, hence this reserve. At most pbufs / 4 is kept. Default 4. */
    public int tcpRxPbufReserve = 4;

    /** Default backlog of a listening socket: connections in SYN_RCVD or waiting to be accepted (lwIP
     *  TCP_DEFAULT_LISTEN_BACKLOG). Default 4. */
    public int tcpBacklog = 4;

    /** SYN cookies (RFC 4987 3.6): when a listener's backlog is full, or no control block is free, a SYN is
     *  answered with a SYN,ACK whose sequence number encodes the connection (MSS; window scale only with
     *  timestamps), and no state is kept until the ACK returns it. Off: the oldest half-open connection of
     *  the listener is evicted for the new SYN (flag: 1 or 0). Default true. */
    public boolean tcpSynCookies = true;

    /** Maximum segment lifetime; TIME_WAIT lasts 2 * MSL (lwIP TCP_MSL). Default 60000 ms. */
    public int tcpMslMs = 60000;

    /** How long a connection the application has closed may stay in FIN_WAIT_2 waiting for the peer's FIN
     *  (lwIP TCP_FIN_WAIT_TIMEOUT). Default 20000 ms. */
    public int tcpFinWait2TimeoutMs = 20000;

    /** Retransmissions of a data segment before the connection is given up (lwIP TCP_MAXRTX). Default 12. */
    public int tcpMaxRtx = 12;

    /** Retransmissions of a SYN before a connect fails (lwIP TCP_SYNMAXRTX). Default 6. */
    public int tcpSynMaxRtx = 6;

    /** Initial retransmission timeout (RFC 6298 2.1). Default 1000 ms. */
    public int tcpRtoInitialMs = 1000;

    /** Lower bound of the retransmission timeout (RFC 6298 2.4 says 1 s; lwIP's granularity allows less).
     *  Default 200 ms. */
    public int tcpRtoMinMs = 200;

    /** Upper bound of the retransmission timeout (RFC 6298 2.5). Default 60000 ms. */
    public int tcpRtoMaxMs = 60000;

    /** Bytes the out-of-order queue of one connection may hold (lwIP TCP_OOSEQ_MAX_BYTES). Default 8760. */
    public int tcpOooMaxBytes = 8760;

    /** Segments the out-of-order queue of one connection may hold (lwIP TCP_OOSEQ_MAX_PBUFS). Default 8. */
    public int tcpOooMaxSegs = 8;

    /** Packet buffers the out-of-order queues of all connections may hold together; at most half of
     *  {@link #pbufs} is used. Byte limits do not bound buffers (a one-byte segment holds a whole buffer), so
     *  without this a few connections with small holes could take the pool. Out-of-order data is also
     *  dropped when the pool runs dry (the peers send it again). Default 32. */
    public int tcpOooMaxPbufs = 32;

    /** Challenge ACKs (RFC 5961 section 7) each connection may send per second (at most 10000); further ones
     *  are suppressed and counted. Per connection, not for the whole stack: a shared budget lets an off-path
     *  attacker learn from its own connection's challenge ACKs whether a spoofed RST hit another's window
     *  (CVE-2016-5696). Default 10. */
    public int tcpChallengeAcksPerSecond = 10;

    /** Upper bound of the initial congestion window in bytes. The initial window is RFC 6928's
     *  min(10*MSS, max(2*MSS, 14600)), lowered to this value, but never below one MSS. Default 14600
     *  (RFC 6928 unchanged); small devices may want 2 * MSS. */
    public int tcpInitialCwndMax = 14600;

    /** Longest time an ACK of received data may be delayed (RFC 1122 4.2.3.2 allows at most 500 ms, RFC
     *  9293 suggests 200 ms; lwIP's 250 ms fast timer gives 125 ms on average). At least every second
     *  full-sized segment is acknowledged at once; out-of-order data and FINs are acknowledged at once.
     *  0 acknowledges every segment at once. Default 100 ms, at most 200. */
    public int tcpAckDelayMs = 100;

    /** Upper bound of the interval between zero-window probes (persist timer, RFC 9293 3.8.6.1); the
     *  interval starts at the retransmission timeout and doubles after each probe. Default 60000 ms. */
    public int tcpPersistMaxMs = 60000;

    /** Fewest data bytes per segment we accept to send, whatever MSS option the peer announces (Linux's
     *  tcp_min_snd_mss). A peer announcing a tiny MSS would otherwise make us cut data into a segment per
     *  byte (pools drained by descriptors) or, with timestamps taking 12 bytes, into segments of zero or
     *  negative size. Lowered to what our own MTU allows. Default 48, at least 1. */
    public int tcpMinSndMss = 48;

    /** Window scaling (RFC 7323): offered in our SYN and accepted in the peer's, so that a {@link #tcpWnd}
     *  above 65535 is usable. Default true. */
    public boolean tcpWindowScaling = true;

    /** Timestamps (RFC 7323): offered in our SYN and accepted in the peer's; then every segment carries
     *  one, giving an RTT sample per ACK (RTTM) and protection against old duplicates (PAWS). Costs 12
     *  bytes of header per segment. Default false. */
    public boolean tcpTimestamps = false;

    /** Keepalive on every new connection (RFC 1122 4.2.3.6); per connection it can be switched with
     *  {@code Tcp.setKeepAlive}. Default false. */
    public boolean tcpKeepalive = false;

    /** Idle time before the first keepalive probe (RFC 1122: no less than two hours by default).
     *  Default 7200000 ms. */
    public int tcpKeepIdleMs = 7200000;

    /** Interval between unanswered keepalive probes (lwIP TCP_KEEPINTVL). Default 75000 ms. */
    public int tcpKeepIntervalMs = 75000;

    /** Unanswered keepalive probes after which the connection is dropped (lwIP TCP_KEEPCNT).
     *  Default 9. */
    public int tcpKeepCount = 9;

    /** Lowest local port handed out to active opens and unbound sockets (ephemeral range, RFC 6335).
     *  Default 49152. */
    public int ephemeralPortMin = 49152;

    /** Highest ephemeral port. Default 65535. */
    public int ephemeralPortMax = 65535;

    // ---------------------------------------------------------------- DNS stub resolver (io.jwip.dns)

    /** Names a DNS resolver resolves at once (lwIP DNS_MAX_REQUESTS); each holds a UDP pcb while it
     *  waits, so udpPcbs must leave room. More lookups at once fail with Err.MEM. Default 4. */
    public int dnsQueries = 4;

    /** Names a DNS resolver remembers (lwIP DNS_TABLE_SIZE), each with up to 4 addresses, for the TTL
     *  the answer gave (at most dnsMaxTtlS). The least recently used makes room. Default 8. */
    public int dnsCacheEntries = 8;

    /** Time a DNS query waits for an answer before it is sent again (RFC 1123 6.1.3.3 suggests 2-5 s).
     *  Default 2000 ms. */
    public int dnsTimeoutMs = 2000;

    /** Tries per DNS server before the next one is asked; after the last server the lookup fails.
     *  Default 2. */
    public int dnsTries = 2;

    /** Longest time a DNS answer is kept, whatever its TTL (lwIP DNS_MAX_TTL is a week). Default 86400 s. */
    public int dnsMaxTtlS = 86400;

    /** A copy with the same values. */
    public JwipOptions copy() {
        JwipOptions o = new JwipOptions();
        o.pbufs = pbufs;
        o.pbufSize = pbufSize;
        o.linkHeadroom = linkHeadroom;
        o.netifs = netifs;
        o.loopbackQueue = loopbackQueue;
        o.ipTtl = ipTtl;
        o.ipForward = ipForward;
        o.arpEntries = arpEntries;
        o.arpQueueLen = arpQueueLen;
        o.arpReachableMs = arpReachableMs;
        o.arpRequestRetries = arpRequestRetries;
        o.arpRetryMs = arpRetryMs;
        o.ipReassDatagrams = ipReassDatagrams;
        o.ipReassMaxPbufs = ipReassMaxPbufs;
        o.ipReassTimeoutMs = ipReassTimeoutMs;
        o.ipFrag = ipFrag;
        o.icmpBroadcastEcho = icmpBroadcastEcho;
        o.icmpErrorsPerSecond = icmpErrorsPerSecond;
        o.udpPcbs = udpPcbs;
        o.tcpPcbs = tcpPcbs;
        o.tcpListeners = tcpListeners;
        o.tcpTimeWait = tcpTimeWait;
        o.tcpSegs = tcpSegs;
        o.tcpMss = tcpMss;
        o.tcpWnd = tcpWnd;
        o.tcpSndBuf = tcpSndBuf;
        o.tcpRxPbufReserve = tcpRxPbufReserve;
        o.tcpBacklog = tcpBacklog;
        o.tcpSynCookies = tcpSynCookies;
        o.tcpMslMs = tcpMslMs;
        o.tcpFinWait2TimeoutMs = tcpFinWait2TimeoutMs;
        o.tcpMaxRtx = tcpMaxRtx;
        o.tcpSynMaxRtx = tcpSynMaxRtx;
        o.tcpRtoInitialMs = tcpRtoInitialMs;
        o.tcpRtoMinMs = tcpRtoMinMs;
        o.tcpRtoMaxMs = tcpRtoMaxMs;
        o.tcpOooMaxBytes = tcpOooMaxBytes;
        o.tcpOooMaxSegs = tcpOooMaxSegs;
        o.tcpOooMaxPbufs = tcpOooMaxPbufs;
        o.tcpChallengeAcksPerSecond = tcpChallengeAcksPerSecond;
        o.tcpInitialCwndMax = tcpInitialCwndMax;
        o.tcpAckDelayMs = tcpAckDelayMs;
        o.tcpPersistMaxMs = tcpPersistMaxMs;
        o.tcpMinSndMss = tcpMinSndMss;
        o.tcpWindowScaling = tcpWindowScaling;
        o.tcpKeepalive = tcpKeepalive;
        o.tcpTimestamps = tcpTimestamps;
        o.tcpKeepIdleMs = tcpKeepIdleMs;
        o.tcpKeepIntervalMs = tcpKeepIntervalMs;
        o.tcpKeepCount = tcpKeepCount;
        o.ephemeralPortMin = ephemeralPortMin;
        o.ephemeralPortMax = ephemeralPortMax;
        o.dnsQueries = dnsQueries;
        o.dnsCacheEntries = dnsCacheEntries;
        o.dnsTimeoutMs = dnsTimeoutMs;
        o.dnsTries = dnsTries;
        o.dnsMaxTtlS = dnsMaxTtlS;
        return o;
    }

    /**
     * Checks every value.
     *
     * @return null if all are usable, else a one-line reason naming the option
     */
    public String validate() {
        if (pbufs < 1) return "pbufs must be at least 1 (is " + pbufs + ")";
        if (pbufSize < 128 + linkHeadroom) return "pbufSize must be at least 128 + linkHeadroom (is " + pbufSize + ")";
        if (linkHeadroom < 0 || linkHeadroom > 64) return "linkHeadroom must be 0..64 (is " + linkHeadroom + ")";
        if (netifs < 1) return "netifs must be at least 1 (is " + netifs + ")";
        if (loopbackQueue < 1) return "loopbackQueue must be at least 1 (is " + loopbackQueue + ")";
        if (ipTtl < 1 || ipTtl > 255) return "ipTtl must be 1..255 (is " + ipTtl + ")";
        if (arpEntries < 1) return "arpEntries must be at least 1 (is " + arpEntries + ")";
        if (arpQueueLen < 0) return "arpQueueLen must be >= 0 (is " + arpQueueLen + ")";
        if (arpReachableMs < 1) return "arpReachableMs must be positive (is " + arpReachableMs + ")";
        if (arpRequestRetries < 1) return "arpRequestRetries must be at least 1 (is " + arpRequestRetries + ")";
        if (arpRetryMs < 1) return "arpRetryMs must be positive (is " + arpRetryMs + ")";
        if (dnsQueries < 0) return "dnsQueries must be >= 0 (is " + dnsQueries + ")";
        if (dnsCacheEntries < 0) return "dnsCacheEntries must be >= 0 (is " + dnsCacheEntries + ")";
        if (dnsTimeoutMs < 1) return "dnsTimeoutMs must be positive (is " + dnsTimeoutMs + ")";
        if (dnsTries < 1) return "dnsTries must be at least 1 (is " + dnsTries + ")";
        if (dnsMaxTtlS < 0) return "dnsMaxTtlS must be >= 0 (is " + dnsMaxTtlS + ")";
        if (ipReassDatagrams < 0) return "ipReassDatagrams must be >= 0 (is " + ipReassDatagrams + ")";
        if (ipReassMaxPbufs < 1) return "ipReassMaxPbufs must be at least 1 (is " + ipReassMaxPbufs + ")";
        if (ipReassTimeoutMs < 1) return "ipReassTimeoutMs must be positive (is " + ipReassTimeoutMs + ")";
        if (icmpErrorsPerSecond < 0) return "icmpErrorsPerSecond must be >= 0 (is " + icmpErrorsPerSecond + ")";
        if (udpPcbs < 0) return "udpPcbs must be >= 0 (is " + udpPcbs + ")";
        if (tcpPcbs < 0) return "tcpPcbs must be >= 0 (is " + tcpPcbs + ")";
        if (tcpListeners < 0) return "tcpListeners must be >= 0 (is " + tcpListeners + ")";
        if (tcpTimeWait < 1) return "tcpTimeWait must be at least 1 (is " + tcpTimeWait + ")";
        if (tcpSegs < 1) return "tcpSegs must be at least 1 (is " + tcpSegs + ")";
        if (tcpMss < 64 || tcpMss > 65495) return "tcpMss must be 64..65495 (is " + tcpMss + ")";
        if (tcpMinSndMss < 1 || tcpMinSndMss > tcpMss) {
            return "tcpMinSndMss must be 1..tcpMss (is " + tcpMinSndMss + ")";
        }
        if (tcpWnd < 1 || tcpWnd > 0x3fffffff) return "tcpWnd must be 1..2^30-1 (is " + tcpWnd + ")";
        if (tcpSndBuf < 1) return "tcpSndBuf must be at least 1 (is " + tcpSndBuf + ")";
        if (tcpRxPbufReserve < 0) return "tcpRxPbufReserve must be >= 0 (is " + tcpRxPbufReserve + ")";
        if (tcpBacklog < 1) return "tcpBacklog must be at least 1 (is " + tcpBacklog + ")";

        if (tcpMslMs < 0) return "tcpMslMs must be >= 0 (is " + tcpMslMs + ")";
        if (tcpFinWait2TimeoutMs < 0) return "tcpFinWait2TimeoutMs must be >= 0 (is " + tcpFinWait2TimeoutMs + ")";
        if (tcpMaxRtx < 1) return "tcpMaxRtx must be at least 1 (is " + tcpMaxRtx + ")";
        if (tcpSynMaxRtx < 1) return "tcpSynMaxRtx must be at least 1 (is " + tcpSynMaxRtx + ")";
        if (tcpRtoMinMs < 1) return "tcpRtoMinMs must be positive (is " + tcpRtoMinMs + ")";
        if (tcpRtoMaxMs < tcpRtoMinMs) return "tcpRtoMaxMs must be >= tcpRtoMinMs (is " + tcpRtoMaxMs + ")";
        if (tcpRtoInitialMs < tcpRtoMinMs || tcpRtoInitialMs > tcpRtoMaxMs)
            return "tcpRtoInitialMs must lie between tcpRtoMinMs and tcpRtoMaxMs (is " + tcpRtoInitialMs + ")";
        if (tcpOooMaxBytes < 0) return "tcpOooMaxBytes must be >= 0 (is " + tcpOooMaxBytes + ")";
        if (tcpOooMaxSegs < 0) return "tcpOooMaxSegs must be >= 0 (is " + tcpOooMaxSegs + ")";
        if (tcpOooMaxPbufs < 0) return "tcpOooMaxPbufs must be >= 0 (is " + tcpOooMaxPbufs + ")";
        if (tcpChallengeAcksPerSecond < 0 || tcpChallengeAcksPerSecond > 10000) {
            return "tcpChallengeAcksPerSecond must be 0..10000 (is " + tcpChallengeAcksPerSecond + ")";
        }
        if (tcpInitialCwndMax < 1) return "tcpInitialCwndMax must be at least 1 (is " + tcpInitialCwndMax + ")";
        if (tcpAckDelayMs < 0 || tcpAckDelayMs > 200) return "tcpAckDelayMs must be 0..200 (is " + tcpAckDelayMs + ")";
        if (tcpPersistMaxMs < 1) return "tcpPersistMaxMs must be positive (is " + tcpPersistMaxMs + ")";
        if (tcpKeepIdleMs < 1) return "tcpKeepIdleMs must be positive (is " + tcpKeepIdleMs + ")";
        if (tcpKeepIntervalMs < 1) return "tcpKeepIntervalMs must be positive (is " + tcpKeepIntervalMs + ")";
        if (tcpKeepCount < 1) return "tcpKeepCount must be at least 1 (is " + tcpKeepCount + ")";
        if (ephemeralPortMin < 1024 || ephemeralPortMax > 65535 || ephemeralPortMin > ephemeralPortMax)
            return "ephemeral port range must lie within 1024..65535 (is " + ephemeralPortMin + ".." + ephemeralPortMax + ")";
        return null;
    }
}
