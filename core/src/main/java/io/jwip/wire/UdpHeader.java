package io.jwip.wire;

/**
 * Flyweight view of a UDP header (RFC 768).
 *
 * <pre>
 *    0      7 8     15 16    23 24    31
 *   +--------+--------+--------+--------+
 *   |     Source      |   Destination   |
 *   |      Port       |      Port       |
 *   +--------+--------+--------+--------+
 *   |                 |                 |
 *   |     Length      |    Checksum     |
 *   +--------+--------+--------+--------+
 *   |          data octets ...
 *   +---------------- ...
 * </pre>
 *
 * Length counts header and data. A transmitted checksum of zero means "none computed" (accepted on input,
 * RFC 768); a computed checksum of zero is sent as 0xffff.
 */
public final class UdpHeader {
    public static final int SOURCE_PORT = 0;
    public static final int DESTINATION_PORT = 2;
    public static final int LENGTH = 4;
    public static final int CHECKSUM = 6;
    public static final int HEADER_LENGTH = 8;

    private byte[] b;
    private int o;

    public UdpHeader wrap(byte[] buffer, int offset) {
        this.b = buffer;
        this.o = offset;
        return this;
    }

    public int sourcePort() { return Bytes.u16(b, o + SOURCE_PORT); }
    public int destinationPort() { return Bytes.u16(b, o + DESTINATION_PORT); }
    public int length() { return Bytes.u16(b, o + LENGTH); }
    public int checksum() { return Bytes.u16(b, o + CHECKSUM); }

    public UdpHeader sourcePort(int v) { Bytes.put16(b, o + SOURCE_PORT, v); return this; }
    public UdpHeader destinationPort(int v) { Bytes.put16(b, o + DESTINATION_PORT, v); return this; }
    public UdpHeader length(int v) { Bytes.put16(b, o + LENGTH, v); return this; }
    public UdpHeader checksum(int v) { Bytes.put16(b, o + CHECKSUM, v); return this; }
}
