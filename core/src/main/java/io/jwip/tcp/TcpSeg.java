package io.jwip.tcp;

import io.jwip.wire.TcpFlags;

import io.jwip.buf.Pbuf;
import io.jwip.mem.PoolEntry;

/**
 * A TCP segment descriptor from the {@code TCP_SEG} pool (lwIP's {@code tcp_seg}): one entry of a
 * connection's unsent, unacknowledged or out-of-order queue.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>In the send queues (unsent, unacked) {@link #p} starts at the TCP header, which is {@link #hdrLen}
 *       bytes long and whose ports, sequence number, flags and options are filled when the segment is made;
 *       acknowledgment, window and checksum are filled at each (re)transmission. The segment owns one
 *       reference to {@code p}; a link that still holds the packet has its own.</li>
 *   <li>In the out-of-order queue {@code p} holds data only ({@code hdrLen == 0}) and may be null for a
 *       lone FIN.</li>
 *   <li>{@link #seq} is the sequence number of the first octet (the SYN if {@link #flags} has SYN);
 *       the segment occupies {@link #len} data octets plus one for each of SYN and FIN.</li>
 * </ul>
 */
public final class TcpSeg extends PoolEntry {
    /** The packet (see class comment), owned by this descriptor. */
    Pbuf p;
    /** Sequence number of the first octet. */
    int seq;
    /** Data octets (not counting SYN or FIN). */
    int len;
    /** SYN and FIN bits this segment carries ({@code TcpFlags.SYN | TcpFlags.FIN}). */
    int flags;
    /** Bytes of TCP header at the front of {@link #p} (0 in the out-of-order queue). */
    int hdrLen;
    /** Offset in the header of the 12 bytes kept for the timestamps option, or 0 when there are none. */
    int tsAt;
    /** Next segment in the same queue. */
    TcpSeg next;

    /** Sequence space this segment occupies: data plus SYN and FIN. */
    int seqLen() {
        return len + ((flags & 0x02) != 0 ? 1 : 0) + ((flags & 0x01) != 0 ? 1 : 0);
    }

    /** Sequence number just past this segment. */
    int end() {
        return seq + seqLen();
    }
}
