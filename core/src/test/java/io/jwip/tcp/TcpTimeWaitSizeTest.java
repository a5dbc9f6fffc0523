package io.jwip.tcp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.GraphLayout;

/** A TIME_WAIT entry costs at most 64 bytes of retained heap (lwIP spends a whole tcp_pcb). */
class TcpTimeWaitSizeTest {
    @Test
    void retainedBytesPerEntry_isAtMost64() {
        for (int cap : new int[] {8, 32, 1024}) {
            TcpTimeWait tw = new TcpTimeWait(cap);
            long total = GraphLayout.parseInstance(tw).totalSize();
            double perEntry = (double) total / cap;
            System.out.printf("TIME_WAIT table capacity %d: %d bytes retained, %.1f bytes per entry%n", cap, total, perEntry);
            assertTrue(perEntry <= 64, "per entry " + perEntry);
        }
        // the marginal cost of one more entry: 5 ints + 1 long = 28 bytes
        long a = GraphLayout.parseInstance(new TcpTimeWait(1000)).totalSize();
        long b = GraphLayout.parseInstance(new TcpTimeWait(2000)).totalSize();
        assertTrue((b - a) / 1000 <= 28, "marginal " + (b - a) / 1000.0);
    }
}
