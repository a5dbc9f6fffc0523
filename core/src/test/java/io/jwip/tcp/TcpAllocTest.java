package io.jwip.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwip.Err;
import io.jwip.JwipOptions;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * Zero allocation: in ESTABLISHED, a bulk transfer in both directions at once (write, segment output,
 * input, ACK processing, delivery to the application, recved, timers) allocates 0 bytes per segment.
 * Measured with the thread's allocation counter around a warmed-up loop; tests run with
 * -XX:-DoEscapeAnalysis, and the loop itself (simulated wire and applications) allocates nothing.
 */
class TcpAllocTest {
    @Test
    void bulkTransferBothDirections_allocatesZeroBytesPerSegment() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        JwipOptions o = new JwipOptions();
        SimNet n = new SimNet(o, 7, 128);
        n.wire.minDelay = 1;
        n.wire.maxDelay = 5;
        SimPeer client = new SimPeer(n.ta, 0, Long.MAX_VALUE);
        SimPeer server = new SimPeer(n.tb, 1, Long.MAX_VALUE);
        client.shutdownWhenDone = false;
        server.shutdownWhenDone = false;
        TcpPcb l = n.tb.newListener();
        n.tb.bind(l, 0, 80);
        n.tb.listen(l, 4);
        n.tb.accept(l, server);
        TcpPcb c = n.ta.newPcb();
        client.attach(c);
        assertEquals(Err.OK, n.ta.connect(c, SimNet.B_ADDR, 80, client));
        // warm up: JIT and every path once
        for (int i = 0; i < 200_000; i++) {
            client.pump();
            server.pump();
            n.step();
        }
        assertEquals(TcpState.ESTABLISHED, c.state());
        mx.getCurrentThreadAllocatedBytes();
        long segs0 = n.sa.stats().tcp.xmit + n.sb.stats().tcp.xmit;
        long rcv0 = client.received + server.received;
        long b0 = mx.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100_000; i++) {
            client.pump();
            server.pump();
            n.step();
        }
        long b1 = mx.getCurrentThreadAllocatedBytes();
        long segs = n.sa.stats().tcp.xmit + n.sb.stats().tcp.xmit - segs0;
        long bytes = client.received + server.received - rcv0;
        System.out.println("alloc test: " + segs + " segments, " + bytes + " bytes of data, " + (b1 - b0)
                + " bytes allocated = " + (double) (b1 - b0) / segs + " bytes/segment");
        assertTrue(segs > 10_000, "segments " + segs);
        assertTrue(client.received > 1_000_000 && server.received > 1_000_000);
        assertEquals(0, client.mismatches + server.mismatches);
        assertEquals(0, b1 - b0, "bytes allocated in " + segs + " segments");
        // wind down: stop writing, close both ways, let TIME_WAIT expire
        client.toSend = client.written;
        server.toSend = server.written;
        client.shutdownWhenDone = true;
        server.shutdownWhenDone = true;
        for (int i = 0; i < 100_000 && !(client.closed && server.closed && n.ta.timeWaitCount() == 0
                && n.tb.timeWaitCount() == 0 && n.ta.active == null && n.tb.active == null); i++) {
            client.pump();
            server.pump();
            n.step();
        }
        n.tb.close(l);
        assertTrue(n.poolsFull(), n.sa.stats().poolsNotFull() + " / " + n.sb.stats().poolsNotFull());
    }
}
