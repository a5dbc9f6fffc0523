package io.jwip.stack;

import io.jwip.Err;
import io.jwip.JwipOptions;
import io.jwip.StackRandom;
import io.jwip.StackTime;
import io.jwip.buf.Pbuf;
import io.jwip.buf.PbufPool;
import io.jwip.icmp.Icmp;
import io.jwip.ip.Ip4;
import io.jwip.ip.IpProtocol;
import io.jwip.ip.Routes;
import io.jwip.netif.LoopbackLink;
import io.jwip.netif.Netif;
import io.jwip.stats.Stats;
import io.jwip.udp.Udp;
import io.jwip.wire.Ip4Addr;
import io.jwip.wire.Ip4Header;

/**
 * One jwip stack: it builds every layer and pool once from a {@link JwipOptions}, connects the layers, and
 * runs their timers - nothing else. The layers talk to each other directly, each handed at construction
 * what it needs:
 *
 * <pre>
 *   Link -&gt; Netif -&gt; Ip4 -&gt; (by protocol number) Icmp | Udp | Tcp
 *                     Ip4 -&gt; Routes (which netif, which source address)
 *   Tcp, Udp, Icmp -&gt; Ip4.output -&gt; Routes -&gt; Netif -&gt; Link
 * </pre>
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
    public static final long NO_DEADLINE = StackTime.NO_DEADLINE;

    private final JwipOptions opt;
    private final StackTime time = new StackTime();
    private final StackRandom random = new StackRandom();
    private final Stats stats;
    private final PbufPool pbufPool;
    private final Netif loopback;
    private final LoopbackLink loopbackLink;
    private final Routes routes;
    private final Ip4 ip;
    private final Icmp icmp;
    private final Udp udp;
    private IpProtocol tcp;
    /** Applications with timers of their own (a DHCP client, a DNS resolver), run with the stack's. */
    private final StackTimer[] extraTimers = new StackTimer[8];
    private int extraTimerCount;

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
        this.loopbackLink = new LoopbackLink(opt.loopbackQueue, stats);
        this.loopback = new Netif("lo", 1500, loopbackLink);
        loopback.configure(Ip4Addr.LOOPBACK, Ip4Addr.maskOf(8), 0);
        this.routes = new Routes(opt.netifs, loopback);
        this.ip = new Ip4(opt, stats, pbufPool, time, routes);
        loopback.bind(pbufPool, stats, ip);
        this.icmp = new Icmp(opt, stats, time, ip);
        this.udp = new Udp(opt, stats, ip, icmp);
        ip.register(Ip4Header.PROTO_ICMP, icmp);
        ip.register(Ip4Header.PROTO_UDP, udp);
        ip.setErrors(icmp);
    }

    /** The options this stack was built with (a private copy: changing it changes nothing). */
    public JwipOptions options() { return opt; }
    public Stats stats() { return stats; }
    public PbufPool pbufPool() { return pbufPool; }
    /** The stack's time, as the layers see it. */
    public StackTime time() { return time; }
    /** The stack's random numbers (keyed by the port with {@link StackRandom#setSecret}). */
    public StackRandom random() { return random; }
    public Ip4 ip() { return ip; }
    /** The netifs, routing and source address selection. */
    public Routes routes() { return routes; }
    public Icmp icmp() { return icmp; }
    public Udp udp() { return udp; }
    /** The TCP layer, once one is installed. */
    public IpProtocol tcp() { return tcp; }
    /** The loopback netif (127.0.0.1/8), always present. */
    public Netif loopback() { return loopback; }

    /** Installs the TCP layer: IPv4 delivers protocol 6 to it, and its timers run with the others. Once. */
    public void setTcp(IpProtocol tcp) {
        if (this.tcp != null) {
            throw new IllegalStateException("TCP already installed");
        }
        this.tcp = tcp;
        ip.register(Ip4Header.PROTO_TCP, tcp);
    }

    /**
     * Runs {@code t}'s timers with the stack's from now on (at start-up; at most 8).
     *
     * @return {@link Err#OK}, or {@link Err#MEM} when 8 are registered
     */
    public int addTimer(StackTimer t) {
        if (extraTimerCount == extraTimers.length) {
            return Err.MEM;
        }
        extraTimers[extraTimerCount++] = t;
        return Err.OK;
    }

    /**
     * Moves the stack's time to {@code nowMs} without running timers: a port calls it before it hands the
     * stack the packets that woke it, so that what they start (a retransmission timer, an RTT sample, a
     * DHCP lease) counts from when they arrived, not from before the port slept.
     */
    public void advanceTime(long nowMs) {
        time.advanceTo(nowMs);
    }

    /** Time of the latest {@link #timers(long)} or {@link #advanceTime(long)} call, in milliseconds. */
    public long now() { return time.now(); }

    /**
     * Adds a netif; the first non-loopback netif added becomes the default route.
     *
     * @return {@link Err#OK}, or {@link Err#MEM} if {@link JwipOptions#netifs} are in use
     */
    public int addNetif(Netif n) {
        int err = routes.add(n);
        if (err == Err.OK) {
            n.bind(pbufPool, stats, ip, time, random);
        }
        return err;
    }

    /** Sets the netif used for destinations that are on no netif's subnet. */
    public void setDefaultNetif(Netif n) { routes.setDefault(n); }
    public Netif defaultNetif() { return routes.defaultNetif(); }
    public int netifCount() { return routes.count(); }
    public Netif netif(int i) { return routes.netif(i); }

    /** The netif for {@code dst} ({@link Routes#route}), or null if there is no route. */
    public Netif route(int dst) { return routes.route(dst); }

    /** True if {@code a} is the address of one of our netifs (127/8 counts as ours). */
    public boolean isLocalAddress(int a) { return routes.isLocal(a); }

    /**
     * Runs everything that is due at {@code nowMs}: loopback delivery, reassembly timeouts, TCP timers.
     *
     * @param nowMs the port's clock, in milliseconds; it must not go backwards
     * @return the time at which this must be called next, or {@link #NO_DEADLINE}
     */
    public long timers(long nowMs) {
        time.advanceTo(nowMs);
        long now = time.now();
        if (loopbackLink.pending()) {
            loopbackLink.poll();
        }
        long next = ip.timers(now);
        for (int i = 0; i < routes.count(); i++) {
            long t = routes.netif(i).link().timers(now);
            if (t < next) {
                next = t;
            }
        }
        for (int i = 0; i < extraTimerCount; i++) {
            long t = extraTimers[i].timers(now);
            if (t < next) {
                next = t;
            }
        }
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

    /** {@link Ip4#allocTransport}: a buffer with room for the transport, IP and link headers in front. */
    public Pbuf allocTransport(int transportHeader, int len) {
        return ip.allocTransport(transportHeader, len);
    }

    /** Headroom that makes room for an IP header (and the link's own) in front of a payload. */
    public int ipHeadroom() {
        return ip.headroom();
    }
}
