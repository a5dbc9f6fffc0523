package io.jwip.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The allocation meter is not blind: it sees a small allocation per op, and nothing for an empty op. */
class AllocTest {
    static Object sink;

    @Test
    void seesOneSmallArrayPerOp() {
        Alloc.Result r = Alloc.measureSteady(1000, 10_000, 1, new Runnable() {
            @Override
            public void run() {
                sink = new byte[8];
            }
        });
        System.out.println("[alloc] new byte[8] per op: " + r);
        // A byte[8] is 16 bytes of header + 8 of data, at least 16 however the JVM lays it out.
        assertTrue(r.perOp() >= 16, r.toString());
        assertTrue(r.totalBytes >= 16L * 10_000, r.toString());
    }

    @Test
    void seesNothingForAnEmptyOp() {
        Alloc.Result r = Alloc.measureSteady(1000, 10_000, 3, new Runnable() {
            int n;

            @Override
            public void run() {
                n++;
            }
        });
        assertEquals(0, r.totalBytes, r.toString());
        assertEquals(0, Alloc.bytesPerOp(100, 1000, () -> { }));
    }
}
