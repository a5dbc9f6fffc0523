package io.jwip.ppp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwip.testutil.AllocMeter;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * PPP's packet path allocates nothing once the link is up (an echo both ways: framing, FCS, demux, IPv4),
 * and seeded fuzzing of what comes off the line (valid frames with bytes changed, random bytes, LCP and
 * IPCP packets with random codes, lengths and options) never throws and leaves every pool full.
 */
class PppAllocFuzzTest {
    @Test
    void echoOverAnOpenLink_allocatesZeroBytesPerFrame() {
        PppPair t = new PppPair();
        t.run(1000);
        t.client.flat = true; // a pipe that copies into one array: nothing allocated on the wire either
        t.server.flat = true;
        Runnable op = new Runnable() {
            int seq;

            @Override
            public void run() {
                t.client.stack.icmp().sendEcho(PppPair.SERVER, 1, seq++, 56);
                t.pump();
            }
        };
        for (int i = 0; i < 2000; i++) {
            op.run();
        }
        long total = AllocMeter.cleanestWindow(op, 20_000, 2_000, 5);
        System.out.println("[alloc] PPP echo over an open link: " + total + " bytes in 2,000 echoes");
        assertEquals(0, total);
        assertTrue(t.client.replies > 20_000);
    }

    @Test
    void fuzzedLineInput_neverThrows_poolsFull() {
        for (long seed = 1; seed <= 4; seed++) {
            Random r = new Random(seed);
            PppPair t = new PppPair();
            t.run(1000);
            HdlcFraming enc = new HdlcFraming(1500);
            byte[] out = new byte[HdlcFraming.maxEncodedLength(1500)];
            int[] protocols = {PppProtocol.LCP, PppProtocol.IPCP, PppProtocol.IPV4, PppProtocol.PAP, PppProtocol.CHAP, 0x80fd, 0x0057};
            for (int i = 0; i < 5000; i++) {
                byte[] info = new byte[r.nextInt(80)];
                r.nextBytes(info);
                if (info.length >= 4 && r.nextBoolean()) {
                    info[0] = (byte) (1 + r.nextInt(12)); // a known code
                    info[2] = 0;
                    info[3] = (byte) (r.nextBoolean() ? info.length : r.nextInt(256));
                }
                int n = enc.encode(protocols[r.nextInt(protocols.length)], info, 0, info.length, out, 0);
                for (int k = r.nextInt(3); k > 0; k--) {
                    out[r.nextInt(n)] ^= (byte) (1 + r.nextInt(255));
                }
                (r.nextBoolean() ? t.server : t.client).ppp.received(out, 0, n);
                if (i % 50 == 0) {
                    t.run(100);
                }
            }
            t.run(30_000);
            assertTrue(t.client.stack.stats().allPoolsFull() && t.server.stack.stats().allPoolsFull());
            assertEquals(true, t.client.ppp.framing().badFcs() > 0, "corrupted frames were counted");
        }
    }
}
