package io.jwip.icmp;

import io.jwip.Err;
import io.jwip.JwipOptions;
import io.jwip.StackTime;
import io.jwip.buf.Pbuf;
import io.jwip.buf.PbufPool;
import io.jwip.ip.Ip4;
import io.jwip.ip.IpErrors;
import io.jwip.ip.IpProtocol;
import io.jwip.ip.IpRx;
import io.jwip.ip.Routes;
import io.jwip.netif.Netif;
import io.jwip.stats.Drop;
import io.jwip.stats.Stats;
import io.jwip.wire.Checksum;
import io.jwip.wire.IcmpHeader;
import io.jwip.wire.Ip4Addr;
import io.jwip.wire.Ip4Header;

/**
 * ICMP (RFC 792, RFC 1122 section 3.2.2): echo replies built in the request's own buffer (the payload is
 * never touched, so the reply is byte-exact), destination unreachable and time exceeded, with the rules
 * that keep ICMP from answering itself: never an error about an error, a broadcast, a non-first fragment
 * or a datagram from a broadcast source; and a rate limit ({@link JwipOptions#icmpErrorsPerSecond}).
 */
public final class Icmp implements IpProtocol, IpErrors {
    private final Ip4 ip4;
    private final Routes routes;
    private final StackTime time;
    private final JwipOptions opt;
    private final Stats stats;
    private final IcmpHeader icmp = new IcmpHeader();
    private final Ip4Header ip = new Ip4Header();
    private EchoListener echoListener;
    private long rateWindowStart = Long.MIN_VALUE;
    private int rateCount;

    public Icmp(JwipOptions opt, Stats stats, StackTime time, Ip4 ip) {
        this.ip4 = ip;
        this.routes = ip.routes();
        this.time = time;
        this.opt = opt;
        this.stats = stats;
    }

    /** Sets who is told of echo replies (null for nobody). */
    public void setEchoListener(EchoListener l) {
        this.echoListener = l;
    }

    /** Takes {@code p}, an ICMP datagram starting at its IP header {@code rx}. */
    @Override
    public void input(Pbuf p, IpRx rx) {
        stats.icmp.recv++;
        int hlen = rx.headerLength;
        int len = p.totalLength() - hlen;
        if (len < IcmpHeader.LENGTH || p.length() < hlen + IcmpHeader.LENGTH) {
            drop(p, Drop.ICMP_TRUNCATED);
            return;
        }
        if (!rx.checksumVerified(Ip4Header.PROTO_ICMP) && Checksum.finish(Checksum.add(0, p, hlen, len)) != 0) {
            drop(p, Drop.ICMP_BAD_CHECKSUM);
            return;
        }
        icmp.wrap(p.buf, p.offset() + hlen);
        int type = icmp.type();
        if (type == IcmpHeader.TYPE_ECHO) {
            if (rx.broadcast && !opt.icmpBroadcastEcho) {
                drop(p, Drop.ICMP_BROADCAST_ECHO);
                return;
            }
            // Turn the request into the reply in place: new type, new checksum, fresh IP header.
            icmp.type(IcmpHeader.TYPE_ECHO_REPLY).checksum(0);
            icmp.checksum(Checksum.finish(Checksum.add(0, p, hlen, len)));
            int src = rx.broadcast ? rx.netif.address() : rx.dst;
            int dst = rx.src;
            p.removeHeader(hlen);
            int err = ip4.output(p, src, dst, opt.ipTtl, 0, Ip4Header.PROTO_ICMP);
            if (err == Err.OK) {
                stats.icmp.xmit++;
            }
            PbufPool.free(p);
            return;
        }
        if (type == IcmpHeader.TYPE_ECHO_REPLY) {
            EchoListener l = echoListener;
            if (l != null) {
                l.echoReply(rx.src, icmp.identifier(), icmp.sequence(), len - IcmpHeader.LENGTH, time.now());
            }
            PbufPool.free(p);
            return;
        }
        if (IcmpHeader.isError(type)) {
            // Counted as received; transport layers may learn of them in a later version.
            PbufPool.free(p);
            return;
        }
        drop(p, Drop.ICMP_UNHANDLED);
    }

    /**
     * Sends an echo request of {@code dataLength} bytes (a counting pattern) to {@code dst}.
     *
     * @return {@link Err#OK}, {@link Err#MEM} without buffers, {@link Err#RTE} without a route
     */
    public int sendEcho(int dst, int identifier, int sequence, int dataLength) {
        Pbuf p = ip4.allocTransport(0, IcmpHeader.LENGTH + dataLength);
        if (p == null) {
            stats.drop(Drop.ICMP_NO_BUFFER);
            return Err.MEM;
        }
        icmp.wrap(p.buf, p.offset()).type(IcmpHeader.TYPE_ECHO).code(0).checksum(0)
                .identifier(identifier).sequence(sequence);
        int i = IcmpHeader.LENGTH;
        for (Pbuf q = p; q != null; q = q.next()) {
            int start = q == p ? IcmpHeader.LENGTH : 0;
            for (int j = start; j < q.length(); j++) {
                q.buf[q.offset() + j] = (byte) (i++);
            }
        }
        icmp.checksum(Checksum.finish(Checksum.add(0, p, 0, p.totalLength())));
        int err = ip4.output(p, Ip4Addr.ANY, dst, opt.ipTtl, 0, Ip4Header.PROTO_ICMP);
        if (err == Err.OK) {
            stats.icmp.xmit++;
        }
        PbufPool.free(p);
        return err;
    }

    /**
     * Sends an ICMP error about {@code orig} (a datagram starting at its IP header), carrying its header
     * and first 8 data bytes. Uses {@code orig}. Silently does nothing where RFC 1122 3.2.2 forbids an
     * error; counts a drop when the rate limit or the pool stops it.
     *
     * @param extra the value of the 32-bit word after the checksum (next-hop MTU for "fragmentation
     *              needed", else 0)
     */
    @Override
    public void sendError(Pbuf orig, int type, int code, int extra) {
        if (orig.length() < Ip4Header.MIN_LENGTH) {
            return;
        }
        ip.wrap(orig.buf, orig.offset());
        int hlen = ip.headerLength();
        int src = ip.source();
        int dst = ip.destination();
        if (src == 0 || src == Ip4Addr.BROADCAST || Ip4Addr.isMulticast(src) || Ip4Addr.isMulticast(dst)
                || dst == Ip4Addr.BROADCAST || ip.fragmentOffset() != 0) {
            return;
        }
        Netif back = routes.route(src);
        if (back == null || back.isBroadcast(dst) || routes.isBroadcastAnywhere(dst)) {
            return;
        }
        if (ip.protocol() == Ip4Header.PROTO_ICMP) {
            if (orig.length() < hlen + 1) {
                return;
            }
            int t = orig.buf[orig.offset() + hlen] & 0xff;
            if (IcmpHeader.isError(t) || (t != IcmpHeader.TYPE_ECHO && t != IcmpHeader.TYPE_TIMESTAMP)) {
                return;
            }
        }
        long now = time.now();
        if (now - rateWindowStart >= 1000 || rateWindowStart == Long.MIN_VALUE) {
            rateWindowStart = now;
            rateCount = 0;
        }
        if (rateCount >= opt.icmpErrorsPerSecond) {
            stats.drop(Drop.ICMP_RATE_LIMITED);
            return;
        }
        rateCount++;
        int quoted = hlen + 8;
        if (quoted > orig.totalLength()) {
            quoted = orig.totalLength();
        }
        Pbuf q = ip4.allocTransport(0, IcmpHeader.LENGTH + quoted);
        if (q == null) {
            stats.drop(Drop.ICMP_NO_BUFFER);
            return;
        }
        icmp.wrap(q.buf, q.offset()).type(type).code(code).checksum(0).rest(extra);
        q.copyFrom(orig, 0, IcmpHeader.LENGTH, quoted);
        icmp.checksum(Checksum.finish(Checksum.add(0, q, 0, q.totalLength())));
        int from = routes.isLocal(dst) ? dst : Ip4Addr.ANY;
        if (ip4.output(q, from, src, opt.ipTtl, 0, Ip4Header.PROTO_ICMP) == Err.OK) {
            stats.icmp.xmit++;
        }
        PbufPool.free(q);
    }

    @Override
    public long timers(long now) {
        return StackTime.NO_DEADLINE;
    }

    private void drop(Pbuf p, int reason) {
        stats.drop(reason);
        PbufPool.free(p);
    }
}
