package io.jwip.wire;

/**
 * Flyweight view of a TCP header (RFC 9293 section 3.1) over a {@code byte[]} at an offset.
 *
 * <pre>
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |          Source Port          |       Destination Port        |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                        Sequence Number                        |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                    Acknowledgment Number                      |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  Data |       |C|E|U|A|P|R|S|F|                               |
 *   | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             |
 *   |       |       |R|E|G|K|H|T|N|N|                               |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |           Checksum            |         Urgent Pointer        |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                           [Options]                           |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                             data ...
 * </pre>
 *
 * Sequence and acknowledgment numbers are unsigned 32-bit values carried in an {@code int}; compare them
 * only with {@code io.jwip.tcp.Seq}. The data offset counts 32-bit words (5..15). The only option this
 * stack sends or reads is MSS (kind 2, length 4, RFC 9293 section 3.2); others are skipped.
 */
public final class TcpHeader {
    public static final int SOURCE_PORT = 0;
    public static final int DESTINATION_PORT = 2;
    public static final int SEQ = 4;
    public static final int ACK = 8;
    public static final int DATA_OFFSET = 12;
    public static final int FLAGS = 13;
    public static final int WINDOW = 14;
    public static final int CHECKSUM = 16;
    public static final int URGENT = 18;
    public static final int OPTIONS = 20;
    /** Header length without options. */
    public static final int MIN_LENGTH = 20;
    /** Header length with the most options the data offset can describe. */
    public static final int MAX_LENGTH = 60;

    public static final int OPT_END = 0;
    public static final int OPT_NOP = 1;
    public static final int OPT_MSS = 2;
    /** Length of the MSS option. */
    public static final int OPT_MSS_LENGTH = 4;
    /** Window scale option (RFC 7323 section 2.2): kind 3, length 3, shift count. */
    public static final int OPT_WS = 3;
    public static final int OPT_WS_LENGTH = 3;
    /** Timestamps option (RFC 7323 section 3): kind 8, length 10, TSval, TSecr. */
    public static final int OPT_TS = 8;
    public static final int OPT_TS_LENGTH = 10;
    /** A timestamps option with its two leading NOPs, as written here: 12 bytes. */
    public static final int OPT_TS_SPACE = 12;

    private byte[] b;
    private int o;

    public TcpHeader wrap(byte[] buffer, int offset) {
        this.b = buffer;
        this.o = offset;
        return this;
    }

    public int sourcePort() { return Bytes.u16(b, o + SOURCE_PORT); }
    public int destinationPort() { return Bytes.u16(b, o + DESTINATION_PORT); }
    public int seq() { return Bytes.i32(b, o + SEQ); }
    public int ack() { return Bytes.i32(b, o + ACK); }
    /** Header length in bytes (data offset * 4). */
    public int headerLength() { return ((b[o + DATA_OFFSET] & 0xff) >>> 4) << 2; }
    public int flags() { return b[o + FLAGS] & 0xff; }
    public int window() { return Bytes.u16(b, o + WINDOW); }
    public int checksum() { return Bytes.u16(b, o + CHECKSUM); }
    public int urgent() { return Bytes.u16(b, o + URGENT); }

    public TcpHeader sourcePort(int v) { Bytes.put16(b, o + SOURCE_PORT, v); return this; }
    public TcpHeader destinationPort(int v) { Bytes.put16(b, o + DESTINATION_PORT, v); return this; }
    public TcpHeader seq(int v) { Bytes.put32(b, o + SEQ, v); return this; }
    public TcpHeader ack(int v) { Bytes.put32(b, o + ACK, v); return this; }
    /** Sets the data offset from a header length in bytes (a multiple of 4). */
    public TcpHeader headerLength(int bytes) { b[o + DATA_OFFSET] = (byte) ((bytes >>> 2) << 4); return this; }
    public TcpHeader flags(int v) { b[o + FLAGS] = (byte) v; return this; }
    public TcpHeader window(int v) { Bytes.put16(b, o + WINDOW, v); return this; }
    public TcpHeader checksum(int v) { Bytes.put16(b, o + CHECKSUM, v); return this; }
    public TcpHeader urgent(int v) { Bytes.put16(b, o + URGENT, v); return this; }

    /** Writes an MSS option at the start of the options area (the header must be 24 bytes). */
    public TcpHeader mssOption(int mss) {
        b[o + OPTIONS] = (byte) OPT_MSS;
        b[o + OPTIONS + 1] = (byte) OPT_MSS_LENGTH;
        Bytes.put16(b, o + OPTIONS + 2, mss);
        return this;
    }

    /**
     * The MSS option's value, or -1 if there is none or the options are malformed. Only call with a header
     * whose full length lies inside the array.
     */
    public int mssOption() {
        return option(OPT_MSS, OPT_MSS_LENGTH, 2);
    }

    /**
     * Writes a window scale option preceded by a NOP (4 bytes) at {@code at} bytes into the header (after the
     * MSS option: 24).
     */
    public TcpHeader wsOption(int at, int shift) {
        b[o + at] = (byte) OPT_NOP;
        b[o + at + 1] = (byte) OPT_WS;
        b[o + at + 2] = (byte) OPT_WS_LENGTH;
        b[o + at + 3] = (byte) shift;
        return this;
    }

    /**
     * Writes NOP, NOP and a timestamps option (12 bytes) at {@code at} bytes into the header.
     */
    public TcpHeader tsOption(int at, int tsVal, int tsEcr) {
        b[o + at] = (byte) OPT_NOP;
        b[o + at + 1] = (byte) OPT_NOP;
        b[o + at + 2] = (byte) OPT_TS;
        b[o + at + 3] = (byte) OPT_TS_LENGTH;
        Bytes.put32(b, o + at + 4, tsVal);
        Bytes.put32(b, o + at + 8, tsEcr);
        return this;
    }

    /** Fills {@code n} bytes of options at {@code at} with NOPs (room kept for an option not sent). */
    public TcpHeader nops(int at, int n) {
        for (int i = 0; i < n; i++) {
            b[o + at + i] = (byte) OPT_NOP;
        }
        return this;
    }

    /**
     * Where the timestamps option's TSval lies (index into the array; TSecr follows 4 bytes later), or -1
     * if there is none or the options are malformed.
     */
    public int tsOffset() {
        return findOption(OPT_TS, OPT_TS_LENGTH);
    }

    /**
     * The window scale option's shift count, or -1 if there is none or the options are malformed. Only
     * call with a header whose full length lies inside the array.
     */
    public int wsOption() {
        return option(OPT_WS, OPT_WS_LENGTH, 1);
    }

    /** Value of the option {@code kind} of length {@code len}: {@code n} bytes (1 or 2) after its length. */
    private int option(int kind, int len, int n) {
        int at = findOption(kind, len);
        if (at < 0) {
            return -1;
        }
        return n == 1 ? b[at] & 0xff : Bytes.u16(b, at);
    }

    /**
     * Index in the array of the value of option {@code kind} with length {@code len}, or -1 if it is
     * absent or the options are malformed (a length below 2 or running past the header ends the walk).
     */
    private int findOption(int kind, int len) {
        int end = o + headerLength();
        int i = o + OPTIONS;
        while (i < end) {
            int k = b[i] & 0xff;
            if (k == OPT_END) {
                return -1;
            }
            if (k == OPT_NOP) {
                i++;
                continue;
            }
            if (i + 1 >= end) {
                return -1;
            }
            int l = b[i + 1] & 0xff;
            if (l < 2 || i + l > end) {
                return -1;
            }
            if (k == kind && l == len) {
                return i + 2;
            }
            i += l;
        }
        return -1;
    }
}
