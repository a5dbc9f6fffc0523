package io.jwip.testutil;

import java.lang.management.ManagementFactory;

/**
 * Bytes the current thread allocates per operation, from HotSpot's per-thread counter, for core's
 * allocation tests (run with -XX:-DoEscapeAnalysis, as the build does). The operation runs
 * {@code warmup} times, then in windows of {@code perWindow}; the smallest window counts, because C2's first
 * compilation of a class may charge a one-off String to one window, while a real per-operation allocation
 * shows in every window.
 */
public final class AllocMeter {
    private AllocMeter() {}

    /** Bytes allocated in the cleanest window (0 proves the operation allocates nothing). */
    public static long cleanestWindow(Runnable op, int warmup, int perWindow, int windows) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < warmup; i++) {
            op.run();
        }
        mx.getCurrentThreadAllocatedBytes();
        long best = Long.MAX_VALUE;
        for (int w = 0; w < windows && best > 0; w++) {
            long b0 = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < perWindow; i++) {
                op.run();
            }
            best = Math.min(best, mx.getCurrentThreadAllocatedBytes() - b0);
        }
        return best;
    }
}
