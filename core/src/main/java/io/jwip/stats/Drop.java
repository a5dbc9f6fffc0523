package io.jwip.stats;

/**
 * Every reason the stack drops a packet, with its name and the protocol whose {@code drop} counter it
 * bumps. One place, so that a person reading a stats table can find where a count comes from.
 */
public final class Drop {
    private Drop() {}

    // protocol indexes into Stats.protos
    public static final int P_LINK = 0;
    public static final int P_IP = 1;
    public static final int P_FRAG = 2;
    public static final int P_ICMP = 3;
    public static final int P_UDP = 4;
    public static final int P_TCP = 5;
    public static final int P_ETH = 6;
    public static final int P_ARP = 7;
    public static final int P_DHCP = 8;
    public static final int P_DNS = 9;
    public static final int P_PPP = 10;
    public static final int PROTOS = 11;
    static final String[] PROTO_NAMES = {"LINK", "IP", "IP_FRAG", "ICMP", "UDP", "TCP", "ETH", "ARP", "DHCP", "DNS", "PPP"};

    private static int n;
    private static String[] names = new String[128];
    private static int[] protos = new int[128];

    private static int reason(int proto, String name) {
        names[n] = name;
        protos[n] = proto;
        return n++;
    }

    // link layer
    public static final int LINK_NO_BUFFER = reason(P_LINK, "link: no packet buffer for a received frame");
    public static final int LINK_BAD_FRAME = reason(P_LINK, "link: bad frame (framing, escape, length)");
    public static final int LINK_NOT_IP = reason(P_LINK, "link: frame is not IPv4");
    public static final int LINK_DOWN = reason(P_LINK, "link: interface down");
    public static final int LINK_QUEUE_FULL = reason(P_LINK, "link: transmit queue full");
    public static final int LINK_OVERSIZE = reason(P_LINK, "link: frame longer than the MTU");
    public static final int LINK_IO_ERROR = reason(P_LINK, "link: device or line write failed");
    public static final int LINK_OFFLOAD_UNSUPPORTED = reason(P_LINK, "link: offloaded super-packet jwip cannot split (not TCP over IPv4)");

    // Ethernet framing (an Ethernet netif's frames)
    public static final int ETH_TRUNCATED = reason(P_ETH, "eth: frame shorter than its header");
    public static final int ETH_NOT_FOR_US = reason(P_ETH, "eth: destination is neither our address nor broadcast");
    public static final int ETH_OWN_SOURCE = reason(P_ETH, "eth: our own source address (a loop or an impostor)");
    public static final int ETH_BAD_SOURCE = reason(P_ETH, "eth: source is a group or zero address");
    public static final int ETH_UNKNOWN_TYPE = reason(P_ETH, "eth: EtherType is neither IPv4 nor ARP (or an 802.3 length)");
    public static final int ETH_NO_BUFFER = reason(P_ETH, "eth: no buffer for a header or a queued copy");

    // ARP
    public static final int ARP_MALFORMED = reason(P_ARP, "arp: truncated, or not IPv4 over Ethernet");
    public static final int ARP_BAD_OPERATION = reason(P_ARP, "arp: operation is neither request nor reply");
    public static final int ARP_BAD_SENDER = reason(P_ARP, "arp: sender address is group, zero, broadcast or ours");
    public static final int ARP_QUEUE_FULL = reason(P_ARP, "arp: oldest packet waiting for a resolution dropped (queue full)");
    public static final int ARP_UNRESOLVED = reason(P_ARP, "arp: packet dropped, neighbour did not answer");
    public static final int ARP_TABLE_FULL = reason(P_ARP, "arp: packet dropped, every cache entry is being resolved");
    public static final int ARP_CONFLICT = reason(P_ARP, "arp: another host claims our address");

    // DHCP client
    public static final int DHCP_MALFORMED = reason(P_DHCP, "dhcp: not a BOOTP reply with the magic cookie and a message type");
    public static final int DHCP_NOT_OURS = reason(P_DHCP, "dhcp: transaction ID or hardware address is not ours");
    public static final int DHCP_UNEXPECTED = reason(P_DHCP, "dhcp: message not expected in this state (or missing what it needs)");

    // DNS resolver
    public static final int DNS_MALFORMED = reason(P_DNS, "dns: truncated or malformed answer (lengths, labels, pointer loops)");
    public static final int DNS_NOT_OURS = reason(P_DNS, "dns: ID, question, source address or port does not match a query");

    // PPP framing (RFC 1662)
    public static final int PPP_BAD_FCS = reason(P_PPP, "ppp: frame check sequence wrong (line noise)");
    public static final int PPP_OVERSIZE = reason(P_PPP, "ppp: frame longer than the MRU");
    public static final int PPP_RUNT = reason(P_PPP, "ppp: frame too short for protocol and FCS");
    public static final int PPP_ABORTED = reason(P_PPP, "ppp: frame aborted (escape before flag)");
    public static final int PPP_VJ_ERROR = reason(P_PPP, "ppp: VJ-compressed packet malformed or for a slot not learned");
    public static final int PPP_VJ_TOSSED = reason(P_PPP, "ppp: VJ-compressed packet after a lost frame, before the peer named its slot");
    public static final int PPP_BAD_HEADER = reason(P_PPP, "ppp: address/control not FF 03, or protocol field malformed");

    // IPv4 input
    public static final int IP_TRUNCATED = reason(P_IP, "ip: shorter than a header");
    public static final int IP_BAD_VERSION = reason(P_IP, "ip: version is not 4");
    public static final int IP_BAD_IHL = reason(P_IP, "ip: IHL < 5 or beyond the buffer");
    public static final int IP_BAD_LENGTH = reason(P_IP, "ip: total length beyond the packet or below IHL");
    public static final int IP_BAD_CHECKSUM = reason(P_IP, "ip: header checksum");
    public static final int IP_BAD_SOURCE = reason(P_IP, "ip: source is broadcast or multicast");
    public static final int IP_MARTIAN = reason(P_IP, "ip: martian source from outside (127/8, 0/8, 240/4, our own address)");
    public static final int IP_NOT_FOR_US = reason(P_IP, "ip: not for us and not forwarded");
    public static final int IP_BAD_PROTOCOL = reason(P_IP, "ip: unknown protocol");
    public static final int IP_TTL_EXPIRED = reason(P_IP, "ip: TTL expired in forwarding");
    public static final int IP_NO_ROUTE = reason(P_IP, "ip: no route (output)");
    public static final int IP_NO_BUFFER = reason(P_IP, "ip: no buffer (output)");
    public static final int IP_TOO_BIG_DF = reason(P_IP, "ip: larger than MTU with DF or fragmentation off");
    public static final int IP_LINK_ERROR = reason(P_IP, "ip: link refused the packet");

    // IPv4 fragments
    public static final int FRAG_DISABLED = reason(P_FRAG, "frag: reassembly disabled");
    public static final int FRAG_BAD = reason(P_FRAG, "frag: malformed fragment");
    public static final int FRAG_OVERLAP = reason(P_FRAG, "frag: overlapping or duplicate fragment");
    public static final int FRAG_TOO_BIG = reason(P_FRAG, "frag: reassembled size > 65535");
    public static final int FRAG_NO_ENTRY = reason(P_FRAG, "frag: reassembly table full");
    public static final int FRAG_EVICTED = reason(P_FRAG, "frag: datagram evicted for room");
    public static final int FRAG_TIMEOUT = reason(P_FRAG, "frag: reassembly timed out");
    public static final int FRAG_NO_BUFFER = reason(P_FRAG, "frag: no buffer to fragment");

    // ICMP
    public static final int ICMP_TRUNCATED = reason(P_ICMP, "icmp: shorter than a header");
    public static final int ICMP_BAD_CHECKSUM = reason(P_ICMP, "icmp: checksum");
    public static final int ICMP_BROADCAST_ECHO = reason(P_ICMP, "icmp: echo to broadcast ignored");
    public static final int ICMP_UNHANDLED = reason(P_ICMP, "icmp: type not handled");
    public static final int ICMP_RATE_LIMITED = reason(P_ICMP, "icmp: error suppressed by rate limit");
    public static final int ICMP_NO_BUFFER = reason(P_ICMP, "icmp: no buffer for a reply");

    // UDP
    public static final int UDP_TRUNCATED = reason(P_UDP, "udp: shorter than a header");
    public static final int UDP_BAD_LENGTH = reason(P_UDP, "udp: length field wrong");
    public static final int UDP_BAD_CHECKSUM = reason(P_UDP, "udp: checksum");
    public static final int UDP_NO_PORT = reason(P_UDP, "udp: no socket on the port");

    // TCP (the TCP layer adds its own reasons here)
    public static final int TCP_TRUNCATED = reason(P_TCP, "tcp: shorter than a header");
    public static final int TCP_BAD_OFFSET = reason(P_TCP, "tcp: data offset wrong");
    public static final int TCP_BAD_CHECKSUM = reason(P_TCP, "tcp: checksum");
    public static final int TCP_BROADCAST = reason(P_TCP, "tcp: to a broadcast address");
    public static final int TCP_NO_PCB = reason(P_TCP, "tcp: no connection (answered with RST)");
    public static final int TCP_NOT_IMPLEMENTED = reason(P_TCP, "tcp: not handled yet");
    public static final int TCP_BAD_SEQ = reason(P_TCP, "tcp: outside the receive window (answered with ACK)");
    public static final int TCP_BAD_ACK = reason(P_TCP, "tcp: unacceptable acknowledgment");
    public static final int TCP_RST_IGNORED = reason(P_TCP, "tcp: RST not exactly in sequence (RFC 5961) or in TIME_WAIT (RFC 1337)");
    public static final int TCP_SYN_IGNORED = reason(P_TCP, "tcp: SYN in a synchronised state (challenge ACK)");
    public static final int TCP_NO_ACK = reason(P_TCP, "tcp: no ACK bit in a synchronised state");
    public static final int TCP_OOSEQ_FULL = reason(P_TCP, "tcp: out-of-order queue full");
    public static final int TCP_OOSEQ_BUFFERS = reason(P_TCP, "tcp: out-of-order data of all connections at its buffer budget");
    public static final int TCP_OOSEQ_RECLAIMED = reason(P_TCP, "tcp: out-of-order data dropped to free buffers (pool dry)");
    public static final int TCP_BACKLOG_FULL = reason(P_TCP, "tcp: SYN refused, listen backlog full");
    public static final int TCP_NO_FREE_PCB = reason(P_TCP, "tcp: SYN refused, no control block even after reclaiming");
    public static final int TCP_NO_BUFFER = reason(P_TCP, "tcp: no buffer or segment descriptor");
    public static final int TCP_UNEXPECTED = reason(P_TCP, "tcp: segment not expected in this state");
    public static final int TCP_PAWS = reason(P_TCP, "tcp: old timestamp (PAWS, RFC 7323; answered with ACK)");
    public static final int TCP_DATA_AFTER_FIN = reason(P_TCP, "tcp: data after the peer's FIN or after shutdown");

    /** Number of reasons. */
    public static final int COUNT = n;

    /** Human-readable text of a reason. */
    public static String name(int reason) {
        return reason >= 0 && reason < COUNT ? names[reason] : "unknown";
    }

    /** The protocol index ({@code P_*}) a reason belongs to. */
    public static int protocol(int reason) {
        return protos[reason];
    }

    /** Name of a protocol index. */
    public static String protocolName(int proto) {
        return PROTO_NAMES[proto];
    }
}
