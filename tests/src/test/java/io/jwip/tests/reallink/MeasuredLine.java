package io.jwip.tests.reallink;

import io.jwip.netif.slip.SlipLine;
import java.io.IOException;
import java.lang.management.ManagementFactory;

/**
 * A test decorator around a {@link SlipLine} that counts the heap bytes its thread allocates inside the
 * line's own calls (jssc's per-read arrays live there), so that a test can subtract them from the
 * driver thread's total and assert that the stack's own path allocates nothing.
 */
final class MeasuredLine implements SlipLine {
    private static final com.sun.management.ThreadMXBean MX =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    final SlipLine inner;
    volatile long readAlloc;
    /** Of {@link #readAlloc}: in calls that found no data (jssc's int[2] per availability query). */
    volatile long idleReadAlloc;
    volatile long writeAlloc;
    volatile long readCalls;
    volatile long readsWithData;
    volatile long bytesRead;

    MeasuredLine(SlipLine inner) {
        this.inner = inner;
    }

    @Override
    public int read(byte[] b, int off, int n) {
        long t0 = MX.getCurrentThreadAllocatedBytes();
        int k = inner.read(b, off, n);
        long a = MX.getCurrentThreadAllocatedBytes() - t0;
        readAlloc += a;
        readCalls++;
        if (k <= 0) {
            idleReadAlloc += a;
        } else {
            readsWithData++;
            bytesRead += k;
        }
        return k;
    }

    @Override
    public void write(byte[] b, int off, int n) throws IOException {
        long t0 = MX.getCurrentThreadAllocatedBytes();
        try {
            inner.write(b, off, n);
        } finally {
            writeAlloc += MX.getCurrentThreadAllocatedBytes() - t0;
        }
    }

    @Override
    public String downReason() {
        return inner.downReason();
    }

    @Override
    public void close() {
        inner.close();
    }
}
