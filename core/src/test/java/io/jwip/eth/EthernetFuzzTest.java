package io.jwip.eth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwip.wire.ArpHeader;
import io.jwip.wire.EthernetHeader;
import io.jwip.wire.Ip4Addr;
import io.jwip.wire.Mac;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded fuzzing of Ethernet and ARP input: frames built valid (ARP requests and replies for and from our
 * neighbours, IPv4 frames) with random fields and bytes changed, random lengths, random addresses; nothing
 * throws, the stack still answers a real neighbour afterwards, and every pool is full.
 */
class EthernetFuzzTest {
    @Test
    void mutatedFrames_neverThrow_andTheStackStillWorks() {
        for (long seed = 1; seed <= 4; seed++) {
            Random rnd = new Random(seed);
            ArpTest.Segment s = ArpTest.twoHosts();
            for (int i = 0; i < 20_000; i++) {
                int len = rnd.nextInt(8) == 0 ? rnd.nextInt(80) : 42 + rnd.nextInt(60);
                byte[] f = new byte[Math.max(len, 1)];
                long dst = rnd.nextBoolean() ? Mac.BROADCAST : rnd.nextBoolean() ? ArpTest.MAC_A : rnd.nextLong() & Mac.BROADCAST;
                long src = rnd.nextInt(4) == 0 ? rnd.nextLong() & Mac.BROADCAST : 0x020000000010L + rnd.nextInt(4);
                if (f.length >= 14) {
                    new EthernetHeader().wrap(f, 0).destination(dst).source(src)
                            .type(rnd.nextInt(4) == 0 ? rnd.nextInt(0x10000) : rnd.nextBoolean() ? EthernetHeader.TYPE_ARP : EthernetHeader.TYPE_IPV4);
                }
                if (f.length >= 42) {
                    int spa = rnd.nextBoolean() ? Ip4Addr.of(10, 0, 0, 1 + rnd.nextInt(12)) : rnd.nextInt();
                    int tpa = rnd.nextBoolean() ? ArpTest.A : rnd.nextBoolean() ? 0 : rnd.nextInt();
                    new ArpHeader().wrap(f, 14).fill(1 + rnd.nextInt(3), src, rnd.nextInt(6) == 0 ? 0 : spa, 0, tpa);
                }
                for (int k = rnd.nextInt(4); k > 0; k--) {
                    f[rnd.nextInt(f.length)] = (byte) rnd.nextInt(256);
                }
                ArpTest.inject(s, f);
                if (i % 500 == 0) {
                    s.runUntil(s.now + 1000);
                }
            }
            s.runUntil(s.now + 400_000); // every resolution started by the noise gives up or ages
            ArpTest.Host a = s.hosts[0];
            int before = a.replies;
            a.eth.cache().remove(ArpTest.B);
            a.stack.icmp().sendEcho(ArpTest.B, 1, 1, 8);
            s.exchange();
            assertEquals(before + 1, a.replies, "the real neighbour is still reached (seed " + seed + ")");
            assertTrue(s.poolsFull(), a.stack.stats().poolsNotFull());
        }
    }
}
