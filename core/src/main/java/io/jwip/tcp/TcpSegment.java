package io.jwip.tcp;

import io.jwip.buf.Pbuf;
import io.jwip.ip.IpRx;
import io.jwip.stats.Drop;
import io.jwip.wire.Bytes;
import io.jwip.wire.Checksum;
import io.jwip.wire.Ip4Addr;
import io.jwip.wire.Ip4Header;
import io.jwip.wire.TcpFlags;
import io.jwip.wire.TcpHeader;

/**
 * A received segment, parsed and validated once ({@link #parse}): its addresses, ports, sequence and
 * acknowledgment numbers, control bits, window, data length and the options that matter (MSS and window
 * scale on a SYN, timestamps on any). Input hands this value down instead of re-reading the header; what
 * processing changes about it has a method saying why ({@link #skipSyn}, {@link #dropText}). One instance
 * per stack, reused for every segment.
 */
final class TcpSegment {
    int src;
    int dst;
    int sport;
    int dport;
    int seq;
    int ack;
    int flags;
    /** The window field as received (not scaled). */
    int wnd;
    /** Data bytes (SYN and FIN not counted). */
    int len;
    /** MSS option of a SYN, or -1. */
    int mss;
    /** Window scale shift of a SYN, or -1 when it had no such option. */
    int ws;
    /** The segment had a timestamps option: its TSval and TSecr. */
    boolean ts;
    int tsVal;
    int tsEcr;

    private final TcpHeader th = new TcpHeader();

    /**
     * Checks and parses the TCP header that follows the IP header {@code rx} in {@code p}: length, broadcast
     * destination, data offset, checksum. On success {@code p} starts at the data.
     *
     * @return -1 if the segment is valid, else the drop reason (the caller frees {@code p})
     */
    int parse(Pbuf p, IpRx rx) {
        int hlen = rx.headerLength;
        int tcpLen = p.totalLength() - hlen;
        if (tcpLen < TcpHeader.MIN_LENGTH || p.length() < hlen + TcpHeader.MIN_LENGTH) {
            return Drop.TCP_TRUNCATED;
        }
        if (rx.broadcast || Ip4Addr.isMulticast(rx.dst)) {
            return Drop.TCP_BROADCAST;
        }
        th.wrap(p.buf, p.offset() + hlen);
        int thl = th.headerLength();
        if (thl < TcpHeader.MIN_LENGTH || thl > tcpLen || p.length() < hlen + thl) {
            return Drop.TCP_BAD_OFFSET;
        }
        if (!rx.checksumVerified(Ip4Header.PROTO_TCP)) {
            long sum = Checksum.addPseudoHeader(0, rx.src, rx.dst, Ip4Header.PROTO_TCP, tcpLen);
            if (Checksum.finish(Checksum.add(sum, p, hlen, tcpLen)) != 0) {
                return Drop.TCP_BAD_CHECKSUM;
            }
        }
        src = rx.src;
        dst = rx.dst;
        sport = th.sourcePort();
        dport = th.destinationPort();
        seq = th.seq();
        ack = th.ack();
        flags = th.flags();
        wnd = th.window();
        len = tcpLen - thl;
        if ((flags & TcpFlags.SYN) != 0) {
            mss = th.mssOption();
            ws = th.wsOption();
        } else {
            mss = -1;
            ws = -1;
        }
        ts = false;
        if (thl > TcpHeader.MIN_LENGTH) {
            int at = th.tsOffset();
            if (at >= 0) {
                ts = true;
                tsVal = Bytes.i32(p.buf, at);
                tsEcr = Bytes.i32(p.buf, at + 4);
            }
        }
        p.removeHeader(hlen + thl);
        return -1;
    }

    boolean has(int flag) {
        return (flags & flag) != 0;
    }

    /** Sequence space the segment occupies: data plus SYN and FIN. */
    int seqLen() {
        return len + (has(TcpFlags.SYN) ? 1 : 0) + (has(TcpFlags.FIN) ? 1 : 0);
    }

    /**
     * The peer's SYN,ACK in a simultaneous open repeats a SYN we have: the rest of the segment is processed
     * as if it began just after it.
     */
    void skipSyn() {
        flags &= ~TcpFlags.SYN;
        seq++;
    }

    /** With a zero receive window only the ACK of a segment is taken: its text and FIN are not. */
    void dropText() {
        len = 0;
        flags &= ~TcpFlags.FIN;
    }
}
