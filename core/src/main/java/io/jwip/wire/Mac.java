package io.jwip.wire;

/**
 * A 48-bit Ethernet (IEEE 802) address held in the low 48 bits of a {@code long}, most significant octet
 * first, so that addresses are compared, stored in tables and passed around without an object.
 */
public final class Mac {
    private Mac() {}

    /** ff:ff:ff:ff:ff:ff. */
    public static final long BROADCAST = 0xffffffffffffL;
    /** 00:00:00:00:00:00 (ARP's "unknown" target hardware address). */
    public static final long NONE = 0;

    /** Reads 6 octets at {@code o}. */
    public static long get(byte[] b, int o) {
        return ((long) Bytes.u16(b, o) << 32) | (Bytes.i32(b, o + 2) & 0xffffffffL);
    }

    /** Writes 6 octets at {@code o}. */
    public static void put(byte[] b, int o, long mac) {
        Bytes.put16(b, o, (int) (mac >>> 32));
        Bytes.put32(b, o + 2, (int) mac);
    }

    /** The group bit (I/G, the first octet's least significant bit): broadcast and multicast. */
    public static boolean isGroup(long mac) {
        return (mac & 0x010000000000L) != 0;
    }

    /** A unicast address a host can own (not group, not zero). */
    public static boolean isUnicast(long mac) {
        return mac != NONE && !isGroup(mac);
    }

    /** Appends {@code mac} as six lower-case hex pairs separated by colons. */
    public static StringBuilder append(StringBuilder sb, long mac) {
        for (int i = 5; i >= 0; i--) {
            int v = (int) (mac >>> (i * 8)) & 0xff;
            sb.append(Character.forDigit(v >>> 4, 16)).append(Character.forDigit(v & 15, 16));
            if (i > 0) {
                sb.append(':');
            }
        }
        return sb;
    }

    public static String toString(long mac) {
        return append(new StringBuilder(17), mac).toString();
    }

    /**
     * Parses {@code aa:bb:cc:dd:ee:ff} (or with '-'); returns -1 if {@code s} is not such an address.
     */
    public static long parse(String s) {
        if (s == null || s.length() != 17) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < 6; i++) {
            int hi = Character.digit(s.charAt(i * 3), 16);
            int lo = Character.digit(s.charAt(i * 3 + 1), 16);
            if (hi < 0 || lo < 0 || i < 5 && s.charAt(i * 3 + 2) != ':' && s.charAt(i * 3 + 2) != '-') {
                return -1;
            }
            v = (v << 8) | (hi << 4) | lo;
        }
        return v;
    }
}
