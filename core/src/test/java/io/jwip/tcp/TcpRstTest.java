package io.jwip.tcp;

import static io.jwip.tcp.Harness.A;
import static io.jwip.tcp.Harness.F;
import static io.jwip.tcp.Harness.R;
import static io.jwip.tcp.Harness.S;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwip.Err;
import io.jwip.JwipOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** RST processing (RFC 9293, RFC 5961 challenge ACKs, RFC 1337) and RST generation. */
class TcpRstTest {
    static final int P = 77000;
    Harness h = new Harness();
    final App app = new App();

    @AfterEach
    void poolsFull() {
        h.assertPoolsFull();
    }

    private int established() {
        TcpPcb l = h.listen(app, 4);
        int iss = h.passiveOpen(app, P);
        h.tcp.close(l);
        return iss;
    }

    @Test
    void exactRst_resets() {
        established();
        h.inject(R, P + 1, 0);
        h.none();
        assertEquals(Err.RST, app.err);
    }

    @Test
    void inWindowRst_getsChallengeAck_connectionSurvives() {
        int iss = established();
        TcpPcb c = app.pcb;
        h.inject(R, P + 100, 0);
        h.expect(A, iss + 1, P + 1);
        assertEquals(TcpState.ESTABLISHED, c.state());
        assertEquals(1, h.tcp.stats().challengeAcks());
        h.tcp.abort(c);
        h.next();
    }

    @Test
    void outOfWindowRst_isDroppedSilently() {
        int iss = established();
        TcpPcb c = app.pcb;
        h.inject(R, P + 1 + 100000, 0);
        h.inject(R, P, 0); // just before the window
        h.none();
        assertEquals(TcpState.ESTABLISHED, c.state());
        h.tcp.abort(c);
        h.expect(R | A, iss + 1, P + 1);
    }

    @Test
    void synInSynchronisedState_getsChallengeAck() {
        int iss = established();
        TcpPcb c = app.pcb;
        h.seg(S, P + 12345, 0).mss(1460).send();
        h.expect(A, iss + 1, P + 1);
        assertEquals(TcpState.ESTABLISHED, c.state());
        h.tcp.abort(c);
        h.next();
    }

    @Test
    void challengeAcks_areRateLimited() {
        JwipOptions o = new JwipOptions();
        o.tcpChallengeAcksPerSecond = 3;
        h = new Harness(o);
        int iss = established();
        TcpPcb c = app.pcb;
        for (int i = 0; i < 5; i++) {
            h.inject(R, P + 10 + i, 0);
        }
        assertEquals(3, h.link.sent.size());
        h.link.sent.clear();
        assertEquals(3, h.tcp.stats().challengeAcks());
        assertEquals(2, h.tcp.stats().challengeAcksSuppressed());
        h.advance(1000);
        h.inject(R, P + 50, 0);
        h.expect(A, iss + 1, P + 1);
        h.tcp.abort(c);
        h.next();
    }

    @Test
    void rstInSynSent_withoutAck_isIgnored() {
        TcpPcb c = h.tcp.newPcb();
        app.attach(h.tcp, c);
        h.tcp.connect(c, Harness.PEER, Harness.PPORT, app);
        h.one();
        h.seg(R, 0, 0).to(c.localPort()).wnd(0).send();
        assertEquals(TcpState.SYN_SENT, c.state());
        h.tcp.close(c);
    }

    @Test
    void segmentToClosedPort_getsRst() {
        // SYN without ACK: <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>
        h.seg(S, P, 0).to(81).mss(1460).send();
        h.expect(R | A, 0, P + 1);
        // with ACK: <SEQ=SEG.ACK><CTL=RST>
        h.seg(A, P, 424242).to(81).data(new byte[] {1, 2, 3}).send();
        h.expect(R, 424242, 0);
        // data and FIN count in SEG.LEN
        h.seg(F, P, 0).to(81).data(new byte[] {1, 2, 3}).send();
        h.expect(R | A, 0, P + 4);
        // never a RST for a RST
        h.seg(R, P, 0).to(81).send();
        h.none();
    }

    @Test
    void badAckInListen_getsRst() {
        TcpPcb l = h.listen(app, 4);
        h.inject(A, P, 999);
        h.expect(R, 999, 0);
        assertEquals(0, h.tcp.stats().count(TcpState.SYN_RCVD));
        h.tcp.close(l);
    }

    @Test
    void badAckInSynSent_getsRst() {
        TcpPcb c = h.tcp.newPcb();
        app.attach(h.tcp, c);
        h.tcp.connect(c, Harness.PEER, Harness.PPORT, app);
        Harness.Seg syn = h.one();
        h.seg(S | A, P, syn.seq + 5).to(c.localPort()).mss(1460).send();
        h.expect(R, syn.seq + 5, 0);
        assertEquals(TcpState.SYN_SENT, c.state());
        h.tcp.close(c);
    }

    @Test
    void badAckInSynRcvd_getsRst() {
        TcpPcb l = h.listen(app, 4);
        h.seg(S, P, 0).mss(1460).send();
        Harness.Seg sa = h.expectAnySeq(S | A, P + 1);
        h.inject(A, P + 1, sa.seq + 7);
        h.expect(R, sa.seq + 7, 0);
        assertEquals(1, h.tcp.stats().count(TcpState.SYN_RCVD));
        h.tcp.close(l);
        h.next();
    }

    @Test
    void retransmittedSynInSynRcvd_getsSynAckAgain() {
        TcpPcb l = h.listen(app, 4);
        h.seg(S, P, 0).mss(1460).send();
        Harness.Seg sa = h.expectAnySeq(S | A, P + 1);
        h.seg(S, P, 0).mss(1460).send();
        Harness.Seg sa2 = h.expectAnySeq(S | A, P + 1);
        assertEquals(sa.seq, sa2.seq);
        h.tcp.close(l);
        h.next();
    }

    // ---------------------------------------------------------------- TIME_WAIT

    /** Active close to TIME_WAIT; returns our ISS. */
    private int timeWait() {
        int iss = established();
        h.tcp.close(app.pcb);
        h.expect(F | A, iss + 1, P + 1);
        h.inject(F | A, P + 1, iss + 2);
        h.expect(A, iss + 2, P + 2);
        assertEquals(1, h.tcp.stats().timeWaitCount());
        return iss;
    }

    @Test
    void timeWait_ignoresRst_rfc1337() {
        timeWait();
        h.inject(R, P + 2, 0);
        h.none();
        assertEquals(1, h.tcp.stats().timeWaitCount());
        h.advance(2L * h.opt.tcpMslMs);
        assertEquals(0, h.tcp.stats().timeWaitCount());
    }

    @Test
    void timeWait_acksRetransmittedFin_andRestartsTimer() {
        int iss = timeWait();
        h.advance(h.opt.tcpMslMs);
        h.inject(F | A, P + 1, iss + 2); // our ACK was lost: the FIN again
        h.expect(A, iss + 2, P + 2);
        h.advance(h.opt.tcpMslMs + 1);
        assertEquals(1, h.tcp.stats().timeWaitCount(), "restarted by the FIN");
        h.advance(h.opt.tcpMslMs);
        assertEquals(0, h.tcp.stats().timeWaitCount());
        assertTrue(h.trace.toString().contains("TIME_WAIT -> CLOSED (2MSL timeout)"));
    }

    @Test
    void timeWait_acksOldDuplicateSegment() {
        int iss = timeWait();
        h.inject(A, P - 500, iss + 2, 8760, new byte[] {9});
        h.expect(A, iss + 2, P + 2);
        h.inject(A, P + 2, iss + 2); // an in-sequence bare ACK needs no answer
        h.none();
        h.advance(2L * h.opt.tcpMslMs);
    }

    @Test
    void timeWait_newSynWithHigherSeq_opensNewConnection() {
        timeWait();
        TcpPcb l = h.listen(app, 4);
        app.pcb = null;
        h.seg(S, P + 100000, 0).mss(1460).send();
        h.expectAnySeq(S | A, P + 100001);
        assertEquals(0, h.tcp.stats().timeWaitCount());
        h.tcp.close(l);
        h.next();
    }
}
