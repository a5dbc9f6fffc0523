package io.jwip.netif.tun;

import com.sun.jna.Memory;
import io.jwip.buf.Pbuf;
import io.jwip.netif.LinkUpper;
import io.jwip.netif.Netif;
import io.jwip.stats.Drop;
import io.jwip.wire.Bytes;
import io.jwip.wire.Checksum;
import io.jwip.wire.Ip4Header;

/**
 * Segmentation and checksum offload for a TUN device opened with {@code IFF_VNET_HDR} and
 * {@code TUNSETOFFLOAD(TUN_F_CSUM | TUN_F_TSO4)}: every packet on the descriptor starts with a
 * {@code struct virtio_net_hdr} (10 bytes, host byte order):
 *
 * <pre>
 *   0      1          2          4          6            8             10
 *   +------+----------+----------+----------+------------+-------------+
 *   |flags | gso_type | hdr_len  | gso_size | csum_start | csum_offset |
 *   +------+----------+----------+----------+------------+-------------+
 * </pre>
 *
 * <h2>Receive: split</h2>
 * The kernel's TCP sends the device super-packets of up to 64 KB ({@code gso_type} TCPV4, {@code gso_size}
 * the MSS), one read instead of forty. {@link #deliver} cuts each into MSS-sized segments with headers of
 * their own (IPv4 total length, identification and header checksum, TCP sequence number; FIN and PSH on
 * the last only, CWR on the first only), exactly as the kernel would have sent them, so jwip's TCP sees
 * ordinary segments. Their TCP checksum is partial ({@code NEEDS_CSUM}: the kernel made them here) or
 * already checked ({@code DATA_VALID}): they are handed over as verified.
 *
 * <h2>Transmit: coalesce</h2>
 * {@link #output} gathers consecutive data segments of one connection that the stack sends in one turn
 * (same headers but for the sequence number and PSH, contiguous, all but the last of one MSS) into one
 * super-packet in the transmit buffer; {@link #flush} writes it with {@code gso_type} TCPV4, and the kernel
 * cuts it up again. Every TCP and UDP packet leaves with {@code NEEDS_CSUM} and the pseudo-header sum in
 * its checksum field: the kernel fills the checksum (so the netif tells the stack to leave TCP's and UDP's
 * at 0). A pure ACK is held too, and replaced by a later ACK of the same connection in the same turn that
 * acknowledges more (the kernel's TCP takes such stretch ACKs as it takes those of a receiver with GRO);
 * an ACK that acknowledges no more (a duplicate, which signals a loss) is never folded. Anything else (ICMP,
 * SYN, FIN, RST) flushes what is gathered and goes out alone.
 *
 * <p>Allocation-free: native buffers and a header scratch array made once.
 */
final class TunOffload {
    static final int HDR = 10;
    static final int F_NEEDS_CSUM = 1;
    static final int F_DATA_VALID = 2;
    static final int GSO_NONE = 0;
    static final int GSO_TCPV4 = 1;
    static final int GSO_ECN = 0x80;
    /** Largest IPv4 datagram. */
    static final int MAX_IP = 65535;

    private static final int TCP_FIN = 0x01;
    private static final int TCP_SYN = 0x02;
    private static final int TCP_RST = 0x04;
    private static final int TCP_PSH = 0x08;
    private static final int TCP_ACK = 0x10;
    private static final int TCP_URG = 0x20;
    private static final int TCP_CWR = 0x80;
    /** Header bytes a packet's IPv4 and TCP headers may take (60 + 60). */
    private static final int MAX_HEADERS = 120;

    private final int fd;
    private final Memory rx;
    private final Memory tx;
    /** The head packet's headers (IPv4 + TCP) of the batch being gathered; the next packet's, for a look. */
    private final byte[] head = new byte[MAX_HEADERS];
    private final byte[] look = new byte[MAX_HEADERS];

    // the batch in tx: [vnet hdr][head's IPv4 + TCP headers][payload of every segment gathered]
    private int batchBytes;
    private int batchIhl;
    private int batchThl;
    private int batchMss;
    private int batchSegments;
    private int batchNextSeq;
    private int batchFlags;
    private boolean batchClosed;
    /** The batch is one pure ACK, which a later ACK of the same connection that acknowledges more replaces. */
    private boolean batchAck;
    private int batchAckNumber;

    long superIn;
    long segmentsIn;
    long superOut;
    long segmentsOut;
    long unsupported;
    long acksReplaced;

    TunOffload(int fd) {
        this.fd = fd;
        this.rx = new Memory(HDR + MAX_IP);
        this.tx = new Memory(HDR + MAX_IP);
    }

    Memory rx() {
        return rx;
    }

    // ================================================================ receive

    /**
     * Hands the packet of {@code n} bytes read into {@link #rx} (virtio header first) to {@code upper},
     * split into segments if the kernel sent a super-packet.
     *
     * @return the packets delivered (0 if dropped; counted)
     */
    int deliver(int n, LinkUpper upper) {
        int len = n - HDR;
        if (len < Ip4Header.MIN_LENGTH || (rx.getByte(HDR) & 0xf0) != 0x40) {
            upper.drop(Drop.LINK_NOT_IP);
            return 0;
        }
        int flags = rx.getByte(0) & 0xff;
        int gso = rx.getByte(1) & 0xff;
        int mss = rx.getShort(4) & 0xffff;
        int verified = (flags & (F_NEEDS_CSUM | F_DATA_VALID)) != 0 ? Netif.CSUM_TCP | Netif.CSUM_UDP : 0;
        if (gso == GSO_NONE) {
            return copyWhole(len, upper, verified) ? 1 : 0;
        }
        int ihl = (rx.getByte(HDR) & 0x0f) * 4;
        if ((gso & ~GSO_ECN) != GSO_TCPV4 || (rx.getByte(HDR + 9) & 0xff) != Ip4Header.PROTO_TCP
                || ihl < Ip4Header.MIN_LENGTH || len < ihl + 20 || mss == 0) {
            unsupported++;
            upper.drop(Drop.LINK_OFFLOAD_UNSUPPORTED);
            return 0;
        }
        int thl = ((rx.getByte(HDR + ihl + 12) & 0xff) >>> 4) * 4;
        int hdr = ihl + thl;
        if (thl < 20 || hdr > len) {
            unsupported++;
            upper.drop(Drop.LINK_OFFLOAD_UNSUPPORTED);
            return 0;
        }
        int payload = len - hdr;
        if (payload <= mss) {
            return copyWhole(len, upper, verified) ? 1 : 0;
        }
        superIn++;
        int delivered = 0;
        for (int off = 0; off < payload; off += mss) {
            int seg = Math.min(mss, payload - off);
            if (!segment(hdr, off, seg, ihl, delivered, off + seg >= payload, upper, verified)) {
                break;
            }
            delivered++;
        }
        segmentsIn += delivered;
        return delivered;
    }

    /** The packet as it is ({@code len} bytes after the virtio header). */
    private boolean copyWhole(int len, LinkUpper upper, int verified) {
        Pbuf p = upper.allocInput(len);
        if (p == null) {
            return false; // counted by allocInput
        }
        fromNative(rx, HDR, p, 0, len);
        upper.input(p, verified);
        return true;
    }

    /**
     * Segment {@code index} of a super-packet: its headers ({@code hdr} bytes), then {@code seg} payload
     * bytes from payload offset {@code off}, the headers made right for it (its IPv4 header checksum is made
     * again; its TCP checksum stays as the kernel left it, partial or checked, and is handed over as verified).
     */
    private boolean segment(int hdr, int off, int seg, int ihl, int index, boolean last, LinkUpper upper, int verified) {
        Pbuf p = upper.allocInput(hdr + seg);
        if (p == null) {
            return false;
        }
        fromNative(rx, HDR, p, 0, hdr);
        fromNative(rx, HDR + hdr + off, p, hdr, seg);
        // The headers sit in the first buffer (every pool buffer holds at least 128 bytes).
        byte[] b = p.buf;
        int o = p.offset();
        Bytes.put16(b, o + 2, hdr + seg);
        Bytes.put16(b, o + 4, (Bytes.u16(b, o + 4) + index) & 0xffff);
        Bytes.put16(b, o + 10, 0);
        Bytes.put16(b, o + 10, Checksum.of(b, o, ihl));
        Bytes.put32(b, o + ihl + 4, Bytes.i32(b, o + ihl + 4) + off);
        int f = b[o + ihl + 13] & 0xff;
        if (!last) {
            f &= ~(TCP_FIN | TCP_PSH);
        }
        if (index > 0) {
            f &= ~TCP_CWR;
        }
        b[o + ihl + 13] = (byte) f;
        upper.input(p, verified);
        return true;
    }

    private static void fromNative(Memory m, long at, Pbuf p, int poff, int n) {
        Pbuf q = p;
        while (q != null && poff >= q.length()) {
            poff -= q.length();
            q = q.next();
        }
        while (n > 0 && q != null) {
            int k = Math.min(n, q.length() - poff);
            m.read(at, q.buf, q.offset() + poff, k);
            at += k;
            n -= k;
            poff = 0;
            q = q.next();
        }
    }

    private static void toNative(Pbuf p, int poff, Memory m, long at, int n) {
        Pbuf q = p;
        while (q != null && poff >= q.length()) {
            poff -= q.length();
            q = q.next();
        }
        while (n > 0 && q != null) {
            int k = Math.min(n, q.length() - poff);
            m.write(at, q.buf, q.offset() + poff, k);
            at += k;
            n -= k;
            poff = 0;
            q = q.next();
        }
    }

    // ================================================================ transmit

    /**
     * Gathers or sends {@code p} (an IPv4 packet of at most the MTU). Uses {@code p}.
     *
     * @return 0 if sent or gathered, else the errno of a failed write (EAGAIN: the kernel's queue is full)
     */
    int output(Pbuf p) {
        int n = p.totalLength();
        int h = p.copyOut(0, look, 0, Math.min(n, MAX_HEADERS));
        int ihl = (look[0] & 0x0f) * 4;
        boolean tcp = h >= Ip4Header.MIN_LENGTH && (look[9] & 0xff) == Ip4Header.PROTO_TCP && ihl + 20 <= h;
        int thl = tcp ? ((look[ihl + 12] & 0xff) >>> 4) * 4 : 0;
        tcp = tcp && thl >= 20 && ihl + thl <= h;
        int payload = tcp ? n - ihl - thl : 0;
        int flags = tcp ? look[ihl + 13] & 0xff : 0;
        boolean pureAck = tcp && payload == 0 && (flags & ~TCP_PSH) == TCP_ACK;
        if (pureAck && batchBytes > 0 && batchAck && sameConnection(ihl)
                && Bytes.i32(look, ihl + 8) - batchAckNumber > 0) {
            // A later cumulative ACK makes the one held redundant: this one goes instead.
            System.arraycopy(look, 0, head, 0, ihl + thl);
            toNative(p, 0, tx, HDR, n);
            batchBytes = n;
            batchAckNumber = Bytes.i32(look, ihl + 8);
            acksReplaced++;
            return 0;
        }
        if (batchBytes > 0 && tcp && !batchAck && mergeable(ihl, thl, payload, flags)) {
            toNative(p, ihl + thl, tx, HDR + batchBytes, payload);
            batchBytes += payload;
            batchSegments++;
            batchNextSeq += payload;
            batchFlags |= flags & TCP_PSH;
            if (payload < batchMss) {
                batchClosed = true; // a short segment ends the batch: all but the last are of one size
            }
            return 0;
        }
        int err = flush();
        if (tcp && payload > 0 && (flags & (TCP_SYN | TCP_FIN | TCP_RST | TCP_URG)) == 0) {
            System.arraycopy(look, 0, head, 0, ihl + thl);
            toNative(p, 0, tx, HDR, n);
            batchBytes = n;
            batchIhl = ihl;
            batchThl = thl;
            batchMss = payload;
            batchSegments = 1;
            batchNextSeq = Bytes.i32(look, ihl + 4) + payload;
            batchFlags = flags;
            batchClosed = false;
            batchAck = false;
            return err;
        }
        if (pureAck) {
            System.arraycopy(look, 0, head, 0, ihl + thl);
            toNative(p, 0, tx, HDR, n);
            batchBytes = n;
            batchIhl = ihl;
            batchThl = thl;
            batchSegments = 1;
            batchFlags = flags;
            batchAck = true;
            batchAckNumber = Bytes.i32(look, ihl + 8);
            return err;
        }
        toNative(p, 0, tx, HDR, n);
        int e = writeOne(n, look, ihl);
        return err != 0 ? err : e;
    }

    /** True if the packet in {@link #look} belongs to the connection of the batch (addresses and ports). */
    private boolean sameConnection(int ihl) {
        if (ihl != batchIhl) {
            return false;
        }
        for (int i = 12; i < 20; i++) {
            if (look[i] != head[i]) {
                return false;
            }
        }
        for (int i = ihl; i < ihl + 4; i++) {
            if (look[i] != head[i]) {
                return false;
            }
        }
        return true;
    }

    /** True if a TCP segment with these headers (in {@link #look}) continues the batch. */
    private boolean mergeable(int ihl, int thl, int payload, int flags) {
        if (batchClosed || ihl != batchIhl || thl != batchThl || payload <= 0 || payload > batchMss
                || batchBytes + payload > MAX_IP || (flags & (TCP_SYN | TCP_FIN | TCP_RST | TCP_URG)) != 0
                || Bytes.i32(look, ihl + 4) != batchNextSeq) {
            return false;
        }
        // IPv4: TOS, flags/fragment, TTL, protocol, addresses and options alike (length, id, checksum may differ).
        if (look[1] != head[1] || look[6] != head[6] || look[7] != head[7] || look[8] != head[8] || look[9] != head[9]) {
            return false;
        }
        for (int i = 12; i < ihl; i++) {
            if (look[i] != head[i]) {
                return false;
            }
        }
        // TCP: everything but the sequence number, PSH and the checksum.
        for (int i = ihl; i < ihl + thl; i++) {
            int k = i - ihl;
            if (k >= 4 && k < 8 || k == 16 || k == 17) {
                continue;
            }
            int a = look[i];
            int b = head[i];
            if (k == 13) {
                a &= ~TCP_PSH;
                b &= ~TCP_PSH;
            }
            if (a != b) {
                return false;
            }
        }
        return true;
    }

    /** Writes what is gathered, as one super-packet if it holds more than one segment. Returns 0 or errno. */
    int flush() {
        if (batchBytes == 0) {
            return 0;
        }
        int n = batchBytes;
        int ihl = batchIhl;
        batchBytes = 0;
        Bytes.put16(head, 2, n);
        head[ihl + 13] = (byte) ((head[ihl + 13] & ~TCP_PSH) | (batchFlags & TCP_PSH));
        int segments = batchSegments;
        if (segments > 1) {
            superOut++;
            segmentsOut += segments;
        }
        return write(n, head, ihl, batchThl, segments > 1 ? batchMss : 0);
    }

    /** Writes a packet already in {@code tx} (after the virtio header) whose headers are in {@code hdr}. */
    private int writeOne(int n, byte[] hdr, int ihl) {
        int proto = hdr[9] & 0xff;
        int thl = proto == Ip4Header.PROTO_TCP ? ((hdr[ihl + 12] & 0xff) >>> 4) * 4 : 0;
        return write(n, hdr, ihl, thl, 0);
    }

    /**
     * Fills the virtio header (and, for TCP and UDP, the pseudo-header sum the kernel completes), rewrites
     * the IPv4 header from {@code hdr}, writes {@code HDR + n} bytes.
     *
     * @param gsoMss segment size of a super-packet, 0 for a single packet
     */
    private int write(int n, byte[] hdr, int ihl, int thl, int gsoMss) {
        int proto = hdr[9] & 0xff;
        int csumOffset = proto == Ip4Header.PROTO_TCP && thl > 0 ? 16 : proto == Ip4Header.PROTO_UDP ? 6 : -1;
        tx.clear(HDR);
        if (csumOffset >= 0 && n >= ihl + csumOffset + 2) {
            int src = Bytes.i32(hdr, 12);
            int dst = Bytes.i32(hdr, 16);
            int sum = Checksum.fold(Checksum.addPseudoHeader(0, src, dst, proto, n - ihl));
            tx.setByte(0, (byte) F_NEEDS_CSUM);
            tx.setShort(6, (short) ihl);
            tx.setShort(8, (short) csumOffset);
            tx.setByte(HDR + ihl + csumOffset, (byte) (sum >>> 8));
            tx.setByte(HDR + ihl + csumOffset + 1, (byte) sum);
        }
        if (gsoMss > 0) {
            tx.setByte(1, (byte) GSO_TCPV4);
            tx.setShort(2, (short) (ihl + thl));
            tx.setShort(4, (short) gsoMss);
            // The head's headers with the new total length and flags; its IPv4 checksum made again.
            Bytes.put16(hdr, 10, 0);
            Bytes.put16(hdr, 10, Checksum.of(hdr, 0, ihl));
            tx.write(HDR, hdr, 0, ihl);
            tx.setByte(HDR + ihl + 13, hdr[ihl + 13]);
        }
        long w;
        do {
            w = LibC.write(fd, tx, HDR + n);
        } while (w < 0 && com.sun.jna.Native.getLastError() == LibC.EINTR);
        if (w != HDR + n) {
            return w < 0 ? com.sun.jna.Native.getLastError() : LibC.EIO;
        }
        return 0;
    }
}
