package io.jwip.ip;

import io.jwip.Err;
import io.jwip.JwipOptions;
import io.jwip.StackTime;
import io.jwip.buf.Pbuf;
import io.jwip.buf.PbufPool;
import io.jwip.netif.Netif;
import io.jwip.netif.NetifInput;
import io.jwip.stats.Drop;
import io.jwip.stats.Stats;
import io.jwip.wire.IcmpHeader;
import io.jwip.wire.Ip4Addr;
import io.jwip.wire.Checksum;
import io.jwip.wire.Ip4Header;
import io.jwip.wire.TcpHeader;
import io.jwip.wire.UdpHeader;

/**
 * IPv4 (RFC 791, RFC 1122 section 3): input validation and delivery to the protocol above, output with header
 * checksum, fragmentation on output, reassembly on input ({@link Reassembly}) and optional forwarding.
 *
 * <p>The protocols above (ICMP, UDP, TCP) plug in the same way: {@link #register} by protocol number, and
 * each is handed the parsed header ({@link IpRx}) with every datagram. Routing and source selection are
 * {@link Routes}'; ICMP errors go through {@link IpErrors}.
 *
 * <p>Input takes the packet; every path ends in a delivery, a queue, or a counted drop. Output uses the
 * packet: on return it is as the caller gave it (the IP header this layer added is removed again), so a
 * TCP retransmission queue can send the same buffer again.
 */
public final class Ip4 implements NetifInput {
    private final JwipOptions opt;
    private final Stats stats;
    private final PbufPool pool;
    private final Routes routes;
    private final Ip4Header hdr = new Ip4Header();
    private final Ip4Header fhdr = new Ip4Header();
    private final IpRx rx = new IpRx();
    private final Reassembly reass;
    private final IpProtocol[] protocols = new IpProtocol[256];
    private IpErrors errors;
    private int nextId = 1;

    public Ip4(JwipOptions opt, Stats stats, PbufPool pool, StackTime time, Routes routes) {
        this.opt = opt;
        this.stats = stats;
        this.pool = pool;
        this.routes = routes;
        this.reass = new Reassembly(opt, stats, time, this);
    }

    /** Delivers datagrams of protocol number {@code proto} to {@code p} (once, at start-up). */
    public void register(int proto, IpProtocol p) {
        if (protocols[proto] != null) {
            throw new IllegalStateException("protocol " + proto + " already registered");
        }
        protocols[proto] = p;
    }

    /** The protocol registered for {@code proto}, or null. */
    public IpProtocol protocol(int proto) {
        return protocols[proto & 0xff];
    }

    /** Sets who sends ICMP errors about datagrams that cannot be delivered (ICMP, once, at start-up). */
    public void setErrors(IpErrors e) {
        this.errors = e;
    }

    /** Reports an undeliverable datagram (see {@link IpErrors}); nothing happens without an error sender. */
    void error(Pbuf orig, int type, int code, int extra) {
        if (errors != null) {
            errors.sendError(orig, type, code, extra);
        }
    }

    public Routes routes() {
        return routes;
    }

    /** The reassembly table. */
    public Reassembly reassembly() {
        return reass;
    }

    /** Headroom that makes room for an IP header (and the link's own) in front of a payload. */
    public int headroom() {
        return opt.linkHeadroom + Ip4Header.MIN_LENGTH;
    }

    /**
     * A buffer for {@code len} bytes of transport payload with room for a transport header of
     * {@code transportHeader} bytes, the IP header and the link's headroom in front.
     *
     * @return the buffer (owned by the caller) or null when the pool is empty
     */
    public Pbuf allocTransport(int transportHeader, int len) {
        return pool.alloc(headroom() + transportHeader, len);
    }

    /** Takes {@code p}, a received packet starting at its IPv4 header. */
    @Override
    public void input(Pbuf p, Netif inp, int checksumsVerified) {
        stats.ip.recv++;
        if (p.totalLength() < Ip4Header.MIN_LENGTH || p.length() < Ip4Header.MIN_LENGTH) {
            drop(p, Drop.IP_TRUNCATED);
            return;
        }
        hdr.wrap(p.buf, p.offset());
        if (hdr.version() != 4) {
            drop(p, Drop.IP_BAD_VERSION);
            return;
        }
        int hlen = hdr.headerLength();
        if (hlen < Ip4Header.MIN_LENGTH || hlen > p.length()) {
            drop(p, Drop.IP_BAD_IHL);
            return;
        }
        int tot = hdr.totalLength();
        if (tot < hlen || tot > p.totalLength()) {
            drop(p, Drop.IP_BAD_LENGTH);
            return;
        }
        if ((checksumsVerified & Netif.CSUM_IP) == 0 && !hdr.checksumOk()) {
            drop(p, Drop.IP_BAD_CHECKSUM);
            return;
        }
        // Links may pad short frames; the datagram ends where its header says.
        p.truncate(tot);
        int src = hdr.source();
        int dst = hdr.destination();
        if (src == Ip4Addr.BROADCAST || Ip4Addr.isMulticast(src) || inp.isBroadcast(src) && src != 0) {
            drop(p, Drop.IP_BAD_SOURCE);
            return;
        }
        if (inp != routes.loopback() && martian(src, dst)) {
            drop(p, Drop.IP_MARTIAN);
            return;
        }
        boolean broadcast = false;
        boolean forUs;
        if (inp.address() != 0 && dst == inp.address()) {
            forUs = true;
        } else if (inp.isBroadcast(dst)) {
            forUs = true;
            broadcast = true;
        } else if (Ip4Addr.isLoopback(dst)) {
            // RFC 1122 3.2.1.3: 127/8 must never appear outside a host.
            forUs = inp == routes.loopback();
        } else {
            forUs = routes.isLocal(dst) && dst != 0;
        }
        if (!forUs) {
            if (opt.ipForward && !Ip4Addr.isMulticast(dst)) {
                forward(p, inp, checksumsVerified);
            } else {
                drop(p, Drop.IP_NOT_FOR_US);
            }
            return;
        }
        if ((hdr.flagsFragment() & (Ip4Header.FLAG_MF | Ip4Header.OFFSET_MASK)) != 0) {
            p = reass.insert(p);
            if (p == null) {
                return;
            }
            hdr.wrap(p.buf, p.offset());
            hlen = hdr.headerLength();
            checksumsVerified &= ~(Netif.CSUM_TCP | Netif.CSUM_UDP | Netif.CSUM_ICMP) | inp.rxVerified();
        }
        rx.src = src;
        rx.dst = dst;
        rx.headerLength = hlen;
        rx.protocol = hdr.protocol();
        rx.broadcast = broadcast;
        rx.netif = inp;
        rx.checksumsVerified = checksumsVerified;
        IpProtocol up = protocols[rx.protocol];
        if (up != null) {
            up.input(p, rx);
            return;
        }
        if (!broadcast) {
            error(p, IcmpHeader.TYPE_DEST_UNREACHABLE, IcmpHeader.CODE_PROTOCOL_UNREACHABLE, 0);
        }
        drop(p, Drop.IP_BAD_PROTOCOL);
    }

    /**
     * A source address that cannot come from outside this host (RFC 1122 3.2.1.3, RFC 1812 5.3.7): 127/8
     * (loopback: answering it would route the reply into our own loopback, where the stack answers itself),
     * 0/8 (this network; 0.0.0.0 only as a host that is still learning its address broadcasts, as a DHCP
     * client's DISCOVER does), 240/4 (reserved), and our own addresses.
     */
    private boolean martian(int src, int dst) {
        int top = src >>> 24;
        if (top == 127 || top >= 240) {
            return true;
        }
        if (top == 0) {
            return src != 0 || dst != Ip4Addr.BROADCAST;
        }
        return routes.isLocal(src);
    }

    /**
     * Sends a transport payload, choosing the netif by routing. Uses {@code p}, which starts at the
     * transport header and should have {@link #headroom()} bytes of headroom.
     *
     * @param src   source address, or {@link Ip4Addr#ANY} for the outgoing netif's address
     * @param ttl   time to live
     * @param tos   type of service
     * @param proto protocol number
     * @return {@link Err#OK} or an error ({@link Err#RTE} when there is no route)
     */
    public int output(Pbuf p, int src, int dst, int ttl, int tos, int proto) {
        Netif n = routes.route(dst);
        if (n == null) {
            stats.drop(Drop.IP_NO_ROUTE);
            return Err.RTE;
        }
        return outputIf(p, src, dst, ttl, tos, proto, n);
    }

    /**
     * Sends a TCP or UDP segment whose checksum field is 0: chooses the netif by routing and the source if
     * {@code src} is {@link Ip4Addr#ANY}, fills the transport checksum over the pseudo header unless the
     * outgoing netif's link fills it ({@link Netif#setChecksumOffload}), then sends as {@link #outputIf}.
     * Uses {@code p}, which starts at the transport header (in its first buffer).
     */
    public int outputTransport(Pbuf p, int src, int dst, int ttl, int tos, int proto) {
        Netif n = routes.route(dst);
        if (n == null) {
            stats.drop(Drop.IP_NO_ROUTE);
            return Err.RTE;
        }
        return outputTransportIf(p, src, dst, ttl, tos, proto, n);
    }

    /** As {@link #outputTransport} on a given netif. */
    public int outputTransportIf(Pbuf p, int src, int dst, int ttl, int tos, int proto, Netif n) {
        if (src == Ip4Addr.ANY) {
            src = routes.source(dst, n);
        }
        if (!n.txChecksumFilled(proto)) {
            int len = p.totalLength();
            int c = Checksum.finish(Checksum.add(Checksum.addPseudoHeader(0, src, dst, proto, len), p, 0, len));
            int at = p.offset() + (proto == Ip4Header.PROTO_UDP ? UdpHeader.CHECKSUM : TcpHeader.CHECKSUM);
            if (proto == Ip4Header.PROTO_UDP && c == 0) {
                c = 0xffff; // RFC 768: 0 means "no checksum"
            }
            p.buf[at] = (byte) (c >>> 8);
            p.buf[at + 1] = (byte) c;
        }
        return outputIf(p, src, dst, ttl, tos, proto, n);
    }

    /** As {@link #output} on a given netif. Uses {@code p}. */
    public int outputIf(Pbuf p, int src, int dst, int ttl, int tos, int proto, Netif n) {
        if (src == Ip4Addr.ANY) {
            src = routes.source(dst, n);
        }
        if (p.addHeader(Ip4Header.MIN_LENGTH)) {
            fillHeader(p, src, dst, ttl, tos, proto);
            int err = send(p, n);
            p.removeHeader(Ip4Header.MIN_LENGTH);
            return err;
        }
        // No headroom: put the header in a buffer of its own in front of the caller's chain.
        Pbuf h = pool.alloc(opt.linkHeadroom, Ip4Header.MIN_LENGTH);
        if (h == null) {
            stats.drop(Drop.IP_NO_BUFFER);
            return Err.MEM;
        }
        p.ref();
        h.cat(p);
        fillHeader(h, src, dst, ttl, tos, proto);
        int err = send(h, n);
        PbufPool.free(h);
        return err;
    }

    private void fillHeader(Pbuf p, int src, int dst, int ttl, int tos, int proto) {
        hdr.wrap(p.buf, p.offset())
                .versionIhl(4, Ip4Header.MIN_LENGTH)
                .tos(tos)
                .totalLength(p.totalLength())
                .identification(nextId)
                .flagsFragment(0)
                .ttl(ttl)
                .protocol(proto)
                .source(src)
                .destination(dst)
                .fillChecksum();
        nextId = (nextId + 1) & 0xffff;
    }

    /** Sends a complete datagram (header in place) on {@code n}, fragmenting when it exceeds the MTU. */
    private int send(Pbuf p, Netif n) {
        if (p.totalLength() > n.mtu()) {
            hdr.wrap(p.buf, p.offset());
            if (!opt.ipFrag || hdr.dontFragment()) {
                stats.drop(Drop.IP_TOO_BIG_DF);
                return Err.BUF;
            }
            return fragment(p, n);
        }
        stats.ip.xmit++;
        int err = n.output(p);
        if (err != Err.OK) {
            stats.drop(Drop.IP_LINK_ERROR);
        }
        return err;
    }

    /**
     * Splits the datagram {@code p} (header in place) into fragments that fit {@code n}'s MTU (RFC 791
     * section 3.2). Each fragment is a fresh buffer from the pool, sent and freed at once. Options are not
     * copied into fragments (we send none).
     */
    private int fragment(Pbuf p, Netif n) {
        hdr.wrap(p.buf, p.offset());
        int hlen = hdr.headerLength();
        int payload = hdr.totalLength() - hlen;
        int flags = hdr.flagsFragment();
        int baseOffset = (flags & Ip4Header.OFFSET_MASK) << 3;
        boolean lastHadMf = (flags & Ip4Header.FLAG_MF) != 0;
        int maxData = (n.mtu() - Ip4Header.MIN_LENGTH) & ~7;
        if (maxData <= 0) {
            stats.drop(Drop.IP_TOO_BIG_DF);
            return Err.BUF;
        }
        for (int off = 0; off < payload; off += maxData) {
            int len = payload - off < maxData ? payload - off : maxData;
            boolean last = off + len >= payload;
            Pbuf f = pool.alloc(opt.linkHeadroom, Ip4Header.MIN_LENGTH + len);
            if (f == null) {
                stats.drop(Drop.FRAG_NO_BUFFER);
                return Err.MEM;
            }
            f.copyFrom(p, 0, 0, Ip4Header.MIN_LENGTH);
            f.copyFrom(p, hlen + off, Ip4Header.MIN_LENGTH, len);
            int ff = (flags & Ip4Header.FLAG_DF) | (((baseOffset + off) >>> 3) & Ip4Header.OFFSET_MASK);
            if (!last || lastHadMf) {
                ff |= Ip4Header.FLAG_MF;
            }
            fhdr.wrap(f.buf, f.offset())
                    .versionIhl(4, Ip4Header.MIN_LENGTH)
                    .totalLength(Ip4Header.MIN_LENGTH + len)
                    .flagsFragment(ff)
                    .fillChecksum();
            stats.frag.xmit++;
            stats.ip.xmit++;
            int err = n.output(f);
            PbufPool.free(f);
            if (err != Err.OK) {
                stats.drop(Drop.IP_LINK_ERROR);
                return err;
            }
        }
        return Err.OK;
    }

    /**
     * Forwards a datagram not addressed to us (RFC 1812 in brief: TTL, no broadcasts). Takes {@code p}. A
     * TCP or UDP checksum its link vouched for may be partial (made on this host, with checksum offload):
     * it is completed before the datagram leaves.
     */
    private void forward(Pbuf p, Netif inp, int checksumsVerified) {
        hdr.wrap(p.buf, p.offset());
        if ((checksumsVerified & (Netif.CSUM_TCP | Netif.CSUM_UDP)) != 0) {
            completeTransportChecksum(p);
        }
        int dst = hdr.destination();
        if (dst == 0 || Ip4Addr.isLoopback(dst)) {
            drop(p, Drop.IP_NOT_FOR_US);
            return;
        }
        Netif out = routes.route(dst);
        if (out == null || out == routes.loopback()) {
            error(p, IcmpHeader.TYPE_DEST_UNREACHABLE, IcmpHeader.CODE_HOST_UNREACHABLE, 0);
            drop(p, Drop.IP_NO_ROUTE);
            return;
        }
        if (out.isBroadcast(dst)) {
            drop(p, Drop.IP_NOT_FOR_US);
            return;
        }
        int ttl = hdr.ttl();
        if (ttl <= 1) {
            error(p, IcmpHeader.TYPE_TIME_EXCEEDED, IcmpHeader.CODE_TTL_EXCEEDED, 0);
            drop(p, Drop.IP_TTL_EXPIRED);
            return;
        }
        hdr.ttl(ttl - 1).fillChecksum();
        if (p.totalLength() > out.mtu() && hdr.dontFragment()) {
            error(p, IcmpHeader.TYPE_DEST_UNREACHABLE, IcmpHeader.CODE_FRAG_NEEDED, out.mtu());
            drop(p, Drop.IP_TOO_BIG_DF);
            return;
        }
        stats.ip.fwd++;
        send(p, out);
        PbufPool.free(p);
    }

    /** Computes the TCP or UDP checksum of an unfragmented datagram in {@code p} (header at its start). */
    private void completeTransportChecksum(Pbuf p) {
        int proto = hdr.protocol();
        int hlen = hdr.headerLength();
        int at = proto == Ip4Header.PROTO_TCP ? TcpHeader.CHECKSUM : proto == Ip4Header.PROTO_UDP ? UdpHeader.CHECKSUM : -1;
        int len = hdr.totalLength() - hlen;
        if (at < 0 || (hdr.flagsFragment() & (Ip4Header.FLAG_MF | Ip4Header.OFFSET_MASK)) != 0 || p.length() < hlen + at + 2) {
            return;
        }
        int o = p.offset() + hlen + at;
        p.buf[o] = 0;
        p.buf[o + 1] = 0;
        int c = Checksum.finish(Checksum.add(Checksum.addPseudoHeader(0, hdr.source(), hdr.destination(), proto, len), p, hlen, len));
        if (proto == Ip4Header.PROTO_UDP && c == 0) {
            c = 0xffff;
        }
        p.buf[o] = (byte) (c >>> 8);
        p.buf[o + 1] = (byte) c;
        hdr.wrap(p.buf, p.offset());
    }

    /** Runs the reassembly timeouts. */
    public long timers(long now) {
        return reass.timers(now);
    }

    private void drop(Pbuf p, int reason) {
        stats.drop(reason);
        PbufPool.free(p);
    }
}
