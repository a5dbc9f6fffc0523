package io.jwip.wire;

/**
 * Flyweight view of a DNS message (RFC 1035 4.1) over a byte array, and the name handling a stub
 * resolver needs: writing a query's name, and reading names with compression pointers (4.1.4) under
 * strict bounds.
 *
 * <pre>
 *    0  1  2  3  4  5  6  7  8  9 10 11 12 13 14 15
 *   +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *   |                      ID                       |
 *   +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *   |QR|   Opcode  |AA|TC|RD|RA|   Z    |   RCODE   |
 *   +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *   |                    QDCOUNT                    |
 *   |                    ANCOUNT                    |
 *   |                    NSCOUNT                    |
 *   |                    ARCOUNT                    |
 *   +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *   question: QNAME, QTYPE (2), QCLASS (2); then resource records:
 *   NAME, TYPE (2), CLASS (2), TTL (4), RDLENGTH (2), RDATA
 * </pre>
 *
 * A name read from a message ({@link #readName}) follows at most {@link #MAX_POINTERS} pointers, each of
 * which must point backwards (so a loop cannot be built), every label must lie inside the message, and the
 * whole name is at most 255 bytes: anything else is malformed. Names are copied in wire form (length-
 * prefixed labels, ending with the root's 0) and lower-cased, so two names compare as bytes.
 */
public final class DnsHeader {
    public static final int ID = 0;
    public static final int FLAGS = 2;
    public static final int QDCOUNT = 4;
    public static final int ANCOUNT = 6;
    public static final int NSCOUNT = 8;
    public static final int ARCOUNT = 10;
    public static final int HEADER_LENGTH = 12;

    public static final int FLAG_QR = 0x8000;
    public static final int FLAG_TC = 0x0200;
    public static final int FLAG_RD = 0x0100;
    public static final int OPCODE_MASK = 0x7800;
    public static final int RCODE_MASK = 0x000f;
    public static final int RCODE_NXDOMAIN = 3;

    public static final int TYPE_A = 1;
    public static final int TYPE_CNAME = 5;
    public static final int CLASS_IN = 1;
    public static final int PORT = 53;

    /** Longest name in wire form (RFC 1035 2.3.4). */
    public static final int MAX_NAME = 255;
    /** Compression pointers followed in one name at most. */
    public static final int MAX_POINTERS = 16;

    private byte[] b;
    private int o;
    private int len;
    /** Bytes the last {@link #readName} took at its position (2 for a name that starts with a pointer). */
    private int consumed;

    public DnsHeader wrap(byte[] buffer, int offset, int len) {
        this.b = buffer;
        this.o = offset;
        this.len = len;
        return this;
    }

    public int id() { return Bytes.u16(b, o + ID); }
    public int flags() { return Bytes.u16(b, o + FLAGS); }
    public int qdcount() { return Bytes.u16(b, o + QDCOUNT); }
    public int ancount() { return Bytes.u16(b, o + ANCOUNT); }

    /** Writes a recursive query header for one question. */
    public DnsHeader query(int id) {
        Bytes.put16(b, o + ID, id);
        Bytes.put16(b, o + FLAGS, FLAG_RD);
        Bytes.put16(b, o + QDCOUNT, 1);
        Bytes.put16(b, o + ANCOUNT, 0);
        Bytes.put16(b, o + NSCOUNT, 0);
        Bytes.put16(b, o + ARCOUNT, 0);
        return this;
    }

    /**
     * Encodes the dotted {@code name} ("device.test", a trailing dot allowed) in wire form, lower-cased,
     * into {@code out} at {@code at}.
     *
     * @return bytes written, or -1 if it is not a valid name (empty label, label over 63, name over 255)
     */
    public static int encodeName(CharSequence name, byte[] out, int at) {
        int n = name.length();
        if (n > 0 && name.charAt(n - 1) == '.') {
            n--;
        }
        if (n == 0 || n > 253) {
            return -1;
        }
        int lenAt = at;
        int w = at + 1;
        int label = 0;
        for (int i = 0; i < n; i++) {
            char c = name.charAt(i);
            if (c == '.') {
                if (label == 0) {
                    return -1;
                }
                out[lenAt] = (byte) label;
                lenAt = w++;
                label = 0;
                continue;
            }
            if (c <= ' ' || c > '~' || ++label > 63) {
                return -1;
            }
            out[w++] = (byte) (c >= 'A' && c <= 'Z' ? c + 32 : c);
        }
        if (label == 0) {
            return -1;
        }
        out[lenAt] = (byte) label;
        out[w++] = 0;
        return w - at;
    }

    /**
     * Reads the name at message offset {@code at} into {@code out} (wire form, lower-cased).
     *
     * @return the name's length in {@code out}, or -1 if it is malformed; {@link #consumed()} tells how many
     *         bytes it took at {@code at}
     */
    public int readName(int at, byte[] out) {
        int w = 0;
        int pointers = 0;
        int pos = at;
        int end = -1;
        int lowest = at;
        while (true) {
            if (pos >= len) {
                return -1;
            }
            int l = Bytes.u8(b, o + pos);
            if ((l & 0xc0) == 0xc0) {
                if (pos + 1 >= len || ++pointers > MAX_POINTERS) {
                    return -1;
                }
                int target = ((l & 0x3f) << 8) | Bytes.u8(b, o + pos + 1);
                if (end < 0) {
                    end = pos + 2;
                }
                if (target >= lowest) {
                    return -1; // pointers go backwards only: no loops
                }
                lowest = target;
                pos = target;
                continue;
            }
            if ((l & 0xc0) != 0) {
                return -1; // the extended label types (RFC 6891) are not names
            }
            if (w + 1 + l > MAX_NAME || pos + 1 + l > len) {
                return -1;
            }
            out[w++] = (byte) l;
            if (l == 0) {
                consumed = (end < 0 ? pos + 1 : end) - at;
                return w;
            }
            for (int i = 0; i < l; i++) {
                int c = Bytes.u8(b, o + pos + 1 + i);
                out[w++] = (byte) (c >= 'A' && c <= 'Z' ? c + 32 : c);
            }
            pos += 1 + l;
        }
    }

    /** See {@link #readName}. */
    public int consumed() {
        return consumed;
    }

    /** Appends a wire-form name as dotted text. */
    public static StringBuilder appendName(StringBuilder sb, byte[] name, int len) {
        int i = 0;
        while (i < len && name[i] != 0) {
            if (i > 0) {
                sb.append('.');
            }
            int l = name[i] & 0xff;
            for (int k = 1; k <= l && i + k < len; k++) {
                sb.append((char) (name[i + k] & 0xff));
            }
            i += 1 + l;
        }
        return sb;
    }

    /** True if the wire-form names {@code a} and {@code b} (lengths given) are equal. */
    public static boolean sameName(byte[] a, int alen, byte[] b2, int blen) {
        if (alen != blen) {
            return false;
        }
        for (int i = 0; i < alen; i++) {
            if (a[i] != b2[i]) {
                return false;
            }
        }
        return true;
    }
}
