package io.jwip.dhcp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwip.wire.DhcpHeader;
import io.jwip.wire.Ip4Addr;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded fuzzing of DHCP replies: OFFERs, ACKs and NAKs for the client's own transaction (and sometimes
 * another), with random bytes, option lengths and truncation; nothing throws, whatever state the client
 * reaches is one of the table's, and every pool is full at the end.
 */
class DhcpFuzzTest {
    static final int[] TYPES = {DhcpHeader.OFFER, DhcpHeader.ACK, DhcpHeader.NAK, DhcpHeader.DISCOVER, 99};

    @Test
    void mutatedReplies_neverThrow_poolsFull() {
        for (long seed = 1; seed <= 4; seed++) {
            Random rnd = new Random(seed);
            DhcpClientTest.Rig r = new DhcpClientTest.Rig();
            r.dhcp.setListener(null);
            r.server.quiet = true;
            r.server.mutate = rnd;
            r.dhcp.start();
            for (int i = 0; i < 3000; i++) {
                int xid = rnd.nextInt(10) == 0 ? rnd.nextInt() : r.dhcp.xid();
                int type = TYPES[rnd.nextInt(TYPES.length)];
                int yiaddr = rnd.nextInt(4) == 0 ? rnd.nextInt() : Ip4Addr.of(10, 0, 0, 50 + rnd.nextInt(3));
                r.server.reply(xid, type, yiaddr, 0);
                r.runUntil(r.now + (rnd.nextInt(20) == 0 ? 30_000 : 200));
                int st = r.dhcp.state();
                assertTrue(st >= 0 && st < DhcpState.COUNT);
            }
            assertTrue(r.poolsFull(), "seed " + seed);
        }
    }
}
