package io.jwip.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwip.Err;
import org.junit.jupiter.api.Test;

/**
 * Seeded fuzzing of DNS answers: valid answers (a CNAME chain, compression pointers) with random bytes
 * changed and random lengths; every lookup ends (answer, failure or timeout), nothing throws, pools full.
 */
class DnsFuzzTest {
    @Test
    void mutatedAnswers_neverThrow_everyLookupEnds_poolsFull() {
        for (long seed = 1; seed <= 4; seed++) {
            DnsResolverTest t = new DnsResolverTest();
            t.server.mode = DnsResolverTest.Mode.FUZZ;
            t.server.fuzz = new java.util.Random(seed);
            DnsResolverTest.Result r = new DnsResolverTest.Result();
            int ended = 0;
            for (int i = 0; i < 500; i++) {
                t.dns.flush();
                r.calls = 0;
                assertEquals(Err.OK, t.dns.resolve("device.test", r, null));
                t.run(4100); // answered, refused, or timed out after two tries
                assertEquals(1, r.calls, "lookup " + i + " of seed " + seed + " ended once");
                ended++;
            }
            assertEquals(500, ended);
            assertEquals(0, t.dns.inFlight());
            assertTrue(t.t.a.stats().allPoolsFull(), t.t.a.stats().poolsNotFull());
        }
    }
}
