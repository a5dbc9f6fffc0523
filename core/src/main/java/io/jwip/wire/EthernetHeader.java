package io.jwip.wire;

/**
 * Flyweight view of an Ethernet II (DIX) header, as IPv4 and ARP use it (RFC 894, RFC 826).
 *
 * <pre>
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                 Destination address (6 octets)                |
 *   +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                               |                               |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 *   |                   Source address (6 octets)                   |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |           EtherType           |  payload (46..1500 octets)
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+- ...
 * </pre>
 *
 * The frame check sequence is the hardware's (a TAP device neither gives nor wants it). A frame shorter
 * than 60 octets is padded on the wire; the padding is not part of the IPv4 packet, whose own total length
 * says where it ends. An EtherType below 0x0600 is an 802.3 length, not a type: such frames are not ours.
 */
public final class EthernetHeader {
    public static final int DESTINATION = 0;
    public static final int SOURCE = 6;
    public static final int TYPE = 12;
    public static final int HEADER_LENGTH = 14;
    /** Shortest frame on the wire without the FCS: shorter ones are padded with zeros to this. */
    public static final int MIN_FRAME = 60;

    public static final int TYPE_IPV4 = 0x0800;
    public static final int TYPE_ARP = 0x0806;

    private byte[] b;
    private int o;

    public EthernetHeader wrap(byte[] buffer, int offset) {
        this.b = buffer;
        this.o = offset;
        return this;
    }

    public long destination() { return Mac.get(b, o + DESTINATION); }
    public long source() { return Mac.get(b, o + SOURCE); }
    public int type() { return Bytes.u16(b, o + TYPE); }

    public EthernetHeader destination(long mac) { Mac.put(b, o + DESTINATION, mac); return this; }
    public EthernetHeader source(long mac) { Mac.put(b, o + SOURCE, mac); return this; }
    public EthernetHeader type(int v) { Bytes.put16(b, o + TYPE, v); return this; }
}
