package io.jwip.tcp;

import static io.jwip.tcp.Harness.A;
import static io.jwip.tcp.Harness.F;
import static io.jwip.tcp.Harness.R;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwip.Err;
import io.jwip.JwipOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Delayed ACKs (RFC 1122 4.2.3.2, RFC 9293 3.8.6.3), Nagle's algorithm and write coalescing. */
class TcpAckNagleTest {
    static final int P = 100;
    static final int MSS = 1460;
    Harness h;
    final App app = new App();

    @AfterEach
    void poolsFull() {
        h.assertPoolsFull();
    }

    /** Established passive connection with the options as given (delayed ACKs on unless set off). */
    private int open(JwipOptions o) {
        h = new Harness(o, false);
        TcpPcb l = h.listen(app, 4);
        int iss = h.passiveOpen(app, P);
        h.tcp.close(l);
        return iss + 1;
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 7 + seed);
        }
        return b;
    }

    private void finish() {
        h.tcp.abort(app.pcb);
        assertTrue(h.next().has(R));
        h.link.sent.clear();
    }

    // ---------------------------------------------------------------- delayed ACK

    @Test
    void oneSegment_isAckedAfterTheDelay_notAtOnce() {
        JwipOptions o = new JwipOptions();
        o.tcpAckDelayMs = 100;
        int d = open(o);
        h.inject(A, P + 1, d, 8760, bytes(500, 1));
        h.none();
        h.advance(99);
        h.none();
        h.advance(1);
        Harness.Seg a = h.expect(A, d, P + 501);
        assertEquals(0, a.data.length);
        assertEquals(1, h.tcp.stats().delayedAcks());
        finish();
    }

    @Test
    void everySecondFullSizedSegment_isAckedAtOnce() {
        int d = open(new JwipOptions());
        h.inject(A, P + 1, d, 8760, bytes(MSS, 1));
        h.none();
        h.inject(A, P + 1 + MSS, d, 8760, bytes(MSS, 2));
        h.expect(A, d, P + 1 + 2 * MSS);
        h.inject(A, P + 1 + 2 * MSS, d, 8760, bytes(MSS, 3));
        h.none();
        h.inject(A, P + 1 + 3 * MSS, d, 8760, bytes(MSS, 4));
        h.expect(A, d, P + 1 + 4 * MSS);
        h.advance(200);
        h.none();
        assertEquals(0, h.tcp.stats().delayedAcks(), "no timer ACK was needed");
        finish();
    }

    @Test
    void outOfOrderSegment_isAckedAtOnce_andSoIsTheOneFillingTheHole() {
        int d = open(new JwipOptions());
        h.inject(A, P + 1 + 500, d, 8760, bytes(500, 2));
        h.expect(A, d, P + 1); // duplicate ACK at once (RFC 5681 4.2)
        h.inject(A, P + 1, d, 8760, bytes(500, 1));
        h.expect(A, d, P + 1001); // fills the hole: at once
        finish();
    }

    @Test
    void fin_isAckedAtOnce() {
        int d = open(new JwipOptions());
        h.inject(A, P + 1, d, 8760, bytes(100, 1));
        h.none();
        h.inject(F | A, P + 101, d, 8760, new byte[0]);
        h.expect(A, d, P + 102);
        assertTrue(app.eof);
        finish();
    }

    @Test
    void delayedAck_ridesOnData_whenTheAppAnswers() {
        int d = open(new JwipOptions());
        h.inject(A, P + 1, d, 8760, bytes(100, 1));
        h.none();
        assertEquals(Err.OK, h.tcp.write(app.pcb, bytes(50, 2), 0, 50));
        Harness.Seg s = h.one();
        assertEquals(P + 101, s.ack, "the data carries the ACK");
        assertEquals(50, s.data.length);
        h.advance(150); // past the ACK delay, before the retransmission timeout
        h.none(); // no separate delayed ACK
        h.inject(A, P + 101, d + 50, 8760, new byte[0]);
        finish();
    }

    @Test
    void ackDelay_isBoundedTo200ms() {
        JwipOptions o = new JwipOptions();
        o.tcpAckDelayMs = 201;
        assertNotNull(o.validate());
        o.tcpAckDelayMs = 200;
        assertEquals(null, o.validate());
        h = new Harness(new JwipOptions());
    }

    // ---------------------------------------------------------------- Nagle and coalescing

    @Test
    void nagle_holdsSmallSegmentWhileDataInFlight_andCoalescesWrites() {
        int d = open(new JwipOptions());
        byte[] all = bytes(400, 9);
        h.tcp.write(app.pcb, all, 0, 100);
        Harness.Seg s1 = h.one(); // nothing in flight: goes at once
        assertEquals(100, s1.data.length);
        h.tcp.write(app.pcb, all, 100, 100);
        h.tcp.write(app.pcb, all, 200, 100);
        h.tcp.write(app.pcb, all, 300, 100);
        h.none(); // Nagle: held while the first is unacknowledged
        h.inject(A, P + 1, d + 100, 8760, new byte[0]);
        Harness.Seg s2 = h.one();
        assertEquals(d + 100, s2.seq);
        assertEquals(300, s2.data.length, "three writes, one segment");
        byte[] got = new byte[400];
        System.arraycopy(s1.data, 0, got, 0, 100);
        System.arraycopy(s2.data, 0, got, 100, 300);
        assertArrayEquals(all, got);
        h.inject(A, P + 1, d + 400, 8760, new byte[0]);
        assertEquals(400, app.sentBytes);
        finish();
    }

    @Test
    void nagle_sendsFullSegmentsAtOnce_evenWithDataInFlight() {
        int d = open(new JwipOptions());
        h.tcp.write(app.pcb, bytes(100, 1), 0, 100);
        h.one();
        h.tcp.write(app.pcb, bytes(2 * MSS + 100, 2), 0, 2 * MSS + 100);
        // two full segments go although data is in flight; the short tail waits
        Harness.Seg a = h.next();
        Harness.Seg b = h.one();
        assertEquals(MSS, a.data.length);
        assertEquals(d + 100, a.seq);
        assertEquals(MSS, b.data.length);
        assertEquals(100 + 2 * MSS + 100, app.pcb.sendQueued());
        h.inject(A, P + 1, d + 100 + 2 * MSS, 8760, new byte[0]);
        Harness.Seg c = h.one();
        assertEquals(100, c.data.length);
        h.inject(A, P + 1, d + 200 + 2 * MSS, 8760, new byte[0]);
        finish();
    }

    @Test
    void noDelay_sendsSmallSegmentsAtOnce() {
        int d = open(new JwipOptions());
        assertEquals(Err.OK, h.tcp.setNoDelay(app.pcb, true));
        assertTrue(app.pcb.noDelay());
        h.tcp.write(app.pcb, bytes(100, 1), 0, 100);
        h.one();
        h.tcp.write(app.pcb, bytes(100, 2), 0, 100);
        Harness.Seg s = h.one();
        assertEquals(d + 100, s.seq);
        // switching Nagle back on holds the next small one
        h.tcp.setNoDelay(app.pcb, false);
        h.tcp.write(app.pcb, bytes(100, 3), 0, 100);
        h.none();
        // turning it off again releases what waits
        h.tcp.setNoDelay(app.pcb, true);
        assertEquals(d + 200, h.one().seq);
        h.inject(A, P + 1, d + 300, 8760, new byte[0]);
        finish();
    }

    @Test
    void nagle_doesNotHoldOurFin() {
        int d = open(new JwipOptions());
        h.tcp.write(app.pcb, bytes(100, 1), 0, 100);
        h.one();
        h.tcp.write(app.pcb, bytes(100, 2), 0, 100);
        h.none();
        h.tcp.close(app.pcb);
        Harness.Seg s = h.one();
        assertTrue(s.has(F), "the last small segment goes with the FIN");
        assertEquals(100, s.data.length);
        h.inject(F | A, P + 1, d + 201, 8760, new byte[0]);
        h.expect(A, d + 201, P + 2);
        app.pcb = null;
        h.advance(2L * h.opt.tcpMslMs);
    }
}
