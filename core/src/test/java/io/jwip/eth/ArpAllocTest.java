package io.jwip.eth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwip.testutil.AllocMeter;
import org.junit.jupiter.api.Test;

/** Zero allocation: an ARP exchange (request, reply, the queued packet sent, its answer) allocates nothing. */
class ArpAllocTest {
    @Test
    void arpExchange_allocatesZeroBytes() {
        ArpTest.Segment s = ArpTest.twoHosts();
        ArpTest.Host a = s.hosts[0];
        Runnable op = new Runnable() {
            int seq;

            @Override
            public void run() {
                a.eth.cache().remove(ArpTest.B); // the next echo needs ARP again
                a.stack.icmp().sendEcho(ArpTest.B, 1, seq++, 32);
                s.exchange();
            }
        };
        long bytes = AllocMeter.cleanestWindow(op, 20_000, 10_000, 5);
        System.out.println("[alloc] ARP exchange + echo: " + bytes + " bytes in 10,000 exchanges");
        assertEquals(0, bytes);
        assertTrue(a.replies >= 30_000, "every echo was answered after its ARP exchange: " + a.replies);
        assertTrue(s.poolsFull());
    }
}
