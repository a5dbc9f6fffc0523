package io.jwip.wire;

/**
 * Flyweight view of a DHCP message (RFC 2131 section 2, BOOTP's layout from RFC 951) and its options
 * (RFC 2132), over a UDP payload.
 *
 * <pre>
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +---------------+---------------+---------------+---------------+
 *   |     op (1)    |   htype (1)   |   hlen (1)    |   hops (1)    |
 *   +---------------+---------------+---------------+---------------+
 *   |                            xid (4)                            |
 *   +-------------------------------+-------------------------------+
 *   |           secs (2)            |           flags (2)           |
 *   +-------------------------------+-------------------------------+
 *   |                          ciaddr  (4)                          |
 *   |                          yiaddr  (4)                          |
 *   |                          siaddr  (4)                          |
 *   |                          giaddr  (4)                          |
 *   +---------------------------------------------------------------+
 *   |                          chaddr  (16)                         |
 *   |                          sname   (64)                         |
 *   |                          file    (128)                        |
 *   +---------------------------------------------------------------+
 *   |            magic cookie 99.130.83.99, then options            |
 *   +---------------------------------------------------------------+
 * </pre>
 *
 * Options are code, length, value, ended by option 255; option 0 is one byte of padding. Reading an
 * option ({@link #findOption}) never goes past the bytes given: a length that runs over the end ends
 * the search. Option overload (52: more options in sname and file) is not followed.
 */
public final class DhcpHeader {
    public static final int OP = 0;
    public static final int HTYPE = 1;
    public static final int HLEN = 2;
    public static final int HOPS = 3;
    public static final int XID = 4;
    public static final int SECS = 8;
    public static final int FLAGS = 10;
    public static final int CIADDR = 12;
    public static final int YIADDR = 16;
    public static final int SIADDR = 20;
    public static final int GIADDR = 24;
    public static final int CHADDR = 28;
    public static final int SNAME = 44;
    public static final int FILE = 108;
    public static final int COOKIE = 236;
    public static final int OPTIONS = 240;
    /** The smallest message BOOTP relays and old servers accept (RFC 1542): pad to it. */
    public static final int MIN_LENGTH = 300;
    public static final int MAGIC = 0x63825363;

    public static final int OP_REQUEST = 1;
    public static final int OP_REPLY = 2;
    public static final int FLAG_BROADCAST = 0x8000;

    public static final int SERVER_PORT = 67;
    public static final int CLIENT_PORT = 68;

    // options (RFC 2132)
    public static final int OPT_PAD = 0;
    public static final int OPT_SUBNET_MASK = 1;
    public static final int OPT_ROUTER = 3;
    public static final int OPT_DNS = 6;
    public static final int OPT_HOSTNAME = 12;
    public static final int OPT_REQUESTED_IP = 50;
    public static final int OPT_LEASE_TIME = 51;
    public static final int OPT_MESSAGE_TYPE = 53;
    public static final int OPT_SERVER_ID = 54;
    public static final int OPT_PARAMETERS = 55;
    public static final int OPT_MESSAGE = 56;
    public static final int OPT_MAX_SIZE = 57;
    public static final int OPT_T1 = 58;
    public static final int OPT_T2 = 59;
    public static final int OPT_CLIENT_ID = 61;
    public static final int OPT_END = 255;

    // message types (option 53)
    public static final int DISCOVER = 1;
    public static final int OFFER = 2;
    public static final int REQUEST = 3;
    public static final int DECLINE = 4;
    public static final int ACK = 5;
    public static final int NAK = 6;
    public static final int RELEASE = 7;
    public static final int INFORM = 8;

    private byte[] b;
    private int o;
    private int len;

    /** Wraps {@code len} bytes at {@code offset}. */
    public DhcpHeader wrap(byte[] buffer, int offset, int len) {
        this.b = buffer;
        this.o = offset;
        this.len = len;
        return this;
    }

    /** Long enough for the fixed part and the cookie, and the cookie is right. */
    public boolean valid() {
        return len >= OPTIONS && Bytes.i32(b, o + COOKIE) == MAGIC;
    }

    public int op() { return Bytes.u8(b, o + OP); }
    public int htype() { return Bytes.u8(b, o + HTYPE); }
    public int hlen() { return Bytes.u8(b, o + HLEN); }
    public int xid() { return Bytes.i32(b, o + XID); }
    public int yiaddr() { return Bytes.i32(b, o + YIADDR); }
    public int siaddr() { return Bytes.i32(b, o + SIADDR); }
    public long chaddrMac() { return Mac.get(b, o + CHADDR); }

    /**
     * Offset (from the message start) of the value of the first option {@code code}, with its length in
     * {@link #optionLength()}; or -1 if it is absent or malformed.
     */
    public int findOption(int code) {
        int i = OPTIONS;
        while (i < len) {
            int c = Bytes.u8(b, o + i);
            if (c == OPT_END) {
                return -1;
            }
            if (c == OPT_PAD) {
                i++;
                continue;
            }
            if (i + 1 >= len) {
                return -1;
            }
            int l = Bytes.u8(b, o + i + 1);
            if (i + 2 + l > len) {
                return -1;
            }
            if (c == code) {
                optLen = l;
                return i + 2;
            }
            i += 2 + l;
        }
        return -1;
    }

    private int optLen;

    /** Length of the option {@link #findOption} found last. */
    public int optionLength() {
        return optLen;
    }

    /** The value of a 1-byte option, or -1. */
    public int option8(int code) {
        int at = findOption(code);
        return at < 0 || optLen < 1 ? -1 : Bytes.u8(b, o + at);
    }

    /** The value of a 4-byte option (an address or a time), or {@code dflt}. */
    public long option32(int code, long dflt) {
        int at = findOption(code);
        return at < 0 || optLen < 4 ? dflt : Bytes.i32(b, o + at) & 0xffffffffL;
    }

    /** The {@code index}-th address of a list option (routers, DNS servers), or 0. */
    public int optionAddress(int code, int index) {
        int at = findOption(code);
        return at < 0 || optLen < 4 * (index + 1) ? 0 : Bytes.i32(b, o + at + 4 * index);
    }

    /** The byte at {@code i} of the message. */
    public int u8(int i) {
        return Bytes.u8(b, o + i);
    }

    // ---------------------------------------------------------------- writing

    /** Clears {@code n} bytes and writes the fixed part of a client's message; options follow at {@link #OPTIONS}. */
    public DhcpHeader request(int xid, int secs, boolean broadcast, int ciaddr, long mac, int n) {
        for (int i = 0; i < n; i++) {
            b[o + i] = 0;
        }
        Bytes.put8(b, o + OP, OP_REQUEST);
        Bytes.put8(b, o + HTYPE, 1);
        Bytes.put8(b, o + HLEN, 6);
        Bytes.put32(b, o + XID, xid);
        Bytes.put16(b, o + SECS, secs);
        Bytes.put16(b, o + FLAGS, broadcast ? FLAG_BROADCAST : 0);
        Bytes.put32(b, o + CIADDR, ciaddr);
        Mac.put(b, o + CHADDR, mac);
        Bytes.put32(b, o + COOKIE, MAGIC);
        return this;
    }

    /** Writes option {@code code} with a 1-byte value at {@code at}; returns the next offset. */
    public int put8(int at, int code, int v) {
        Bytes.put8(b, o + at, code);
        Bytes.put8(b, o + at + 1, 1);
        Bytes.put8(b, o + at + 2, v);
        return at + 3;
    }

    /** Writes a 2-byte option; returns the next offset. */
    public int put16(int at, int code, int v) {
        Bytes.put8(b, o + at, code);
        Bytes.put8(b, o + at + 1, 2);
        Bytes.put16(b, o + at + 2, v);
        return at + 4;
    }

    /** Writes a 4-byte option; returns the next offset. */
    public int put32(int at, int code, int v) {
        Bytes.put8(b, o + at, code);
        Bytes.put8(b, o + at + 1, 4);
        Bytes.put32(b, o + at + 2, v);
        return at + 6;
    }

    /** Writes an option with {@code n} bytes from {@code src}; returns the next offset. */
    public int putBytes(int at, int code, byte[] src, int n) {
        Bytes.put8(b, o + at, code);
        Bytes.put8(b, o + at + 1, n);
        System.arraycopy(src, 0, b, o + at + 2, n);
        return at + 2 + n;
    }

    /** Writes the client identifier (type 1, Ethernet, then the MAC: RFC 2132 9.14); returns the next offset. */
    public int putClientId(int at, long mac) {
        Bytes.put8(b, o + at, OPT_CLIENT_ID);
        Bytes.put8(b, o + at + 1, 7);
        Bytes.put8(b, o + at + 2, 1);
        Mac.put(b, o + at + 3, mac);
        return at + 9;
    }

    /** Writes option 255; returns the next offset. */
    public int end(int at) {
        Bytes.put8(b, o + at, OPT_END);
        return at + 1;
    }
}
