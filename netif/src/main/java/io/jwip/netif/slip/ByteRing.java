package io.jwip.netif.slip;

/**
 * A bounded single-producer single-consumer byte ring: how a reader thread hands received bytes to the
 * stack thread without allocating and without locks. All storage is made in the constructor.
 *
 * <p>Invariants: {@link #tail} is written only by the producer, {@link #head} only by the consumer; both
 * only grow (as long counters, so they never wrap in practice), and {@code 0 <= tail - head <= capacity}.
 * The bytes in {@code [head, tail)} (modulo capacity) belong to the consumer; the rest to the producer.
 * The volatile write of an index publishes the bytes written before it.
 */
public final class ByteRing {
    private final byte[] buf;
    private volatile long head;
    private volatile long tail;

    public ByteRing(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity " + capacity);
        }
        this.buf = new byte[capacity];
    }

    public int capacity() {
        return buf.length;
    }

    /** Bytes waiting for the consumer. */
    public int size() {
        return (int) (tail - head);
    }

    /** Producer: copies up to {@code n} bytes in; returns how many fitted (0 when full). */
    public int put(byte[] b, int off, int n) {
        long t = tail;
        int free = buf.length - (int) (t - head);
        if (n > free) {
            n = free;
        }
        int at = (int) (t % buf.length);
        int first = Math.min(n, buf.length - at);
        System.arraycopy(b, off, buf, at, first);
        System.arraycopy(b, off + first, buf, 0, n - first);
        tail = t + n;
        return n;
    }

    /** Consumer: copies up to {@code n} bytes out; returns how many (0 when empty). */
    public int take(byte[] b, int off, int n) {
        long h = head;
        int avail = (int) (tail - h);
        if (n > avail) {
            n = avail;
        }
        int at = (int) (h % buf.length);
        int first = Math.min(n, buf.length - at);
        System.arraycopy(buf, at, b, off, first);
        System.arraycopy(buf, 0, b, off + first, n - first);
        head = h + n;
        return n;
    }
}
