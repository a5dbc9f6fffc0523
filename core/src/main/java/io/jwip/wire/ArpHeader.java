package io.jwip.wire;

/**
 * Flyweight view of an ARP packet for IPv4 over Ethernet (RFC 826), the only kind jwip speaks.
 *
 * <pre>
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |    Hardware type (1: Ethernet)  |  Protocol type (0x0800)     |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   | HW len (6)    | Proto len (4) |  Operation (1 request, 2 reply) |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |          Sender hardware address (6 octets)                    |
 *   +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                               | Sender protocol address        |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                                +
 *   |                               |                                |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                                +
 *   |          Target hardware address (6 octets)                    |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |          Target protocol address                               |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * A probe (RFC 5227) is a request whose sender protocol address is 0.0.0.0; a gratuitous ARP (an
 * announcement) is a request whose sender and target protocol addresses are both the sender's own.
 */
public final class ArpHeader {
    public static final int HARDWARE_TYPE = 0;
    public static final int PROTOCOL_TYPE = 2;
    public static final int HARDWARE_LENGTH = 4;
    public static final int PROTOCOL_LENGTH = 5;
    public static final int OPERATION = 6;
    public static final int SENDER_HARDWARE = 8;
    public static final int SENDER_PROTOCOL = 14;
    public static final int TARGET_HARDWARE = 18;
    public static final int TARGET_PROTOCOL = 24;
    public static final int LENGTH = 28;

    public static final int HTYPE_ETHERNET = 1;
    public static final int OP_REQUEST = 1;
    public static final int OP_REPLY = 2;

    private byte[] b;
    private int o;

    public ArpHeader wrap(byte[] buffer, int offset) {
        this.b = buffer;
        this.o = offset;
        return this;
    }

    /** True if this is IPv4 over Ethernet: types 1 and 0x0800, lengths 6 and 4. */
    public boolean isEthernetIpv4() {
        return Bytes.u16(b, o + HARDWARE_TYPE) == HTYPE_ETHERNET
                && Bytes.u16(b, o + PROTOCOL_TYPE) == EthernetHeader.TYPE_IPV4
                && Bytes.u8(b, o + HARDWARE_LENGTH) == 6 && Bytes.u8(b, o + PROTOCOL_LENGTH) == 4;
    }

    public int operation() { return Bytes.u16(b, o + OPERATION); }
    public long senderHardware() { return Mac.get(b, o + SENDER_HARDWARE); }
    public int senderProtocol() { return Bytes.i32(b, o + SENDER_PROTOCOL); }
    public long targetHardware() { return Mac.get(b, o + TARGET_HARDWARE); }
    public int targetProtocol() { return Bytes.i32(b, o + TARGET_PROTOCOL); }

    /** Writes a whole IPv4-over-Ethernet ARP packet. */
    public ArpHeader fill(int op, long sha, int spa, long tha, int tpa) {
        Bytes.put16(b, o + HARDWARE_TYPE, HTYPE_ETHERNET);
        Bytes.put16(b, o + PROTOCOL_TYPE, EthernetHeader.TYPE_IPV4);
        Bytes.put8(b, o + HARDWARE_LENGTH, 6);
        Bytes.put8(b, o + PROTOCOL_LENGTH, 4);
        Bytes.put16(b, o + OPERATION, op);
        Mac.put(b, o + SENDER_HARDWARE, sha);
        Bytes.put32(b, o + SENDER_PROTOCOL, spa);
        Mac.put(b, o + TARGET_HARDWARE, tha);
        Bytes.put32(b, o + TARGET_PROTOCOL, tpa);
        return this;
    }
}
