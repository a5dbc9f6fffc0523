package io.jwip.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jwip.testutil.AllocMeter;
import org.junit.jupiter.api.Test;

/** Zero allocation: a DNS query and its answer (random port and ID, checks, cache store) allocate nothing. */
class DnsAllocTest {
    @Test
    void queryAndAnswer_allocateZeroBytes() {
        DnsResolverTest t = new DnsResolverTest();
        DnsResolverTest.Result r = new DnsResolverTest.Result();
        Runnable op = () -> {
            t.dns.flush(); // every lookup is a query, not a cache hit
            t.dns.resolve("device.test", r, null);
            t.run(20);
        };
        long bytes = AllocMeter.cleanestWindow(op, 5_000, 2_000, 5);
        System.out.println("[alloc] DNS query + answer: " + bytes + " bytes in 2,000 lookups");
        assertEquals(0, bytes);
        assertEquals(DnsResolver.OK, r.result);
    }
}
