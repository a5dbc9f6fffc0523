package io.jwip.port;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jwip.wire.Checksum;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The wide checksum folds to exactly the portable loop's sum for every length, offset and byte pattern. */
class WideChecksumTest {
    @Test
    void sameSumsAsThePortableLoop() {
        WideChecksum w = new WideChecksum();
        Random r = new Random(42);
        byte[] b = new byte[70000];
        for (int round = 0; round < 3; round++) {
            if (round == 1) {
                java.util.Arrays.fill(b, (byte) 0xff); // all carries
            } else {
                r.nextBytes(b);
            }
            for (int len = 0; len < 300; len++) {
                for (int off = 0; off < 9; off++) {
                    long start = r.nextInt(1 << 20);
                    assertEquals(Checksum.fold(Checksum.addBytes(start, b, off, len)),
                            Checksum.fold(w.add(start, b, off, len)), "len " + len + " off " + off);
                }
            }
            for (int len : new int[] {1460, 1461, 8192, 65535, 65536, 69000}) {
                assertEquals(Checksum.fold(Checksum.addBytes(0, b, 3, len)), Checksum.fold(w.add(0, b, 3, len)));
            }
        }
    }

    @Test
    void installedEngineIsUsedByChecksumAdd() {
        byte[] b = new byte[1500];
        new Random(7).nextBytes(b);
        int portable = Checksum.fold(Checksum.addBytes(0, b, 1, 1499));
        try {
            WideChecksum.install();
            assertEquals(portable, Checksum.fold(Checksum.add(0, b, 1, 1499)));
        } finally {
            Checksum.setEngine(null);
        }
    }
}
