package io.jwip.stack;

import io.jwip.Err;
import io.jwip.JwipOptions;
import io.jwip.buf.Pbuf;
import io.jwip.buf.PbufPool;
import io.jwip.icmp.Icmp;
import io.jwip.ip.Ip4;
import io.jwip.ip.IpProtocol;
import io.jwip.netif.LoopbackLink;
import io.jwip.netif.Netif;
import io.jwip.stats.Stats;
import io.jwip.udp.Udp;
import io.jwip.wire.Ip4Addr;

/**
 * One jwip stack: its pools, netifs, protocols and counters, all made once from a {@link JwipOptions}.
 *
 * <h2>Driving it</h2>
 * The stack never reads a clock and starts no thread. A port drives it with two calls from one thread:
 * <ul>
 *   <li>links deliver received packets ({@link Netif#input}), which runs the whole input path at once;</li>
 *   <li>{@link #timers(long)} with the current time in milliseconds runs whatever is due and returns when
 *       it next needs to be called, so a poll loop can sleep exactly until then.</li>
 * </ul>
 * Input uses the time of the latest {@code timers} call ({@link #now()}), so a port calls {@code timers}
 * at least before each batch of input.
 *
 * <h2>Threading</h2>
 * Not thread-safe: one thread owns a stack (lwIP's tcpip thread or NO_SYS loop). The ports module provides
 * both models.
 */
public final class Stack {
    /** Returned by {@link #timers(long)} when nothing is scheduled. */
    public static final long NO_DEADLINE = Long.MAX_VALUE;

    private final JwipOptions opt;
    private final Stats stats;
    private final PbufPool pbufPool;
    private final Netif[] netifs;
    private int netifCount;
    private Netif defaultNetif;
    private final Netif loopback;
    private final LoopbackLink loopbackLink;
    private final Ip4 ip;
    private final Icmp icmp;
    private final Udp udp;
    private IpProtocol tcp;
    private long now;

    /**
     * Builds a stack and every pool it will ever use.
     *
     * @throws IllegalArgumentException naming the first bad option
     */
    public Stack(JwipOptions options) {
        String bad = options.validate();
        if (bad != null) {
            throw new IllegalArgumentException(bad);
        }
        this.opt = options.copy();
        this.stats = new Stats(16);
        this.pbufPool = new PbufPool("PBUF_POOL", opt.pbufs, opt.pbufSize);
        stats.addPool(pbufPool.pool());
        this.netifs = new Netif[opt.netifs];
        this.ip = new Ip4(this);
        this.icmp = new Icmp(this);
        this.udp = new Udp(this);
        this.loopbackLink = new LoopbackLink(opt.loopbackQueue, stats);
        this.loopback = new Netif("lo", 1500, loopbackLink);
        loopback.configure(Ip4Addr.LOOPBACK, Ip4Addr.maskOf(8), 0);
        addNetif(loopback);
    }

    /** The options this stack was built with (a private copy: changing it changes nothing). */
    public JwipOptions options() { return opt; }
    public Stats stats() { return stats; }
    public PbufPool pbufPool() { return pbufPool; }
    public Ip4 ip() { return ip; }
    public Icmp icmp() { return icmp; }
    public Udp udp() { return udp; }
    /** The TCP layer, once one is installed. */
    public IpProtocol tcp() { return tcp; }
    /** The loopback netif (127.0.0.1/8), always present. */
    public Netif loopback() { return loopback; }

    /** Installs the TCP layer; done once at start-up by the TCP module. */
    public void setTcp(IpProtocol tcp) {
        if (this.tcp != null) {
            throw new IllegalStateException("TCP already installed");
        }
        this.tcp = tcp;
    }

    /** Time of the latest {@link #timers(long)} call, in milliseconds. */
    public long now() { return now; }

    /**
     * Adds a netif; the first non-loopback netif added becomes the default route.
     *
     * @return {@link Err#OK}, or {@link Err#MEM} if {@link JwipOptions#netifs} are in use
     */
    public int addNetif(Netif n) {
        if (netifCount == netifs.length) {
            return Err.MEM;
        }
        n.bind(this);
        netifs[netifCount++] = n;
        if (defaultNetif == null && n != loopback && loopback != null) {
            defaultNetif = n;
        }
        return Err.OK;
    }

    /** Sets the netif used for destinations that are on no netif's subnet. */
    public void setDefaultNetif(Netif n) {
        defaultNetif = n;
    }

    public Netif defaultNetif() { return defaultNetif; }
    public int netifCount() { return netifCount; }
    public Netif netif(int i) { return netifs[i]; }

    /**
     * Chooses the netif for {@code dst} (lwIP's {@code ip4_route}): loopback for 127/8 and for our own
     * addresses, then the first up netif whose subnet holds {@code dst}, then the default netif.
     *
     * @return the netif, or null if there is no route
     */
    public Netif route(int dst) {
        if (Ip4Addr.isLoopback(dst)) {
            return loopback;
        }
        for (int i = 0; i < netifCount; i++) {
            Netif n = netifs[i];
            if (n != loopback && n.isUp() && n.address() == dst && dst != 0) {
                return loopback;
            }
        }
        for (int i = 0; i < netifCount; i++) {
            Netif n = netifs[i];
            if (n != loopback && n.isUp() && n.address() != 0 && n.onLink(dst)) {
                return n;
            }
        }
        if (dst == Ip4Addr.BROADCAST && defaultNetif != null && defaultNetif.isUp()) {
            return defaultNetif;
        }
        return defaultNetif != null && defaultNetif.isUp() ? defaultNetif : null;
    }

    /** True if {@code a} is the address of one of our netifs (127/8 counts as ours). */
    public boolean isLocalAddress(int a) {
        if (Ip4Addr.isLoopback(a)) {
            return true;
        }
        for (int i = 0; i < netifCount; i++) {
            if (netifs[i].address() == a && a != 0) {
                return true;
            }
        }
        return false;
    }

    /** Entry of the IPv4 input path; called by {@link Netif#input}. Takes {@code p}. */
    public void ipInput(Pbuf p, Netif inp) {
        ip.input(p, inp);
    }

    /**
     * Runs everything that is due at {@code nowMs}: loopback delivery, reassembly timeouts, TCP timers.
     *
     * @param nowMs the port's clock, in milliseconds; it must not go backwards
     * @return the time at which this must be called next, or {@link #NO_DEADLINE}
     */
    public long timers(long nowMs) {
        if (nowMs > now) {
            now = nowMs;
        }
        if (loopbackLink.pending()) {
            loopbackLink.poll();
        }
        long next = ip.timers(now);
        if (tcp != null) {
            long t = tcp.timers(now);
            if (t < next) {
                next = t;
            }
        }
        if (loopbackLink.pending()) {
            next = now;
        }
        return next;
    }

    /**
     * Allocates a buffer for {@code len} bytes of transport payload with room for a transport header of
     * {@code transportHeader} bytes, the IP header and the link's headroom in front.
     *
     * @return the buffer (owned by the caller) or null when the pool is empty
     */
    public Pbuf allocTransport(int transportHeader, int len) {
        return pbufPool.alloc(opt.linkHeadroom + 20 + transportHeader, len);
    }

    /** Headroom that makes room for an IP header (and the link's own) in front of a payload. */
    public int ipHeadroom() {
        return opt.linkHeadroom + 20;
    }
}
