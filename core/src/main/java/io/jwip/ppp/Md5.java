package io.jwip.ppp;

/**
 * MD5 (RFC 1321), for CHAP's responses (RFC 1994): written here because core has no
 * {@code java.security}. One instance hashes one message at a time into a caller's array; it allocates
 * nothing after construction. MD5 is broken as a general hash; CHAP-MD5 uses it because the protocol says so.
 */
public final class Md5 {
    private static final int[] S = {7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
        5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
        4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
        6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21};
    private static final int[] K = new int[64];

    static {
        for (int i = 0; i < 64; i++) {
            K[i] = (int) (long) Math.floor(Math.abs(Math.sin(i + 1)) * 4294967296.0);
        }
    }

    private final int[] h = new int[4];
    private final byte[] block = new byte[64];
    private final int[] w = new int[16];
    private int fill;
    private long length;

    public Md5 reset() {
        h[0] = 0x67452301;
        h[1] = 0xefcdab89;
        h[2] = 0x98badcfe;
        h[3] = 0x10325476;
        fill = 0;
        length = 0;
        return this;
    }

    public Md5() {
        reset();
    }

    public Md5 update(int b) {
        block[fill++] = (byte) b;
        length++;
        if (fill == 64) {
            compress();
            fill = 0;
        }
        return this;
    }

    public Md5 update(byte[] b, int off, int n) {
        for (int i = 0; i < n; i++) {
            update(b[off + i]);
        }
        return this;
    }

    /** Finishes: the 16-byte digest goes to {@code out} at {@code at}; the instance is reset. */
    public void digest(byte[] out, int at) {
        long bits = length * 8;
        update(0x80);
        while (fill != 56) {
            update(0);
        }
        for (int i = 0; i < 8; i++) {
            update((int) (bits >>> (8 * i)));
        }
        for (int i = 0; i < 4; i++) {
            for (int k = 0; k < 4; k++) {
                out[at + 4 * i + k] = (byte) (h[i] >>> (8 * k));
            }
        }
        reset();
    }

    private void compress() {
        for (int i = 0; i < 16; i++) {
            w[i] = (block[4 * i] & 0xff) | (block[4 * i + 1] & 0xff) << 8 | (block[4 * i + 2] & 0xff) << 16
                    | (block[4 * i + 3] & 0xff) << 24;
        }
        int a = h[0], b = h[1], c = h[2], d = h[3];
        for (int i = 0; i < 64; i++) {
            int f;
            int g;
            if (i < 16) {
                f = (b & c) | (~b & d);
                g = i;
            } else if (i < 32) {
                f = (d & b) | (~d & c);
                g = (5 * i + 1) & 15;
            } else if (i < 48) {
                f = b ^ c ^ d;
                g = (3 * i + 5) & 15;
            } else {
                f = c ^ (b | ~d);
                g = (7 * i) & 15;
            }
            int t = d;
            d = c;
            c = b;
            b = b + Integer.rotateLeft(a + f + K[i] + w[g], S[i]);
            a = t;
        }
        h[0] += a;
        h[1] += b;
        h[2] += c;
        h[3] += d;
    }
}
