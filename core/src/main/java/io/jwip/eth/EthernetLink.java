package io.jwip.eth;

import io.jwip.Err;
import io.jwip.JwipOptions;
import io.jwip.StackRandom;
import io.jwip.StackTime;
import io.jwip.buf.Pbuf;
import io.jwip.buf.PbufPool;
import io.jwip.netif.Link;
import io.jwip.netif.LinkUpper;
import io.jwip.stats.Drop;
import io.jwip.stats.Stats;
import io.jwip.wire.ArpHeader;
import io.jwip.wire.Bytes;
import io.jwip.wire.EthernetHeader;
import io.jwip.wire.Ip4Addr;
import io.jwip.wire.Ip4Header;
import io.jwip.wire.Mac;

/**
 * Ethernet II under a netif: IPv4 over Ethernet (RFC 894) with ARP (RFC 826) and address conflict
 * detection (RFC 5227).
 *
 * <pre>
 *   Netif --IPv4--&gt; EthernetLink --frame--&gt; frame link (TAP device, in-memory segment, capture ...)
 *   Netif &lt;--IPv4-- EthernetLink &lt;--frame-- frame link
 * </pre>
 *
 * To the netif this is a link that carries IPv4 packets; to the link below, whose packets are whole frames,
 * it is the upper layer. On the way out it finds the next hop (the destination on the netif's subnet, else
 * the gateway; broadcast for the limited and the subnet broadcast), resolves it in the {@link ArpCache}
 * (queueing a copy while it asks) and puts the 14-byte header in front, in the packet's headroom when there
 * is room ({@code JwipOptions.linkHeadroom} of at least 14), else in a buffer of its own. On the way in it
 * keeps frames for its own address and broadcast only, drops its own frames coming back and frames with a
 * group source, strips the header of IPv4 and answers ARP. Every drop is counted by reason.
 *
 * <p>Use: {@code new Netif("eth0", 1500, new EthernetLink(options, mac, tapLink))}, then add the netif to
 * the stack; the ARP pools are registered with the stack's stats when it joins.
 */
public final class EthernetLink implements Link, LinkUpper, ArpCache.Sink, Acd.Sink {
    private final Link frames;
    private final long mac;
    private final ArpCache cache;
    private final Acd acd;
    private final EthernetHeader eth = new EthernetHeader();
    private final ArpHeader arp = new ArpHeader();
    private final byte[] scratch = new byte[ArpHeader.LENGTH];
    private LinkUpper upper;
    private PbufPool pool;
    private Stats stats;
    private StackTime time;
    private int addr;
    private int mask;
    private int gw;
    private boolean probeOnChange;
    private AddressListener listener;

    /**
     * @param options the stack's options (ARP cache size, queue length, timers)
     * @param mac     this netif's unicast Ethernet address
     * @param frames  the link that carries whole Ethernet frames; it is attached to this one now
     */
    public EthernetLink(JwipOptions options, long mac, Link frames) {
        if (!Mac.isUnicast(mac)) {
            throw new IllegalArgumentException("an Ethernet netif needs a unicast address, not " + Mac.toString(mac));
        }
        this.frames = frames;
        this.mac = mac;
        this.cache = new ArpCache(options);
        this.acd = new Acd(this);
        frames.attach(this);
    }

    public long mac() { return mac; }

    public ArpCache cache() { return cache; }

    /** Conflicts seen for our address (while probing or while using it). */
    public long conflicts() { return acd.conflicts; }

    /** The address conflict detection state: IDLE, PROBING, ANNOUNCING, BOUND or CONFLICT. */
    public String acdState() { return Acd.name(acd.state()); }

    /** Who hears about probes and conflicts (the DHCP client); null for none. */
    public void setAddressListener(AddressListener l) {
        this.listener = l;
    }

    /**
     * Probes {@code ip} (RFC 5227) before the netif uses it; the listener hears {@link AddressListener#probed}
     * when it is free (about 5 to 7 s later) or {@link AddressListener#conflict} when another host has it.
     */
    public void probe(int ip) {
        acd.probe(ip, time == null ? 0 : time.now());
    }

    // ================================================================ Link (towards the netif)

    @Override
    public void attach(LinkUpper upper) {
        this.upper = upper;
    }

    @Override
    public void joined(PbufPool pool, Stats stats, StackTime time, StackRandom random) {
        this.pool = pool;
        this.stats = stats;
        this.time = time;
        cache.bind(pool, time, this);
        acd.bind(random);
        stats.addPool(cache.entryPool());
        stats.addPool(cache.queuePool());
        frames.joined(pool, stats, time, random);
    }

    @Override
    public void addressChanged(int address, int netmask, int gateway) {
        boolean changed = address != addr;
        this.addr = address;
        this.mask = netmask;
        this.gw = gateway;
        if (!changed || time == null) {
            return;
        }
        // The neighbours' addresses do not change with ours: the cache stays (a RELEASE queued for the
        // server's address still goes out once it is resolved, after the address is gone).
        if (address == 0) {
            acd.stop();
        } else if (acd.address() != address || acd.state() == Acd.IDLE || acd.state() == Acd.CONFLICT) {
            acd.announce(address, time.now()); // gratuitous ARP: neighbours update their caches
        }
    }

    @Override
    public long timers(long now) {
        long next = Math.min(cache.timers(now), acd.timers(now));
        return Math.min(next, frames.timers(now));
    }

    /** Sends an IPv4 packet (uses {@code p}): to its next hop's address, resolving it first if need be. */
    @Override
    public int output(Pbuf p) {
        if (pool == null) {
            return Err.IF;
        }
        int dst = Bytes.i32(p.buf, p.offset() + Ip4Header.DESTINATION);
        long to;
        if (dst == Ip4Addr.BROADCAST || mask != 0 && mask != -1 && (dst & ~mask) == ~mask && (dst & mask) == (addr & mask)) {
            to = Mac.BROADCAST;
        } else if (Ip4Addr.isMulticast(dst)) {
            to = 0x01005e000000L | (dst & 0x7fffff); // RFC 1112 6.4
        } else {
            int hop = addr != 0 && mask != 0 && (dst & mask) != (addr & mask) && gw != 0 ? gw : dst;
            to = cache.lookup(hop);
            if (to < 0) {
                cache.enqueue(hop, p);
                return Err.OK; // sent when resolved, or dropped and counted
            }
        }
        return send(p, to, EthernetHeader.TYPE_IPV4);
    }

    /** Puts an Ethernet header in front of {@code p} (used, not taken) and hands the frame down. */
    private int send(Pbuf p, long to, int type) {
        int err;
        if (p.addHeader(EthernetHeader.HEADER_LENGTH)) {
            eth.wrap(p.buf, p.offset()).destination(to).source(mac).type(type);
            err = frames.output(p);
            p.removeHeader(EthernetHeader.HEADER_LENGTH);
        } else {
            Pbuf h = pool.alloc(0, EthernetHeader.HEADER_LENGTH);
            if (h == null) {
                stats.drop(Drop.ETH_NO_BUFFER);
                return Err.MEM;
            }
            eth.wrap(h.buf, h.offset()).destination(to).source(mac).type(type);
            p.ref();
            h.cat(p);
            err = frames.output(h);
            PbufPool.free(h);
        }
        if (err == Err.OK) {
            stats.eth.xmit++;
        }
        return err;
    }

    private void sendArp(int op, long to, long tha, int spa, int tpa) {
        Pbuf f = pool.alloc(0, EthernetHeader.MIN_FRAME);
        if (f == null) {
            stats.drop(Drop.ETH_NO_BUFFER);
            return;
        }
        for (int i = 0; i < EthernetHeader.MIN_FRAME; i++) {
            f.buf[f.offset() + i] = 0; // the padding after the ARP packet
        }
        eth.wrap(f.buf, f.offset()).destination(to).source(mac).type(EthernetHeader.TYPE_ARP);
        arp.wrap(f.buf, f.offset() + EthernetHeader.HEADER_LENGTH).fill(op, mac, spa, tha, tpa);
        if (frames.output(f) == Err.OK) {
            stats.eth.xmit++;
            stats.arp.xmit++;
        }
        PbufPool.free(f);
    }

    // ================================================================ ArpCache.Sink, Acd.Sink

    @Override
    public void request(int ip, long to) {
        sendArp(ArpHeader.OP_REQUEST, to == Mac.NONE ? Mac.BROADCAST : to, Mac.NONE, addr, ip);
    }

    @Override
    public void transmit(Pbuf p, long to) {
        send(p, to, EthernetHeader.TYPE_IPV4);
    }

    @Override
    public void arpRequest(int spa, int tpa) {
        sendArp(ArpHeader.OP_REQUEST, Mac.BROADCAST, Mac.NONE, spa, tpa);
    }

    @Override
    public void probeDone(int ip) {
        if (listener != null) {
            listener.probed(ip);
        }
    }

    @Override
    public void conflict(int ip, long other, boolean whileProbing) {
        stats.drop(Drop.ARP_CONFLICT);
        if (listener != null) {
            listener.conflict(ip, other, whileProbing);
        }
    }

    // ================================================================ LinkUpper (from the frame link)

    @Override
    public Pbuf allocInput(int len) {
        return upper.allocInput(len);
    }

    @Override
    public void input(Pbuf f) {
        input(f, 0);
    }

    /** Takes a received frame. */
    @Override
    public void input(Pbuf f, int checksumsVerified) {
        stats.eth.recv++;
        if (f.length() < EthernetHeader.HEADER_LENGTH) {
            dropFrame(f, Drop.ETH_TRUNCATED);
            return;
        }
        eth.wrap(f.buf, f.offset());
        long dst = eth.destination();
        long src = eth.source();
        if (dst != mac && dst != Mac.BROADCAST) {
            dropFrame(f, Drop.ETH_NOT_FOR_US);
            return;
        }
        if (src == mac) {
            dropFrame(f, Drop.ETH_OWN_SOURCE);
            return;
        }
        if (!Mac.isUnicast(src)) {
            dropFrame(f, Drop.ETH_BAD_SOURCE);
            return;
        }
        int type = eth.type();
        if (type == EthernetHeader.TYPE_IPV4) {
            f.removeHeader(EthernetHeader.HEADER_LENGTH);
            upper.input(f, checksumsVerified);
        } else if (type == EthernetHeader.TYPE_ARP) {
            arpInput(f);
            PbufPool.free(f);
        } else {
            dropFrame(f, Drop.ETH_UNKNOWN_TYPE);
        }
    }

    private void dropFrame(Pbuf f, int reason) {
        stats.drop(reason);
        PbufPool.free(f);
    }

    /** RFC 826's packet reception, with RFC 5227's conflict checks first. Does not take {@code f}. */
    private void arpInput(Pbuf f) {
        if (f.totalLength() < EthernetHeader.HEADER_LENGTH + ArpHeader.LENGTH) {
            stats.drop(Drop.ARP_MALFORMED);
            return;
        }
        f.copyOut(EthernetHeader.HEADER_LENGTH, scratch, 0, ArpHeader.LENGTH);
        arp.wrap(scratch, 0);
        if (!arp.isEthernetIpv4()) {
            stats.drop(Drop.ARP_MALFORMED);
            return;
        }
        int op = arp.operation();
        if (op != ArpHeader.OP_REQUEST && op != ArpHeader.OP_REPLY) {
            stats.drop(Drop.ARP_BAD_OPERATION);
            return;
        }
        long sha = arp.senderHardware();
        int spa = arp.senderProtocol();
        int tpa = arp.targetProtocol();
        if (!Mac.isUnicast(sha) || sha == mac || spa == Ip4Addr.BROADCAST || Ip4Addr.isMulticast(spa)) {
            stats.drop(Drop.ARP_BAD_SENDER);
            return;
        }
        stats.arp.recv++;
        if (acd.input(op, sha, spa, tpa, time.now())) {
            return; // someone else claims an address we probe or use: learn nothing from it
        }
        if (spa == 0) {
            // A probe (RFC 5227): for our address it is answered below like any request, never learned.
            if (op == ArpHeader.OP_REQUEST && addr != 0 && tpa == addr && acd.state() != Acd.PROBING) {
                sendArp(ArpHeader.OP_REPLY, sha, sha, addr, 0);
            }
            return;
        }
        boolean forUs = addr != 0 && tpa == addr;
        cache.learned(spa, sha, forUs); // merge; a new entry only when the packet was for us
        if (forUs && op == ArpHeader.OP_REQUEST) {
            sendArp(ArpHeader.OP_REPLY, sha, sha, addr, spa);
        }
    }

    @Override
    public void drop(int reason) {
        upper.drop(reason);
    }

    @Override
    public void linkDown(String reason) {
        cache.flush();
        upper.linkDown(reason);
    }
}
