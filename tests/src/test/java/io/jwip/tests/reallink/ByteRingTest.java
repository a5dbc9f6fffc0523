package io.jwip.tests.reallink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jwip.netif.slip.ByteRing;
import java.io.ByteArrayOutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The reader-thread-to-stack hand-over ring: order, wrap-around, full and empty, across two threads. */
class ByteRingTest {
    @Test
    void singleThreadWrapsAndBounds() {
        ByteRing r = new ByteRing(10);
        byte[] in = {1, 2, 3, 4, 5, 6, 7};
        byte[] out = new byte[20];
        assertEquals(7, r.put(in, 0, 7));
        assertEquals(3, r.put(in, 0, 7), "only 3 free");
        assertEquals(0, r.put(in, 0, 1), "full");
        assertEquals(5, r.take(out, 0, 5));
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, java.util.Arrays.copyOf(out, 5));
        assertEquals(5, r.put(in, 2, 5)); // wraps
        assertEquals(10, r.take(out, 0, 20));
        assertArrayEquals(new byte[] {6, 7, 1, 2, 3, 3, 4, 5, 6, 7}, java.util.Arrays.copyOf(out, 10));
        assertEquals(0, r.take(out, 0, 1), "empty");
    }

    @Test
    void twoThreadsKeepEveryByteInOrder() throws Exception {
        ByteRing r = new ByteRing(257);
        byte[] data = new byte[1 << 20];
        new Random(3).nextBytes(data);
        Thread producer = new Thread(() -> {
            Random rnd = new Random(4);
            int off = 0;
            while (off < data.length) {
                off += r.put(data, off, Math.min(1 + rnd.nextInt(300), data.length - off));
            }
        });
        producer.start();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[100];
        Random rnd = new Random(5);
        while (got.size() < data.length) {
            int n = r.take(buf, 0, 1 + rnd.nextInt(100));
            got.write(buf, 0, n);
        }
        producer.join();
        assertArrayEquals(data, got.toByteArray());
    }
}
