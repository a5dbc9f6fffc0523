package io.jwip.tcp;

import static io.jwip.tcp.Harness.A;
import static io.jwip.tcp.Harness.F;
import static io.jwip.tcp.Harness.S;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwip.JwipOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The bounds {@link TcpBounds} documents are the times the stack really takes: for each state, a peer
 * that goes silent at the worst moment, and the virtual time until the connection is released.
 */
class TcpBoundsTest {
    static final int P = 100;
    Harness h = new Harness(new JwipOptions());
    final App app = new App();

    @AfterEach
    void poolsFull() {
        h.assertPoolsFull();
    }

    /** Advances in small steps until nothing is left on the active list; returns the time it took. */
    private long untilReleased(long limit) {
        long t0 = h.now;
        while (h.tcp.table.active != null && h.now - t0 <= limit) {
            h.advance(100);
            h.link.sent.clear();
        }
        assertEquals(null, h.tcp.table.active, "released within " + limit + " ms");
        return h.now - t0;
    }

    @Test
    void defaults() {
        JwipOptions o = new JwipOptions();
        assertEquals(123_000, TcpBounds.handshakeMs(o), "1+2+4+8+16+32 s and 60 s (tcpRtoMaxMs caps the 64)");
        assertEquals(13 * 60_000, TcpBounds.retransmitMs(o), "13 expiries of the largest RTO");
        assertEquals(483_000, TcpBounds.retransmitMs(o, 1000), "from a 1 s RTO");
        String t = TcpBounds.table(o, new StringBuilder()).toString();
        assertTrue(t.contains("SYN_SENT, SYN_RCVD") && t.contains("123 s") && t.contains("TIME_WAIT"), t);
    }

    @Test
    void synSent_silentPeer_releasedAtTheHandshakeBound() {
        TcpPcb c = h.tcp.newPcb();
        h.tcp.connect(c, Harness.PEER, 80, app);
        long took = untilReleased(TcpBounds.handshakeMs(h.opt) + 1000);
        assertTrue(Math.abs(took - TcpBounds.handshakeMs(h.opt)) <= 100, "took " + took);
        h.tcp.close(c);
    }

    @Test
    void synRcvd_silentPeer_releasedAtTheHandshakeBound() {
        TcpPcb l = h.listen(app, 4);
        h.seg(S, P, 0).mss(1460).send();
        long took = untilReleased(TcpBounds.handshakeMs(h.opt) + 1000);
        assertTrue(Math.abs(took - TcpBounds.handshakeMs(h.opt)) <= 100, "took " + took);
        h.tcp.close(l);
    }

    @Test
    void finWait1_silentPeer_releasedAtTheRetransmissionBound() {
        TcpPcb l = h.listen(app, 4);
        h.passiveOpen(app, P);
        h.tcp.close(l);
        int rto = app.pcb.rto();
        h.tcp.write(app.pcb, new byte[100], 0, 100);
        h.tcp.close(app.pcb);
        long took = untilReleased(TcpBounds.retransmitMs(h.opt) + 1000);
        assertTrue(took <= TcpBounds.retransmitMs(h.opt), "within the worst case");
        assertTrue(Math.abs(took - TcpBounds.retransmitMs(h.opt, rto)) <= 100, "took " + took);
    }

    @Test
    void zeroWindowAfterClose_releasedWithinThePersistBound() {
        TcpPcb l = h.listen(app, 4);
        int iss = h.passiveOpen(app, P);
        h.tcp.close(l);
        h.inject(A, P + 1, iss + 1, 0, new byte[0]);
        int rto = app.pcb.rto();
        h.tcp.write(app.pcb, new byte[100], 0, 100);
        h.tcp.close(app.pcb);
        long t0 = h.now;
        while (h.tcp.table.active != null && h.now - t0 <= TcpBounds.persistMs(h.opt)) {
            h.advance(100);
            if (!h.link.sent.isEmpty() && !h.link.sent.peekLast().equals(null)) {
                h.link.sent.clear();
                h.inject(A, P + 1, iss + 1, 0, new byte[0]); // every probe answered: still zero
            }
        }
        long took = h.now - t0;
        assertEquals(null, h.tcp.table.active);
        assertTrue(took <= TcpBounds.persistMs(h.opt), "within the worst case");
        assertTrue(Math.abs(took - TcpBounds.persistMs(h.opt, rto)) <= 100, "took " + took);
    }

    @Test
    void finWait2AfterClose_andTimeWait() {
        TcpPcb l = h.listen(app, 4);
        int iss = h.passiveOpen(app, P);
        h.tcp.close(l);
        h.tcp.close(app.pcb);
        h.inject(A, P + 1, iss + 2);
        h.link.sent.clear();
        long took = untilReleased(h.opt.tcpFinWait2TimeoutMs + 1000);
        assertTrue(Math.abs(took - h.opt.tcpFinWait2TimeoutMs) <= 100, "FIN_WAIT_2 took " + took);
        // TIME_WAIT: a second connection whose peer closes too
        l = h.listen(app, 4);
        iss = h.passiveOpen(app, 4001, P);
        h.tcp.close(l);
        h.tcp.close(app.pcb);
        h.injectP(4001, A | F, P + 1, iss + 2);
        h.link.sent.clear();
        assertEquals(1, h.tcp.stats().timeWaitCount());
        long t0 = h.now;
        while (h.tcp.stats().timeWaitCount() > 0) {
            h.advance(100);
        }
        assertTrue(Math.abs(h.now - t0 - 2L * h.opt.tcpMslMs) <= 100, "TIME_WAIT took " + (h.now - t0));
    }
}
