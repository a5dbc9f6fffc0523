package io.jwip.netif;

import io.jwip.StackRandom;
import io.jwip.StackTime;

import io.jwip.Err;
import io.jwip.buf.Pbuf;
import io.jwip.buf.PbufPool;
import io.jwip.stats.Drop;
import io.jwip.stats.Stats;
import io.jwip.wire.Ip4Addr;

/**
 * A network interface: a name, an MTU, an IPv4 address with netmask and gateway, and the {@link Link}
 * that carries its packets (lwIP's {@code struct netif}).
 *
 * <p>Create it with a link, then add it to a stack ({@code Stack.addNetif}), which binds it to the stack's
 * buffer pool, counters and IPv4 input; from then on the link delivers received packets through
 * {@link #input(Pbuf)} and the stack transmits through {@link #output(Pbuf)}.
 */
public final class Netif implements LinkUpper {
    /** Checksum offload bits ({@link #setChecksumOffload}): the IPv4 header checksum. */
    public static final int CSUM_IP = 1;
    /** ICMP's checksum (bit {@code 1 << protocol number}, as the others). */
    public static final int CSUM_ICMP = 1 << 1;
    /** TCP's checksum. */
    public static final int CSUM_TCP = 1 << 6;
    /** UDP's checksum. */
    public static final int CSUM_UDP = 1 << 17;
    /** Every checksum the stack knows. */
    public static final int CSUM_ALL = CSUM_IP | CSUM_ICMP | CSUM_TCP | CSUM_UDP;

    private final String name;
    private final Link link;
    private int mtu;
    private int addr;
    private int mask;
    private int gw;
    private boolean up = true;
    private String downReason;
    private PbufPool pool;
    private Stats stats;
    private NetifInput ip;
    /** Checksums the link has verified on what it delivers (CSUM_ bits); the stack skips them. */
    private int rxVerified;
    /** Checksums the link fills on what it transmits (CSUM_TCP, CSUM_UDP); the stack leaves them 0. */
    private int txFilled;
    /** This netif's own counters (the stack's LINK line sums every netif): packets and bytes each way. */
    private long rxPackets, rxBytes, txPackets, txBytes;
    /** Received packets dropped here (link down), and transmissions the link refused (Err from output). */
    private long rxDropped, txErrors;

    /**
     * @param name a short name shown in stats and traces, e.g. {@code "sl0"}
     * @param mtu  largest IPv4 packet the link carries, e.g. 1500 (at least 68, RFC 791)
     * @param link the driver; it is attached to this netif now
     */
    public Netif(String name, int mtu, Link link) {
        if (mtu < 68) {
            throw new IllegalArgumentException("MTU must be at least 68 (RFC 791), is " + mtu);
        }
        this.name = name;
        this.mtu = mtu;
        this.link = link;
        link.attach(this);
    }

    /** Sets address, netmask and gateway (0 for none). */
    public Netif configure(int address, int netmask, int gateway) {
        this.addr = address;
        this.mask = netmask;
        this.gw = gateway;
        link.addressChanged(address, netmask, gateway);
        return this;
    }

    /**
     * Declares what the link does with checksums (smoltcp's {@code ChecksumCapabilities}, Linux's
     * {@code CHECKSUM_UNNECESSARY} and {@code CHECKSUM_PARTIAL}), so the stack skips that work: checksums in
     * {@code rxVerified} are not verified on packets this netif receives (the link verified them, or the
     * medium cannot corrupt: an in-process wire), and the TCP/UDP checksums in {@code txFilled} are left 0
     * on packets it sends (the link fills them, as a TUN device with checksum offload does, or the
     * receiver verifies none). Default 0 and 0: the stack computes and verifies every checksum.
     *
     * @param rxVerified {@code CSUM_*} bits
     * @param txFilled   {@link #CSUM_TCP} and/or {@link #CSUM_UDP}
     */
    public Netif setChecksumOffload(int rxVerified, int txFilled) {
        if ((rxVerified & ~CSUM_ALL) != 0 || (txFilled & ~(CSUM_TCP | CSUM_UDP)) != 0) {
            throw new IllegalArgumentException("checksum offload: unknown bits");
        }
        this.rxVerified = rxVerified;
        this.txFilled = txFilled;
        return this;
    }

    /** The {@code CSUM_*} bits this netif's link verifies on every packet it delivers. */
    public int rxVerified() {
        return rxVerified;
    }

    /** True if received packets' checksum of IP protocol {@code proto} (0: the IPv4 header) needs no check. */
    public boolean rxChecksumVerified(int proto) {
        return proto < 32 && (rxVerified & (1 << proto)) != 0;
    }

    /** True if the link fills the checksum of IP protocol {@code proto} on transmit. */
    public boolean txChecksumFilled(int proto) {
        return proto < 32 && (txFilled & (1 << proto)) != 0;
    }

    /**
     * Connects the netif to a stack: received packets are allocated from {@code pool}, counted in
     * {@code stats} and handed to {@code ip}. Called once, when the netif is added; a netif belongs to one
     * stack.
     */
    public void bind(PbufPool pool, Stats stats, NetifInput ip) {
        if (this.pool != null && this.pool != pool) {
            throw new IllegalStateException("netif " + name + " already belongs to a stack");
        }
        this.pool = pool;
        this.stats = stats;
        this.ip = ip;
    }

    /** As {@link #bind(PbufPool, Stats, NetifInput)}, and hands the link what it needs ({@link Link#joined}). */
    public void bind(PbufPool pool, Stats stats, NetifInput ip, StackTime time, StackRandom random) {
        bind(pool, stats, ip);
        link.joined(pool, stats, time, random);
        link.addressChanged(addr, mask, gw);
    }

    public String name() { return name; }
    public Link link() { return link; }
    public int mtu() { return mtu; }
    public void setMtu(int mtu) { this.mtu = mtu; }
    public int address() { return addr; }
    public int netmask() { return mask; }
    public int gateway() { return gw; }
    public boolean isUp() { return up; }
    /** Brings the netif up (clearing the down reason) or down. */
    public void setUp(boolean up) {
        this.up = up;
        if (up) {
            downReason = null;
        }
    }
    /** Why the link took the netif down ({@link #linkDown}), or null. */
    public String downReason() { return downReason; }

    /** Packets the link delivered to this netif (dropped ones included). */
    public long rxPackets() { return rxPackets; }
    /** Bytes of IPv4 packets the link delivered. */
    public long rxBytes() { return rxBytes; }
    /** IPv4 packets handed to the link. */
    public long txPackets() { return txPackets; }
    /** Bytes of IPv4 packets handed to the link. */
    public long txBytes() { return txBytes; }
    /** Received packets dropped by the netif itself (it was down). */
    public long rxDropped() { return rxDropped; }
    /** Packets not sent: the netif was down or the link refused them. */
    public long txErrors() { return txErrors; }

    /** True if {@code a} is in this netif's subnet, or is the peer of a point-to-point /32 link. */
    public boolean onLink(int a) {
        // A point-to-point link (a /32 with its peer as the gateway, as PPP's IPCP configures it) has
        // the peer on the link: it is reached directly, not through a route.
        return (a & mask) == (addr & mask) || mask == 0xffffffff && gw != 0 && a == gw;
    }

    /** True if {@code a} is the limited broadcast or this netif's directed (subnet) broadcast. */
    public boolean isBroadcast(int a) {
        if (a == Ip4Addr.BROADCAST || a == Ip4Addr.ANY) {
            return true;
        }
        return mask != 0xffffffff && (a & ~mask) == ~mask && onLink(a);
    }

    @Override
    public Pbuf allocInput(int len) {
        Pbuf p = pool.alloc(0, len);
        if (p == null) {
            stats.drop(Drop.LINK_NO_BUFFER);
        }
        return p;
    }

    @Override
    public void drop(int reason) {
        if (stats != null) {
            stats.drop(reason);
        }
    }

    @Override
    public void linkDown(String reason) {
        up = false;
        downReason = reason;
    }

    @Override
    public void input(Pbuf p) {
        input(p, 0);
    }

    @Override
    public void input(Pbuf p, int checksumsVerified) {
        stats.link.recv++;
        rxPackets++;
        rxBytes += p.totalLength();
        if (!up) {
            rxDropped++;
            stats.drop(Drop.LINK_DOWN);
            PbufPool.free(p);
            return;
        }
        ip.input(p, this, checksumsVerified | rxVerified);
    }

    /** Transmits an IPv4 packet; uses {@code p} (see {@link Link#output}). */
    public int output(Pbuf p) {
        if (!up) {
            txErrors++;
            stats.drop(Drop.LINK_DOWN);
            return Err.IF;
        }
        stats.link.xmit++;
        txPackets++;
        txBytes += p.totalLength();
        int err = link.output(p);
        if (err != Err.OK) {
            txErrors++;
        }
        return err;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(name).append(' ');
        Ip4Addr.append(sb, addr).append('/').append(Integer.bitCount(mask)).append(" mtu ").append(mtu);
        return sb.toString();
    }
}
