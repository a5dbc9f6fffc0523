package io.jwip.udp;

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
import io.jwip.mem.Pool;
import io.jwip.netif.Netif;
import io.jwip.stats.Drop;
import io.jwip.stats.Stats;
import io.jwip.wire.Checksum;
import io.jwip.wire.IcmpHeader;
import io.jwip.wire.Ip4Addr;
import io.jwip.wire.Ip4Header;
import io.jwip.wire.UdpHeader;

/**
 * UDP (RFC 768) with lwIP's raw API: control blocks from a pool, bind / connect / send, and a receive
 * callback that is handed the buffer without a copy.
 *
 * <p>Demultiplexing prefers, in order: a connected pcb matching the whole 4-tuple, a pcb bound to the
 * destination address, a pcb bound to any address. A datagram for no pcb is answered with ICMP port
 * unreachable (unless it was broadcast) and counted.
 */
public final class Udp implements IpProtocol {
    private final Ip4 ip4;
    private final Routes routes;
    private final IpErrors errors;
    private final JwipOptions opt;
    private final Stats stats;
    private final Pool pool;
    private final UdpHeader udp = new UdpHeader();
    private UdpPcb bound;
    private int nextPort;

    public Udp(JwipOptions opt, Stats stats, Ip4 ip, IpErrors errors) {
        this.ip4 = ip;
        this.routes = ip.routes();
        this.errors = errors;
        this.opt = opt;
        this.stats = stats;
        this.pool = new Pool("UDP_PCB", 0);
        for (int i = 0; i < opt.udpPcbs; i++) {
            pool.add(new UdpPcb());
        }
        stats.addPool(pool);
        nextPort = opt.ephemeralPortMin;
    }

    /** A fresh pcb, or null when the {@code UDP_PCB} pool is empty (counted). */
    public UdpPcb newPcb() {
        UdpPcb pcb = (UdpPcb) pool.take();
        if (pcb != null) {
            pcb.localAddr = 0;
            pcb.localPort = 0;
            pcb.remoteAddr = 0;
            pcb.remotePort = 0;
            pcb.connected = false;
            pcb.bound = false;
            pcb.ttl = opt.ipTtl;
            pcb.tos = 0;
            pcb.recv = null;
            pcb.arg = null;
            pcb.next = null;
        }
        return pcb;
    }

    /**
     * Binds to a local address (0 = any) and port (0 = an ephemeral port).
     *
     * @return {@link Err#OK}, {@link Err#USE} if taken, {@link Err#VAL} for a bad argument
     */
    public int bind(UdpPcb pcb, int addr, int port) {
        if (port < 0 || port > 65535) {
            return Err.VAL;
        }
        if (port == 0) {
            port = ephemeralPort();
            if (port == 0) {
                return Err.USE;
            }
        } else {
            for (UdpPcb q = bound; q != null; q = q.next) {
                if (q != pcb && q.localPort == port && (q.localAddr == 0 || addr == 0 || q.localAddr == addr)) {
                    return Err.USE;
                }
            }
        }
        pcb.localAddr = addr;
        pcb.localPort = port;
        if (!pcb.bound) {
            pcb.bound = true;
            pcb.next = bound;
            bound = pcb;
        }
        return Err.OK;
    }

    /** Sets the remote end (binding to an ephemeral port first if needed). */
    public int connect(UdpPcb pcb, int addr, int port) {
        if (port <= 0 || port > 65535) {
            return Err.VAL;
        }
        if (!pcb.bound) {
            int err = bind(pcb, 0, 0);
            if (err != Err.OK) {
                return err;
            }
        }
        pcb.remoteAddr = addr;
        pcb.remotePort = port;
        pcb.connected = true;
        return Err.OK;
    }

    /** Forgets the remote end. */
    public void disconnect(UdpPcb pcb) {
        pcb.connected = false;
        pcb.remoteAddr = 0;
        pcb.remotePort = 0;
    }

    /** Unbinds and returns the pcb to its pool. */
    public void remove(UdpPcb pcb) {
        if (pcb.bound) {
            if (bound == pcb) {
                bound = pcb.next;
            } else {
                for (UdpPcb q = bound; q != null; q = q.next) {
                    if (q.next == pcb) {
                        q.next = pcb.next;
                        break;
                    }
                }
            }
            pcb.bound = false;
        }
        pcb.next = null;
        pcb.recv = null;
        pcb.arg = null;
        pool.give(pcb);
    }

    /** Sends {@code p} to the connected remote end. Uses {@code p}. */
    public int send(UdpPcb pcb, Pbuf p) {
        if (!pcb.connected) {
            return Err.CONN;
        }
        return sendTo(pcb, p, pcb.remoteAddr, pcb.remotePort);
    }

    /**
     * Sends {@code p} (the payload; best with {@code Ip4.allocTransport(8, n)}'s headroom) as one datagram.
     * Uses {@code p}: on return it is as given.
     */
    public int sendTo(UdpPcb pcb, Pbuf p, int dst, int dstPort) {
        if (dstPort <= 0 || dstPort > 65535) {
            return Err.VAL;
        }
        if (p.totalLength() > 65535 - UdpHeader.HEADER_LENGTH - Ip4Header.MIN_LENGTH) {
            return Err.VAL;
        }
        if (!pcb.bound) {
            int err = bind(pcb, 0, 0);
            if (err != Err.OK) {
                return err;
            }
        }
        Netif n = routes.route(dst);
        if (n == null) {
            stats.drop(Drop.IP_NO_ROUTE);
            return Err.RTE;
        }
        int src = pcb.localAddr;
        if (src == 0) {
            src = routes.source(dst, n);
        }
        return send(pcb, p, dst, dstPort, n, src);
    }

    /**
     * Sends {@code p} on netif {@code n} from source address {@code src}, whatever the routes say: what a
     * DHCP client needs before it has an address (from 0.0.0.0 to 255.255.255.255 on its own netif). Uses
     * {@code p}.
     */
    public int sendToIf(UdpPcb pcb, Pbuf p, int dst, int dstPort, Netif n, int src) {
        if (dstPort <= 0 || dstPort > 65535) {
            return Err.VAL;
        }
        if (p.totalLength() > 65535 - UdpHeader.HEADER_LENGTH - Ip4Header.MIN_LENGTH) {
            return Err.VAL;
        }
        if (!pcb.bound) {
            int err = bind(pcb, 0, 0);
            if (err != Err.OK) {
                return err;
            }
        }
        return send(pcb, p, dst, dstPort, n, src);
    }

    private int send(UdpPcb pcb, Pbuf p, int dst, int dstPort, Netif n, int src) {
        Pbuf q;
        boolean own = p.addHeader(UdpHeader.HEADER_LENGTH);
        if (own) {
            q = p;
        } else {
            q = ip4.allocTransport(UdpHeader.HEADER_LENGTH, 0); // a header buffer in front of the caller's chain
            if (q != null && !q.addHeader(UdpHeader.HEADER_LENGTH)) {
                PbufPool.free(q);
                q = null;
            }
            if (q == null) {
                stats.drop(Drop.IP_NO_BUFFER);
                return Err.MEM;
            }
            p.ref();
            q.cat(p);
        }
        int len = q.totalLength();
        udp.wrap(q.buf, q.offset()).sourcePort(pcb.localPort).destinationPort(dstPort).length(len).checksum(0);
        int err = ip4.outputTransportIf(q, src, dst, pcb.ttl, pcb.tos, Ip4Header.PROTO_UDP, n);
        if (err == Err.OK) {
            stats.udp.xmit++;
        }
        if (own) {
            p.removeHeader(UdpHeader.HEADER_LENGTH);
        } else {
            PbufPool.free(q);
        }
        return err;
    }

    /** Takes {@code p}, a UDP datagram starting at its IP header {@code rx}. */
    @Override
    public void input(Pbuf p, IpRx rx) {
        stats.udp.recv++;
        int hlen = rx.headerLength;
        int ipLen = p.totalLength() - hlen;
        if (ipLen < UdpHeader.HEADER_LENGTH || p.length() < hlen + UdpHeader.HEADER_LENGTH) {
            drop(p, Drop.UDP_TRUNCATED);
            return;
        }
        udp.wrap(p.buf, p.offset() + hlen);
        int len = udp.length();
        if (len < UdpHeader.HEADER_LENGTH || len > ipLen) {
            drop(p, Drop.UDP_BAD_LENGTH);
            return;
        }
        if (len < ipLen) {
            p.truncate(hlen + len);
        }
        if (udp.checksum() != 0 && !rx.checksumVerified(Ip4Header.PROTO_UDP)) {
            long sum = Checksum.addPseudoHeader(0, rx.src, rx.dst, Ip4Header.PROTO_UDP, len);
            if (Checksum.finish(Checksum.add(sum, p, hlen, len)) != 0) {
                drop(p, Drop.UDP_BAD_CHECKSUM);
                return;
            }
        }
        int sport = udp.sourcePort();
        int dport = udp.destinationPort();
        UdpPcb match = null;
        int best = 0;
        for (UdpPcb q = bound; q != null; q = q.next) {
            if (q.localPort != dport) {
                continue;
            }
            boolean addrOk = q.localAddr == 0 || q.localAddr == rx.dst
                    || (rx.broadcast && q.localAddr == rx.netif.address());
            if (!addrOk) {
                continue;
            }
            int score;
            if (q.connected) {
                if (q.remotePort != sport || (q.remoteAddr != 0 && q.remoteAddr != rx.src)) {
                    continue;
                }
                score = 3;
            } else {
                score = q.localAddr != 0 ? 2 : 1;
            }
            if (score > best) {
                best = score;
                match = q;
            }
        }
        if (match == null) {
            if (!rx.broadcast) {
                errors.sendError(p, IcmpHeader.TYPE_DEST_UNREACHABLE, IcmpHeader.CODE_PORT_UNREACHABLE, 0);
            }
            drop(p, Drop.UDP_NO_PORT);
            return;
        }
        p.removeHeader(hlen + UdpHeader.HEADER_LENGTH);
        UdpRecv cb = match.recv;
        if (cb == null) {
            drop(p, Drop.UDP_NO_PORT);
            return;
        }
        cb.recv(match, p, rx.src, sport);
    }

    @Override
    public long timers(long now) {
        return StackTime.NO_DEADLINE;
    }

    private int ephemeralPort() {
        int range = opt.ephemeralPortMax - opt.ephemeralPortMin + 1;
        for (int tries = 0; tries < range; tries++) {
            int port = nextPort;
            nextPort = port == opt.ephemeralPortMax ? opt.ephemeralPortMin : port + 1;
            boolean used = false;
            for (UdpPcb q = bound; q != null; q = q.next) {
                if (q.localPort == port) {
                    used = true;
                    break;
                }
            }
            if (!used) {
                return port;
            }
        }
        return 0;
    }

    private void drop(Pbuf p, int reason) {
        stats.drop(reason);
        PbufPool.free(p);
    }
}
