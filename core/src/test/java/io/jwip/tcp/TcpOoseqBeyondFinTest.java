package io.jwip.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwip.JwipOptions;
import io.jwip.stats.Drop;
import org.junit.jupiter.api.Test;

/**
 * Regression (found by TcpFuzzTest's queue invariants): out-of-order data queued beyond a FIN that arrives
 * later stayed in the queue, or was even delivered after the FIN. With [110,120) queued and then [100,110)+FIN
 * queued before it, filling the hole at 100 delivered the FIN's segment and then [110,120) - bytes after the
 * end of the stream - and RCV.NXT went past the FIN. Segments beyond an in-order FIN are now discarded (and
 * counted); the queue always lies beyond RCV.NXT.
 */
class TcpOoseqBeyondFinTest {
    static byte[] bytes(int n, int v) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) v);
        return b;
    }

    @Test
    void dataQueuedBeyondAQueuedFinIsNeverDelivered() {
        Harness h = new Harness(new JwipOptions());
        App app = new App();
        TcpPcb l = h.listen(app, 4);
        int iss = h.passiveOpen(app, 99);
        TcpPcb p = app.pcb;
        int ack = iss + 1;
        // RCV.NXT = 100. Queue [110,120) first, then [105,110)+FIN before it, then fill [100,105).
        h.inject(Harness.A, 110, ack, 8760, bytes(10, 3));
        h.inject(Harness.A | Harness.F, 105, ack, 8760, bytes(5, 2));
        h.link.sent.clear();
        h.inject(Harness.A, 100, ack, 8760, bytes(5, 1));
        assertArrayEquals(new byte[] {1, 1, 1, 1, 1, 2, 2, 2, 2, 2}, app.received.toByteArray(),
                "the stream ends at the FIN");
        assertTrue(app.eof, "FIN delivered");
        assertEquals(111, p.rcvNxt, "RCV.NXT just past the FIN");
        assertEquals(TcpState.CLOSE_WAIT, p.state);
        assertNull(p.ooseq, "nothing stays queued beyond the FIN");
        assertEquals(0, p.ooseqSegs);
        assertEquals(0, p.ooseqBytes);
        assertTrue(h.stack.stats().drops(Drop.TCP_DATA_AFTER_FIN) > 0, "counted");
        h.tcp.abort(p);
        h.tcp.close(l);
        h.advance(300_000);
        h.assertPoolsFull();
    }

    @Test
    void inOrderFinDiscardsQueueBeyondIt() {
        Harness h = new Harness(new JwipOptions());
        App app = new App();
        TcpPcb l = h.listen(app, 4);
        int iss = h.passiveOpen(app, 99);
        TcpPcb p = app.pcb;
        int ack = iss + 1;
        h.inject(Harness.A, 101, ack, 8760, bytes(10, 3)); // one past where the FIN will sit
        h.inject(Harness.A | Harness.F, 100, ack, 8760, new byte[0]);
        assertEquals(0, app.received.size());
        assertTrue(app.eof);
        assertEquals(101, p.rcvNxt);
        assertNull(p.ooseq, "nothing stays queued beyond the FIN");
        assertEquals(0, p.ooseqBytes);
        h.tcp.abort(p);
        h.tcp.close(l);
        h.advance(300_000);
        h.assertPoolsFull();
    }

    /** Found by TcpFuzzTest seed 274: a FIN queued out of order in front of data at the same place. */
    @Test
    void queuedFinIsAlwaysLast() {
        Harness h = new Harness(new JwipOptions());
        App app = new App();
        TcpPcb l = h.listen(app, 4);
        int iss = h.passiveOpen(app, 99);
        TcpPcb p = app.pcb;
        int ack = iss + 1;
        h.inject(Harness.A, 117, ack, 8760, bytes(12, 3)); // [117,129)
        h.inject(Harness.A | Harness.F, 117, ack, 8760, new byte[0]); // FIN at 117
        assertEquals(1, p.ooseqSegs, "only the FIN stays queued");
        assertEquals(0, p.ooseqBytes);
        assertEquals(117, p.ooseq.seq);
        h.inject(Harness.A, 120, ack, 8760, bytes(5, 4)); // beyond the queued FIN: not queued
        assertEquals(1, p.ooseqSegs);
        h.inject(Harness.A, 100, ack, 8760, bytes(17, 1)); // fill the hole
        assertEquals(17, app.received.size());
        assertTrue(app.eof);
        assertEquals(118, p.rcvNxt);
        assertNull(p.ooseq);
        h.tcp.abort(p);
        h.tcp.close(l);
        h.advance(300_000);
        h.assertPoolsFull();
    }
}
