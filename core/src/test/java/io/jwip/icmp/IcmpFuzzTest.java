package io.jwip.icmp;

import static io.jwip.testutil.TestStack.ADDR;
import static io.jwip.testutil.TestStack.PEER;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jwip.stats.Drop;
import io.jwip.testutil.Packets;
import io.jwip.testutil.TestStack;
import io.jwip.wire.Bytes;
import io.jwip.wire.Checksum;
import io.jwip.wire.Ip4Addr;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Seeded fuzzing of ICMP input (house rule 3): echo requests and replies, errors quoting mangled IP
 * headers, unknown types and codes, truncation, bad checksums, broadcast. Nothing throws, truncation and
 * checksum drops are counted as what they are, every echo reply that goes out is byte-exact to its
 * request, and pools end full.
 */
class IcmpFuzzTest {
    @Test
    @Timeout(300) // a hang (an input or timer loop that never ends) fails instead of blocking the build
    void mutatedMessagesNeverThrowAndNeverLeak() {
        for (int seed = 1; seed <= 10; seed++) {
            fuzz(seed, 5000);
        }
    }

    static void fuzz(long seed, int n) {
        TestStack t = new TestStack();
        Random r = new Random(seed);
        for (int i = 0; i < n; i++) {
            byte[] m;
            int c = r.nextInt(4);
            if (c == 0) {
                byte[] d = new byte[r.nextInt(4) == 0 ? r.nextInt(1400) : r.nextInt(64)];
                r.nextBytes(d);
                m = Packets.icmpEcho(8, r.nextInt(65536), r.nextInt(65536), d);
            } else if (c == 1) {
                // an error quoting a (mangled) IP header and 8 bytes of a transport header
                byte[] quotedPayload = new byte[8];
                r.nextBytes(quotedPayload);
                byte[] quoted = Packets.ipv4(ADDR, PEER, r.nextInt(3) == 0 ? r.nextInt(256) : 6, 1, 0, 64,
                        quotedPayload);
                quoted[0] = (byte) (r.nextBoolean() ? 0x45 : r.nextInt(256));
                int ql = r.nextInt(quoted.length + 1);
                m = new byte[8 + ql];
                m[0] = (byte) new int[] {3, 11, 12, 4, 5}[r.nextInt(5)];
                m[1] = (byte) r.nextInt(16);
                System.arraycopy(quoted, 0, m, 8, ql);
                Bytes.put16(m, 2, Checksum.of(m, 0, m.length));
            } else if (c == 2) {
                m = new byte[r.nextInt(64)];
                r.nextBytes(m);
                if (m.length >= 4) {
                    Bytes.put16(m, 2, 0);
                    Bytes.put16(m, 2, Checksum.of(m, 0, m.length));
                }
            } else {
                m = Packets.icmpEcho(r.nextBoolean() ? 0 : 8, 1, i, new byte[r.nextInt(32)]);
                if (m.length > 0) {
                    m[r.nextInt(m.length)] ^= (byte) (1 << r.nextInt(8)); // bad checksum (or a type/code bit)
                }
            }
            if (r.nextInt(8) == 0) {
                byte[] cut = new byte[r.nextInt(m.length + 1)];
                System.arraycopy(m, 0, cut, 0, cut.length);
                m = cut;
            }
            int expect = -1;
            if (m.length < 8) {
                expect = Drop.ICMP_TRUNCATED;
            } else if (Checksum.of(m, 0, m.length) != 0) {
                expect = Drop.ICMP_BAD_CHECKSUM;
            }
            int dst = r.nextInt(20) == 0 ? Ip4Addr.of(10, 0, 0, 255) : ADDR;
            long before = expect >= 0 ? t.stack.stats().drops(expect) : 0;
            t.link.inject(Packets.ipv4(PEER, dst, 1, i, 0, 64, m));
            if (expect >= 0) {
                assertEquals(before + 1, t.stack.stats().drops(expect), "seed " + seed + " #" + i + " counted as "
                        + Drop.name(expect));
            }
            for (byte[] out = t.link.poll(); out != null; out = t.link.poll()) {
                byte[] reply = Packets.payload(out);
                assertEquals(0, reply[0], "only echo replies go out");
                assertEquals(m.length, reply.length, "reply as long as the request");
                for (int k = 4; k < m.length; k++) {
                    assertEquals(m[k], reply[k], "reply byte " + k);
                }
                assertEquals(0, Checksum.of(reply, 0, reply.length), "reply checksum");
            }
        }
        t.advance(60_000);
        t.assertPoolsFull();
    }
}
