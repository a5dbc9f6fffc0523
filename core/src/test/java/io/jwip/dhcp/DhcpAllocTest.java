package io.jwip.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwip.testutil.AllocMeter;
import org.junit.jupiter.api.Test;

/** Zero allocation: a lease renewal (T1, unicast REQUEST, ARP, ACK, new times) allocates nothing. */
class DhcpAllocTest {
    @Test
    void renewal_allocatesZeroBytes() {
        DhcpClientTest.Rig r = new DhcpClientTest.Rig();
        r.dhcp.start();
        r.until(DhcpState.BOUND, 20_000);
        r.dhcp.setListener(null);
        r.server.quiet = true;
        Runnable op = () -> r.runUntil(r.dhcp.t1At() + 200); // one renewal, bound again
        long bytes = AllocMeter.cleanestWindow(op, 300, 100, 5);
        System.out.println("[alloc] DHCP renewal: " + bytes + " bytes in 100 renewals");
        assertEquals(0, bytes);
        assertTrue(r.dhcp.renewals() >= 400, "renewals: " + r.dhcp.renewals());
        assertEquals(DhcpState.BOUND, r.dhcp.state());
    }
}
