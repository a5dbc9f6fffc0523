package io.jwip.examples.services;

import io.jwip.stack.Stack;
import io.jwip.stats.Stats;
import io.jwip.tcp.Tcp;
import io.jwip.tcp.TcpState;

/**
 * A fixed ring of samples for the status page's charts: every {@code intervalMs} of the stack's clock, the
 * number of entries in use of each pool and the number of TCP connections in each state.
 *
 * <p>Everything is allocated in the constructor: {@link #sample()} writes into the ring and allocates
 * nothing, so a server that keeps its charts costs nothing per packet and nothing per sample. Each sample
 * has a sequence number that only grows; a page and {@code /status.json} that show the same sequence number
 * show the same values.
 */
public final class StatusSamples {
    /** Default time between samples: 5 s, and 120 of them make the last 10 minutes. */
    public static final long INTERVAL_MS = 5_000;
    public static final int CAPACITY = 120;

    private final Stack stack;
    private final Stats stats;
    private final long intervalMs;
    private final int capacity;
    private final int pools;
    /** Columns per sample: each pool's use, then the TCP state counts (TcpState order). */
    private final int width;
    /** Sample {@code seq} lives in row {@code seq % capacity}: {@code values[row * width + column]}. */
    private final int[] values;
    private final long[] times;
    /** Sequence number the next sample gets; samples [next - size, next) are in the ring. */
    private long next;
    private long due;

    public StatusSamples(Stack stack, long intervalMs, int capacity) {
        if (intervalMs <= 0 || capacity <= 0) {
            throw new IllegalArgumentException("interval and capacity must be positive");
        }
        this.stack = stack;
        this.stats = stack.stats();
        this.intervalMs = intervalMs;
        this.capacity = capacity;
        this.pools = stats.poolCount();
        this.width = pools + TcpState.COUNT;
        this.values = new int[capacity * width];
        this.times = new long[capacity];
        this.due = stack.now();
    }

    /** Takes a sample if one is due on the stack's clock (the caller calls it after every loop turn). */
    public void poll() {
        long now = stack.now();
        if (now >= due) {
            sample();
            // The next one is a whole interval later even if the loop slept past several.
            due = now + intervalMs;
        }
    }

    /** When the next sample is due (stack clock): the loop wakes for it. */
    public long nextDeadline() {
        return due;
    }

    /** Takes a sample now; allocates nothing. */
    public void sample() {
        int row = (int) (next % capacity) * width;
        times[(int) (next % capacity)] = stack.now();
        for (int i = 0; i < pools; i++) {
            values[row + i] = stats.pool(i).used();
        }
        Tcp tcp = Tcp.of(stack);
        for (int s = 0; s < TcpState.COUNT; s++) {
            values[row + pools + s] = tcp == null ? 0 : tcp.stats().count(s);
        }
        next++;
    }

    public long intervalMs() { return intervalMs; }

    public int capacity() { return capacity; }

    /** Number of pools sampled (columns 0 .. pools-1; column names are the stack's pool names). */
    public int pools() { return pools; }

    /** Sequence number of the oldest sample kept. */
    public long first() {
        return Math.max(0, next - capacity);
    }

    /** Sequence number the next sample will get (the newest kept is {@code next() - 1}). */
    public long next() {
        return next;
    }

    /** Stack time of sample {@code seq} (one that is kept). */
    public long time(long seq) {
        return times[(int) (seq % capacity)];
    }

    /** In-use entries of pool {@code i} at sample {@code seq}. */
    public int poolUsed(long seq, int i) {
        return values[(int) (seq % capacity) * width + i];
    }

    /** Connections in TCP state {@code state} at sample {@code seq}. */
    public int tcpCount(long seq, int state) {
        return values[(int) (seq % capacity) * width + pools + state];
    }
}
