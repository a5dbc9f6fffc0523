package io.jwip.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwip.Err;
import io.jwip.JwipOptions;
import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.GraphLayout;

/**
 * Churn: with 4 control blocks and 8 TIME_WAIT entries per stack, 10,000 sequential
 * connect / transfer / close cycles all succeed, the TIME_WAIT table never exceeds its cap, and the heap
 * retained by both stacks after the run equals that before it.
 */
class TcpChurnTest {
    @Test
    void tenThousandCycles_withFourPcbsAndEightTimeWaitEntries() {
        JwipOptions o = new JwipOptions();
        o.tcpPcbs = 4;
        o.tcpTimeWait = 8;
        SimNet n = new SimNet(o, 42, 64);
        n.faults(0, 0, 0, 1, 3);
        TcpPcb l = n.tb.newListener();
        n.tb.bind(l, 0, 80);
        n.tb.listen(l, 4);
        long before = GraphLayout.parseInstance(n.sa, n.sb).totalSize();
        int maxTw = 0;
        long t0 = System.nanoTime();
        for (int cycle = 0; cycle < 10_000; cycle++) {
            SimPeer client = new SimPeer(n.ta, 0, 1000 + cycle % 3000);
            SimPeer server = new SimPeer(n.tb, 1, 0);
            client.closeOnEof = true;
            server.closeOnEof = true;
            n.tb.accept(l, server);
            TcpPcb c = n.ta.newPcb();
            assertTrue(c != null, "cycle " + cycle + ": no pcb");
            client.attach(c);
            assertEquals(Err.OK, n.ta.connect(c, SimNet.B_ADDR, 80, client), "cycle " + cycle);
            int steps = 0;
            while (!(client.closed && server.closed && n.ta.table.active == null && n.tb.table.active == null)) {
                client.pump();
                server.pump();
                n.step();
                maxTw = Math.max(maxTw, Math.max(n.ta.stats().timeWaitCount(), n.tb.stats().timeWaitCount()));
                assertTrue(++steps < 10_000, "cycle " + cycle + " stuck");
            }
            assertEquals(Err.OK, client.err, "cycle " + cycle);
            assertEquals(Err.OK, server.err, "cycle " + cycle);
            assertEquals(client.toSend, server.received, "cycle " + cycle);
            assertEquals(0, server.mismatches);
            assertTrue(n.ta.stats().timeWaitCount() <= 8 && n.tb.stats().timeWaitCount() <= 8);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(maxTw <= 8, "TIME_WAIT above cap: " + maxTw);
        assertEquals(8, maxTw, "the table did fill up");
        assertTrue(n.ta.stats().reclaimed(Tcp.RECLAIM_TIME_WAIT_RECYCLED) > 0);
        // let the last TIME_WAIT entries expire
        n.tb.close(l);
        n.sa.timers(n.now + 2L * o.tcpMslMs);
        n.sb.timers(n.now + 2L * o.tcpMslMs);
        assertEquals(0, n.ta.stats().timeWaitCount());
        assertTrue(n.poolsFull(), n.sa.stats().poolsNotFull() + " / " + n.sb.stats().poolsNotFull());
        n.tb.setTrace(null);
        long after = GraphLayout.parseInstance(n.sa, n.sb).totalSize();
        System.out.println("churn: 10000 cycles in " + ms + " ms; TIME_WAIT recycled "
                + n.ta.stats().reclaimed(Tcp.RECLAIM_TIME_WAIT_RECYCLED) + "; retained " + before + " -> " + after + " bytes");
        assertEquals(before, after, "retained heap");
    }
}
