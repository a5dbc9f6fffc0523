package io.jwip.tcp;

/**
 * Sequence number arithmetic modulo 2^32 (RFC 9293 section 3.4, RFC 1982). Sequence numbers are unsigned
 * 32-bit values carried in an {@code int}; {@code a < b} means {@code b} lies less than 2^31 ahead of
 * {@code a}, so comparisons stay right when a connection's numbers wrap past 2^32. Never compare sequence
 * numbers with the plain operators.
 */
public final class Seq {
    private Seq() {}

    public static boolean lt(int a, int b) { return a - b < 0; }
    public static boolean leq(int a, int b) { return a - b <= 0; }
    public static boolean gt(int a, int b) { return a - b > 0; }
    public static boolean geq(int a, int b) { return a - b >= 0; }

    /** {@code lo <= x <= hi}. */
    public static boolean between(int x, int lo, int hi) {
        return x - lo >= 0 && hi - x >= 0;
    }

    /** {@code lo <= x < hi} (a window of {@code hi - lo} numbers starting at {@code lo}). */
    public static boolean inWindow(int x, int lo, int hi) {
        return x - lo >= 0 && x - hi < 0;
    }

    /** The larger of two sequence numbers. */
    public static int max(int a, int b) { return a - b > 0 ? a : b; }
}
