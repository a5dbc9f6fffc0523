package io.jwip.wire;

import io.jwip.buf.Pbuf;

/**
 * The Internet checksum (RFC 1071): the 16-bit one's complement of the one's complement sum.
 *
 * <p>Partial sums are carried in a {@code long} so that no folding is needed until the end; a sum over a
 * pbuf chain handles buffers of odd length by swapping byte lanes, as RFC 1071 section 2(B) allows.
 */
public final class Checksum {
    private Checksum() {}

    /**
     * The port's faster byte summing, or null for the portable loop. Set once at start-up; every engine
     * computes the same sums, so the stacks of a JVM may share it.
     */
    private static ChecksumEngine engine;

    /** Installs a port's faster byte summing ({@code null}: back to the portable loop). */
    public static void setEngine(ChecksumEngine e) {
        engine = e;
    }

    /** The installed engine, or null. */
    public static ChecksumEngine engine() {
        return engine;
    }

    /** Adds {@code len} bytes of {@code b} from {@code off} to a partial sum (big-endian 16-bit words). */
    public static long add(long sum, byte[] b, int off, int len) {
        ChecksumEngine e = engine;
        if (e != null && len >= 64) {
            return e.add(sum, b, off, len);
        }
        return addBytes(sum, b, off, len);
    }

    /** The portable byte loop behind {@link #add(long, byte[], int, int)} (and the engines' reference). */
    public static long addBytes(long sum, byte[] b, int off, int len) {
        int end = off + len - 1;
        int i = off;
        for (; i < end; i += 2) {
            sum += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
        }
        if (i == end) {
            sum += (b[i] & 0xff) << 8;
        }
        return sum;
    }

    /** Adds {@code len} bytes of a packet, starting at packet offset {@code from}, to a partial sum. */
    public static long add(long sum, Pbuf p, int from, int len) {
        boolean swapped = false;
        long s = 0;
        for (Pbuf q = p; q != null && len > 0; q = q.next()) {
            if (from >= q.length()) {
                from -= q.length();
                continue;
            }
            int c = q.length() - from;
            if (c > len) {
                c = len;
            }
            long part = add(0, q.buf, q.offset() + from, c);
            part = fold(part);
            s += swapped ? swap16(part) : part;
            if ((c & 1) != 0) {
                swapped = !swapped;
            }
            len -= c;
            from = 0;
        }
        return sum + s;
    }

    /** Adds the IPv4 pseudo-header used by UDP and TCP (RFC 768, RFC 9293 section 3.1). */
    public static long addPseudoHeader(long sum, int src, int dst, int proto, int length) {
        sum += (src >>> 16) + (src & 0xffff);
        sum += (dst >>> 16) + (dst & 0xffff);
        sum += proto;
        sum += length;
        return sum;
    }

    /** Folds a partial sum to 16 bits (not complemented). */
    public static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) sum;
    }

    /** The final checksum: the complement of the folded sum. */
    public static int finish(long sum) {
        return ~fold(sum) & 0xffff;
    }

    /** Checksum of a byte range. */
    public static int of(byte[] b, int off, int len) {
        return finish(add(0, b, off, len));
    }

    private static long swap16(long v) {
        return ((v & 0xff) << 8) | ((v >>> 8) & 0xff);
    }
}
