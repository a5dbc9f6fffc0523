package io.jwip.wire;

/**
 * Flyweight view of an IPv4 header (RFC 791 section 3.1) over a {@code byte[]} at an offset.
 *
 * <pre>
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |Version|  IHL  |Type of Service|          Total Length         |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |         Identification        |Flags|      Fragment Offset    |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  Time to Live |    Protocol   |         Header Checksum       |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                       Source Address                          |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                    Destination Address                        |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                    Options                    |    Padding    |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * A view holds no packet state of its own beyond the array and offset given to {@link #wrap}; one view
 * per protocol handler is reused for every packet.
 */
public final class Ip4Header {
    public static final int VERSION_IHL = 0;
    public static final int TOS = 1;
    public static final int TOTAL_LENGTH = 2;
    public static final int IDENTIFICATION = 4;
    public static final int FLAGS_FRAGMENT = 6;
    public static final int TTL = 8;
    public static final int PROTOCOL = 9;
    public static final int CHECKSUM = 10;
    public static final int SOURCE = 12;
    public static final int DESTINATION = 16;
    /** Header length without options. */
    public static final int MIN_LENGTH = 20;
    /** Header length with the most options IHL can describe. */
    public static final int MAX_LENGTH = 60;

    /** Flag bits within the 16-bit flags/fragment-offset field. */
    public static final int FLAG_DF = 0x4000;
    public static final int FLAG_MF = 0x2000;
    public static final int OFFSET_MASK = 0x1fff;

    public static final int PROTO_ICMP = 1;
    public static final int PROTO_TCP = 6;
    public static final int PROTO_UDP = 17;

    private byte[] b;
    private int o;

    public Ip4Header wrap(byte[] buffer, int offset) {
        this.b = buffer;
        this.o = offset;
        return this;
    }

    public int version() { return (b[o + VERSION_IHL] & 0xff) >>> 4; }
    /** IHL in 32-bit words. */
    public int ihl() { return b[o + VERSION_IHL] & 0x0f; }
    /** Header length in bytes (IHL * 4). */
    public int headerLength() { return (b[o + VERSION_IHL] & 0x0f) << 2; }
    public int tos() { return b[o + TOS] & 0xff; }
    public int totalLength() { return Bytes.u16(b, o + TOTAL_LENGTH); }
    public int identification() { return Bytes.u16(b, o + IDENTIFICATION); }
    public int flagsFragment() { return Bytes.u16(b, o + FLAGS_FRAGMENT); }
    public boolean dontFragment() { return (flagsFragment() & FLAG_DF) != 0; }
    public boolean moreFragments() { return (flagsFragment() & FLAG_MF) != 0; }
    /** Fragment offset in bytes (the field counts 8-byte units). */
    public int fragmentOffset() { return (flagsFragment() & OFFSET_MASK) << 3; }
    public int ttl() { return b[o + TTL] & 0xff; }
    public int protocol() { return b[o + PROTOCOL] & 0xff; }
    public int checksum() { return Bytes.u16(b, o + CHECKSUM); }
    public int source() { return Bytes.i32(b, o + SOURCE); }
    public int destination() { return Bytes.i32(b, o + DESTINATION); }

    public Ip4Header versionIhl(int version, int headerLength) {
        b[o + VERSION_IHL] = (byte) ((version << 4) | (headerLength >>> 2));
        return this;
    }
    public Ip4Header tos(int v) { b[o + TOS] = (byte) v; return this; }
    public Ip4Header totalLength(int v) { Bytes.put16(b, o + TOTAL_LENGTH, v); return this; }
    public Ip4Header identification(int v) { Bytes.put16(b, o + IDENTIFICATION, v); return this; }
    public Ip4Header flagsFragment(int v) { Bytes.put16(b, o + FLAGS_FRAGMENT, v); return this; }
    public Ip4Header ttl(int v) { b[o + TTL] = (byte) v; return this; }
    public Ip4Header protocol(int v) { b[o + PROTOCOL] = (byte) v; return this; }
    public Ip4Header checksum(int v) { Bytes.put16(b, o + CHECKSUM, v); return this; }
    public Ip4Header source(int v) { Bytes.put32(b, o + SOURCE, v); return this; }
    public Ip4Header destination(int v) { Bytes.put32(b, o + DESTINATION, v); return this; }

    /** Computes the header checksum over {@link #headerLength()} bytes and stores it. */
    public Ip4Header fillChecksum() {
        checksum(0);
        checksum(Checksum.of(b, o, headerLength()));
        return this;
    }

    /** True if the header checksum verifies. */
    public boolean checksumOk() {
        return Checksum.of(b, o, headerLength()) == 0;
    }
}
