package io.jwip.tests;

import java.lang.management.ManagementFactory;

/**
 * Measures heap bytes allocated by the current thread, with HotSpot's per-thread allocation counter
 * ({@link com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes()}), which counts every TLAB and
 * outside-TLAB allocation of the thread exactly, independent of GC.
 *
 * <p>Run with {@code -XX:-DoEscapeAnalysis} (the parent pom's argLine does): escape analysis would let
 * the JIT remove allocations a small JVM makes, and hide them from this count.
 *
 * <p>The measuring code itself allocates nothing: the counter is read by a native call with no boxing,
 * the loop is over an {@code int}, and the op is a {@link Runnable} made before measuring. Whatever the
 * two counter reads still cost is measured on an empty op and subtracted.
 *
 * <h2>JIT transients</h2>
 * When HotSpot queues a C2 compilation of a method, the Java thread that tripped the invocation counter
 * first resolves every String constant of that method's class ({@code CompileBroker::compile_method}
 * calls {@code resolve_string_constants} for C2), so the measured thread is charged once for interning
 * them: String + byte[] pairs of 60..320 bytes in all, at iterations that are multiples of 256 (the
 * counters' notification points), sometimes after 50,000 echo exchanges. Seen with C2 only, never with
 * {@code -Xint} or {@code -XX:TieredStopAtLevel=1}; the strings are the messages of exceptions that are
 * never thrown. That is a one-off cost of the JVM per class, not of a packet. {@link #measureSteady}
 * therefore warms up until several batches in a row allocate nothing, and measures up to
 * {@code attempts} windows of {@code iterations} ops, returning the first clean one. A real per-packet
 * allocation shows in every window and so still fails the test.
 */
public final class Alloc {
    private static final com.sun.management.ThreadMXBean MX;
    private static final Runnable NOTHING = new Runnable() {
        @Override
        public void run() {
        }
    };

    static {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        if (!(bean instanceof com.sun.management.ThreadMXBean)) {
            throw new IllegalStateException("this JVM has no com.sun.management.ThreadMXBean: cannot count allocations");
        }
        MX = (com.sun.management.ThreadMXBean) bean;
        if (!MX.isThreadAllocatedMemorySupported()) {
            throw new IllegalStateException("this JVM cannot count allocated bytes per thread");
        }
        if (!MX.isThreadAllocatedMemoryEnabled()) {
            MX.setThreadAllocatedMemoryEnabled(true);
        }
        // Warm the counter read up (class loading, linking, first-call stubs) before anyone measures.
        for (int i = 0; i < 10_000; i++) {
            MX.getCurrentThreadAllocatedBytes();
        }
    }

    private Alloc() {}

    /** One measurement. */
    public static final class Result {
        /** Bytes the op allocated over all iterations, the measuring overhead subtracted. */
        public final long totalBytes;
        /** Bytes the empty op allocated over the same number of iterations (subtracted above). */
        public final long overheadBytes;
        public final int iterations;
        /** Ops run before the measured window. */
        public final long warmupOps;
        /** Measured windows tried (1 unless a JIT transient spoiled a window; see the class comment). */
        public final int attempts;
        /** Bytes allocated in each window tried, overhead subtracted. */
        public final long[] windows;

        Result(long totalBytes, long overheadBytes, int iterations, long warmupOps, int attempts, long[] windows) {
            this.totalBytes = totalBytes;
            this.overheadBytes = overheadBytes;
            this.iterations = iterations;
            this.warmupOps = warmupOps;
            this.attempts = attempts;
            this.windows = windows;
        }

        /** Bytes per op, rounded up, so that any allocation at all shows as at least 1. */
        public long perOp() {
            return ceilDiv(totalBytes, iterations);
        }

        /** Bytes per unit when the whole measurement moved {@code units} units (e.g. packets). */
        public double per(long units) {
            return units == 0 ? 0 : (double) totalBytes / units;
        }

        @Override
        public String toString() {
            return totalBytes + " bytes in " + iterations + " ops (" + perOp() + " B/op, measuring overhead "
                    + overheadBytes + " B subtracted, " + warmupOps + " warm-up ops, windows "
                    + java.util.Arrays.toString(windows) + ")";
        }
    }

    /** Bytes allocated by the current thread since it started. */
    public static long threadAllocatedBytes() {
        return MX.getCurrentThreadAllocatedBytes();
    }

    /** Runs {@code op} {@code warmup} times unmeasured, then {@code iterations} times measured, once. */
    public static Result measure(int warmup, int iterations, Runnable op) {
        for (int i = 0; i < warmup; i++) {
            op.run();
        }
        long overhead = overhead(iterations);
        long total = loop(iterations, op) - overhead;
        return new Result(total, overhead, iterations, warmup, 1, new long[] {total});
    }

    /**
     * Steady-state allocation of {@code op}: at least {@code minWarmup} unmeasured runs, then more in batches
     * of 1,000 until 3 batches in a row allocate nothing (at most 200 batches), then up to {@code attempts}
     * measured windows of {@code iterations} runs; the first window with no allocation ends it. See the class
     * comment for why there can be more than one window.
     *
     * @return the clean window, or the smallest if none was clean
     */
    public static Result measureSteady(int minWarmup, int iterations, int attempts, Runnable op) {
        long warm = 0;
        for (int i = 0; i < minWarmup; i++) {
            op.run();
        }
        warm += minWarmup;
        int clean = 0;
        for (int b = 0; b < 200 && clean < 3; b++) {
            clean = loop(1000, op) <= overhead(1000) ? clean + 1 : 0;
            warm += 1000;
        }
        long overhead = overhead(iterations);
        long[] windows = new long[attempts];
        long best = Long.MAX_VALUE;
        int tried = 0;
        for (int a = 0; a < attempts; a++) {
            long total = loop(iterations, op) - overhead;
            windows[a] = total;
            tried++;
            if (total < best) {
                best = total;
            }
            if (total <= 0) {
                break;
            }
        }
        return new Result(best, overhead, iterations, warm, tried, java.util.Arrays.copyOf(windows, tried));
    }

    /** What the counter reads and the loop cost with an empty op: the smallest of a few tries. */
    private static long overhead(int iterations) {
        long overhead = Long.MAX_VALUE;
        for (int k = 0; k < 5; k++) {
            long o = loop(iterations, NOTHING);
            if (o < overhead) {
                overhead = o;
            }
        }
        return overhead;
    }

    /** Bytes per op after warm-up, rounded up (any allocation gives at least 1). */
    public static long bytesPerOp(int warmup, int iterations, Runnable op) {
        return measureSteady(warmup, iterations, 3, op).perOp();
    }

    private static long loop(int iterations, Runnable op) {
        long before = MX.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < iterations; i++) {
            op.run();
        }
        return MX.getCurrentThreadAllocatedBytes() - before;
    }

    private static long ceilDiv(long a, long b) {
        if (a <= 0) {
            return a / b;
        }
        return (a + b - 1) / b;
    }
}
