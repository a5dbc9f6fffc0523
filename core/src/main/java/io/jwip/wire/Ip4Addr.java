package io.jwip.wire;

/**
 * IPv4 addresses as {@code int}s in network order (the first octet is the most significant byte), so that
 * {@code 10.0.0.1} is {@code 0x0a000001}. Conversions to and from dotted text, for tools and traces.
 */
public final class Ip4Addr {
    private Ip4Addr() {}

    public static final int ANY = 0;
    public static final int BROADCAST = 0xffffffff;
    public static final int LOOPBACK = 0x7f000001;

    public static int of(int a, int b, int c, int d) {
        return (a << 24) | (b << 16) | (c << 8) | d;
    }

    /** Parses dotted-quad text; returns {@code fallback} if it is not a valid address. */
    public static int parse(String s, int fallback) {
        int addr = 0;
        int octets = 0;
        int v = -1;
        for (int i = 0; i <= s.length(); i++) {
            char c = i < s.length() ? s.charAt(i) : '.';
            if (c == '.') {
                if (v < 0 || v > 255 || octets == 4) {
                    return fallback;
                }
                addr = (addr << 8) | v;
                octets++;
                v = -1;
            } else if (c >= '0' && c <= '9') {
                v = (v < 0 ? 0 : v * 10) + (c - '0');
                if (v > 255) {
                    return fallback;
                }
            } else {
                return fallback;
            }
        }
        return octets == 4 ? addr : fallback;
    }

    /** True if {@code s} is a valid dotted-quad address. */
    public static boolean isValid(String s) {
        return parse(s, 1) != 1 || parse(s, 2) != 2;
    }

    /** Netmask for a prefix length 0..32. */
    public static int maskOf(int prefix) {
        return prefix <= 0 ? 0 : prefix >= 32 ? 0xffffffff : 0xffffffff << (32 - prefix);
    }

    /** True for a contiguous netmask (ones then zeros), 0.0.0.0 and 255.255.255.255 included. */
    public static boolean isValidMask(int m) {
        int inv = ~m;
        return (inv & (inv + 1)) == 0;
    }

    /** The mask of {@code a}'s class (A /8, B /16, C /24): what a lease without option 1 implies. */
    public static int classfulMask(int a) {
        int top = a >>> 24;
        return top < 128 ? maskOf(8) : top < 192 ? maskOf(16) : maskOf(24);
    }

    public static boolean isMulticast(int a) {
        return (a >>> 28) == 0xe;
    }

    public static boolean isLoopback(int a) {
        return (a >>> 24) == 127;
    }

    /** Appends dotted-quad text to {@code sb} (no allocation beyond the builder's own growth). */
    public static StringBuilder append(StringBuilder sb, int a) {
        return sb.append(a >>> 24).append('.').append((a >>> 16) & 0xff).append('.')
                .append((a >>> 8) & 0xff).append('.').append(a & 0xff);
    }

    public static String toString(int a) {
        return append(new StringBuilder(15), a).toString();
    }
}
