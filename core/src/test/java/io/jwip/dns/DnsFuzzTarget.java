package io.jwip.dns;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import io.jwip.wire.DnsHeader;

/**
 * Coverage-guided fuzz target (Jazzer) for the DNS resolver: answers whose flags, answer count and body
 * the fuzzer shapes (the query's ID and, mostly, its question kept, so that the records are parsed:
 * names with labels and pointers anywhere, record lengths past the end, CNAME loops). An exception is a
 * finding; so is a lookup that does not end, or a pool not full at the end.
 */
public final class DnsFuzzTarget {
    private DnsFuzzTarget() {}

    public static void fuzzerTestOneInput(FuzzedDataProvider d) {
        DnsResolverTest t = new DnsResolverTest();
        t.server.mode = DnsResolverTest.Mode.RAW;
        DnsResolverTest.Result r = new DnsResolverTest.Result();
        int lookups = d.consumeInt(1, 8);
        for (int i = 0; i < lookups && d.remainingBytes() > 0; i++) {
            t.server.keepQuestion = d.consumeInt(0, 7) != 0;
            t.server.rawFlags = d.consumeBoolean() ? DnsHeader.FLAG_QR | DnsHeader.FLAG_RD | 0x80 | d.consumeInt(0, 15)
                    : d.consumeInt(0, 0xffff);
            t.server.rawAncount = d.consumeInt(0, 12);
            t.server.raw = d.consumeBytes(d.consumeInt(0, 400));
            r.calls = 0;
            t.dns.flush();
            t.dns.resolve(d.consumeBoolean() ? "device.test" : "a.b.c.device.test", r, null);
            t.run(4100); // answered or timed out after two tries
            if (r.calls != 1) {
                throw new AssertionError("lookup ended " + r.calls + " times");
            }
        }
        if (t.dns.inFlight() != 0 || !t.t.a.stats().allPoolsFull()) {
            throw new AssertionError("pools not full: " + t.t.a.stats().poolsNotFull());
        }
    }
}
