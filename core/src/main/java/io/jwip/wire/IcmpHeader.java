package io.jwip.wire;

/**
 * Flyweight view of an ICMP message header (RFC 792).
 *
 * <pre>
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |     Type      |     Code      |          Checksum             |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |           Identifier          |        Sequence Number        |   (echo, echo reply)
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                             unused                            |   (errors: then the
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+    original IP header
 *                                                                        + 64 bits of data)
 * </pre>
 */
public final class IcmpHeader {
    public static final int TYPE = 0;
    public static final int CODE = 1;
    public static final int CHECKSUM = 2;
    public static final int IDENTIFIER = 4;
    public static final int SEQUENCE = 6;
    /** Length of the fixed part of every message this stack sends or parses. */
    public static final int LENGTH = 8;

    public static final int TYPE_ECHO_REPLY = 0;
    public static final int TYPE_DEST_UNREACHABLE = 3;
    public static final int TYPE_SOURCE_QUENCH = 4;
    public static final int TYPE_REDIRECT = 5;
    public static final int TYPE_ECHO = 8;
    public static final int TYPE_TIME_EXCEEDED = 11;
    public static final int TYPE_PARAMETER_PROBLEM = 12;
    public static final int TYPE_TIMESTAMP = 13;
    public static final int TYPE_TIMESTAMP_REPLY = 14;

    public static final int CODE_NET_UNREACHABLE = 0;
    public static final int CODE_HOST_UNREACHABLE = 1;
    public static final int CODE_PROTOCOL_UNREACHABLE = 2;
    public static final int CODE_PORT_UNREACHABLE = 3;
    public static final int CODE_FRAG_NEEDED = 4;
    public static final int CODE_TTL_EXCEEDED = 0;
    public static final int CODE_REASSEMBLY_EXCEEDED = 1;

    private byte[] b;
    private int o;

    public IcmpHeader wrap(byte[] buffer, int offset) {
        this.b = buffer;
        this.o = offset;
        return this;
    }

    public int type() { return b[o + TYPE] & 0xff; }
    public int code() { return b[o + CODE] & 0xff; }
    public int checksum() { return Bytes.u16(b, o + CHECKSUM); }
    public int identifier() { return Bytes.u16(b, o + IDENTIFIER); }
    public int sequence() { return Bytes.u16(b, o + SEQUENCE); }

    public IcmpHeader type(int v) { b[o + TYPE] = (byte) v; return this; }
    public IcmpHeader code(int v) { b[o + CODE] = (byte) v; return this; }
    public IcmpHeader checksum(int v) { Bytes.put16(b, o + CHECKSUM, v); return this; }
    public IcmpHeader identifier(int v) { Bytes.put16(b, o + IDENTIFIER, v); return this; }
    public IcmpHeader sequence(int v) { Bytes.put16(b, o + SEQUENCE, v); return this; }
    /** Sets the 32-bit "rest of header" word (unused in errors, id+seq in echo). */
    public IcmpHeader rest(int v) { Bytes.put32(b, o + IDENTIFIER, v); return this; }

    /** True for the types that report an error (RFC 1122 3.2.2: never answer these with an error). */
    public static boolean isError(int type) {
        return type == TYPE_DEST_UNREACHABLE || type == TYPE_SOURCE_QUENCH || type == TYPE_REDIRECT
                || type == TYPE_TIME_EXCEEDED || type == TYPE_PARAMETER_PROBLEM;
    }
}
