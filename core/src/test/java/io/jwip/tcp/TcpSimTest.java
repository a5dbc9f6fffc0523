package io.jwip.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwip.Err;
import io.jwip.JwipOptions;
import org.junit.jupiter.api.Test;

/**
 * 200 seeds of a 256 KiB transfer in each direction at once over a lossy, duplicating, reordering,
 * delaying wire on a virtual clock. Each must arrive byte-exact, both sides must reach CLOSED (TIME_WAIT
 * expired) and every pool of both stacks must be full.
 */
class TcpSimTest {
    static final int SIZE = 256 * 1024;

    static String run(long seed, int lossPermille) {
        JwipOptions o = new JwipOptions();
        SimNet n = new SimNet(o, seed, 256);
        n.wire.lossPermille = lossPermille;
        n.wire.dupPermille = 20;
        n.wire.reorderPermille = 50;
        n.wire.minDelay = 1;
        n.wire.maxDelay = 30;
        SimPeer client = new SimPeer(n.ta, 0, SIZE);
        SimPeer server = new SimPeer(n.tb, 1, SIZE);
        TcpPcb l = n.tb.newListener();
        n.tb.bind(l, 0, 80);
        n.tb.listen(l, 4);
        n.tb.accept(l, server);
        TcpPcb c = n.ta.newPcb();
        client.attach(c);
        assertEquals(Err.OK, n.ta.connect(c, SimNet.B_ADDR, 80, client));
        long limit = 3_600_000; // one virtual hour
        while (n.now < limit) {
            client.pump();
            server.pump();
            if (client.closed && server.closed && n.ta.timeWaitCount() == 0 && n.tb.timeWaitCount() == 0
                    && n.wire.empty() && n.ta.count(TcpState.SYN_RCVD) == 0 && n.tb.count(TcpState.SYN_RCVD) == 0
                    && n.ta.active == null && n.tb.active == null) {
                break;
            }
            if (!n.step()) {
                break;
            }
        }
        n.tb.close(l);
        String id = "seed " + seed + " loss " + lossPermille + "permille t=" + n.now + " ";
        assertEquals(Err.OK, client.err, id + "client error " + Err.name(client.err));
        assertEquals(Err.OK, server.err, id + "server error " + Err.name(server.err));
        assertEquals(SIZE, server.received, id + "server received");
        assertEquals(SIZE, client.received, id + "client received");
        assertEquals(0, client.mismatches + server.mismatches, id + "byte-exact");
        assertTrue(client.closed && server.closed, id + "closed");
        assertEquals(0, n.ta.timeWaitCount() + n.tb.timeWaitCount(), id + "TIME_WAIT expired");
        assertTrue(n.ta.active == null && n.tb.active == null, id + "all CLOSED");
        assertTrue(n.poolsFull(), id + "pools: " + n.sa.stats().poolsNotFull() + " / " + n.sb.stats().poolsNotFull());
        return id + "lost=" + n.wire.lost + " dup=" + n.wire.duplicated + " rtx=" + (n.ta.retransmits() + n.tb.retransmits());
    }

    @Test
    void twoHundredSeeds_upTo10PercentLoss_byteExact_allClosed_poolsFull() {
        long t0 = System.nanoTime();
        long lost = 0;
        for (int seed = 1; seed <= 200; seed++) {
            int loss = seed % 11 * 10; // 0 .. 100 permille
            String r = run(seed, loss);
            if (seed % 50 == 0) {
                System.out.println(r);
            }
        }
        System.out.println("200 seeds in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }
}
