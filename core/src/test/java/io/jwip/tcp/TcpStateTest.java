package io.jwip.tcp;

import static io.jwip.tcp.Harness.A;
import static io.jwip.tcp.Harness.F;
import static io.jwip.tcp.Harness.R;
import static io.jwip.tcp.Harness.S;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwip.Err;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One test per arrow of RFC 9293's state diagram (figure 5), named after the arrow, plus the RST arrows.
 * A scripted peer injects segments; each test states exactly which segment must come out, and ends with
 * every pool full.
 */
class TcpStateTest {
    static final int P = 5000;
    final Harness h = new Harness();
    final App app = new App();

    @AfterEach
    void poolsFull() {
        h.assertPoolsFull();
    }

    private void trace(String s) {
        assertTrue(h.trace.toString().contains(s), "trace lacks '" + s + "':\n" + h.trace);
    }

    /** Drives a connection from TIME_WAIT to CLOSED. */
    private void expireTimeWait() {
        assertEquals(1, h.tcp.stats().count(TcpState.TIME_WAIT));
        h.advance(2L * h.opt.tcpMslMs);
        assertEquals(0, h.tcp.stats().count(TcpState.TIME_WAIT));
    }

    // ---------------------------------------------------------------- opening

    @Test
    void closed_to_listen_onPassiveOpen() {
        TcpPcb l = h.listen(app, 4);
        assertEquals(TcpState.LISTEN, l.state());
        trace("CLOSED -> LISTEN (passive open)");
        h.none();
        h.tcp.close(l);
    }

    @Test
    void listen_to_closed_onClose() {
        TcpPcb l = h.listen(app, 4);
        assertEquals(Err.OK, h.tcp.close(l));
        trace("LISTEN -> CLOSED (close)");
        // the port is free again: a SYN is refused with RST
        h.seg(S, P, 0).mss(1460).send();
        h.expect(R | A, 0, P + 1);
    }

    @Test
    void listen_to_synSent_onSend() {
        // RFC 9293 3.10.2: SEND on a LISTEN connection makes it active; it keeps its local port. A
        // connection it was still accepting (here one in SYN_RCVD) is reset with the passive role.
        TcpPcb l = h.listen(app, 4);
        h.seg(S, P, 0).mss(1460).send();
        h.expectAnySeq(S | A, P + 1);
        assertEquals(Err.OK, h.tcp.connect(l, Harness.PEER, 5000, app));
        Harness.Seg rst = h.next();
        assertTrue(rst.has(R), "the half-open connection is reset: " + rst);
        assertEquals(Harness.PPORT, rst.dport);
        Harness.Seg syn = h.one();
        assertEquals("S", Harness.flagStr(syn.flags));
        assertEquals(Harness.PORT, syn.sport, "the active open keeps the listener's port");
        assertEquals(5000, syn.dport);
        assertEquals(TcpState.SYN_SENT, l.state());
        trace("LISTEN -> SYN_SENT (active open)");
        h.tcp.abort(l);
        h.none();
        // The control block went back to the listener pool, still able to listen.
        TcpPcb again = h.listen(app, 4);
        assertEquals(TcpState.LISTEN, again.state());
        h.tcp.close(again);
    }

    @Test
    void closed_to_synSent_onConnect() {
        TcpPcb c = h.tcp.newPcb();
        assertEquals(Err.OK, h.tcp.connect(c, Harness.PEER, 80, app));
        Harness.Seg syn = h.one();
        assertEquals("S", Harness.flagStr(syn.flags));
        assertEquals(1460, syn.mss, "MSS from MTU 1500");
        assertEquals(TcpState.SYN_SENT, c.state());
        trace("CLOSED -> SYN_SENT (active open)");
        h.tcp.close(c);
    }

    @Test
    void synSent_to_closed_onClose() {
        TcpPcb c = h.tcp.newPcb();
        h.tcp.connect(c, Harness.PEER, 80, app);
        h.one();
        assertEquals(Err.OK, h.tcp.close(c));
        trace("SYN_SENT -> CLOSED (close)");
        h.none();
    }

    @Test
    void synSent_to_closed_onRstAck_refused() {
        TcpPcb c = h.tcp.newPcb();
        app.attach(h.tcp, c);
        h.tcp.connect(c, Harness.PEER, Harness.PPORT, app);
        Harness.Seg syn = h.one();
        h.seg(R | A, 0, syn.seq + 1).to(c.localPort()).wnd(0).send();
        assertEquals(Err.REFUSED, app.err);
        trace("SYN_SENT -> CLOSED (rcv RST (refused))");
        h.none();
    }

    @Test
    void synSent_to_established_onSynAck() {
        int iss = h.activeOpen(app, P);
        trace("SYN_SENT -> ESTABLISHED (rcv SYN,ACK)");
        h.tcp.abort(app.pcb);
        h.expect(R | A, iss + 1, P + 1);
    }

    @Test
    void listen_to_synRcvd_onSyn() {
        TcpPcb l = h.listen(app, 4);
        h.seg(S, P, 0).mss(1000).send();
        Harness.Seg sa = h.expectAnySeq(S | A, P + 1);
        assertEquals(1460, sa.mss);
        assertEquals(1, h.tcp.stats().count(TcpState.SYN_RCVD));
        trace("LISTEN -> SYN_RCVD (rcv SYN)");
        h.tcp.close(l); // the half-open connection dies with its listener
        h.expect(R | A, sa.seq + 1, P + 1);
        assertEquals(0, h.tcp.stats().count(TcpState.SYN_RCVD));
    }

    @Test
    void synRcvd_to_listen_onRst() {
        TcpPcb l = h.listen(app, 4);
        h.seg(S, P, 0).mss(1460).send();
        h.expectAnySeq(S | A, P + 1);
        h.inject(R, P + 1, 0);
        h.none();
        trace("SYN_RCVD -> LISTEN (rcv RST)");
        assertEquals(0, h.tcp.stats().count(TcpState.SYN_RCVD));
        assertEquals(TcpState.LISTEN, l.state());
        // the listener still works
        h.passiveOpen(app, P + 100000);
        h.tcp.abort(app.pcb);
        h.next();
        h.tcp.close(l);
    }

    @Test
    void synRcvd_to_established_onAck() {
        TcpPcb l = h.listen(app, 4);
        int iss = h.passiveOpen(app, P);
        trace("SYN_RCVD -> ESTABLISHED (rcv ACK of SYN)");
        assertEquals(1, app.accepts);
        h.tcp.abort(app.pcb);
        h.expect(R | A, iss + 1, P + 1);
        h.tcp.close(l);
    }

    @Test
    void synSent_to_synRcvd_onSyn_simultaneousOpen() {
        TcpPcb c = h.tcp.newPcb();
        app.attach(h.tcp, c);
        h.tcp.connect(c, Harness.PEER, Harness.PPORT, app);
        Harness.Seg syn = h.one();
        h.seg(S, P, 0).to(c.localPort()).mss(1460).send();
        Harness.Seg sa = h.expect(S | A, syn.seq, P + 1);
        assertEquals(1460, sa.mss);
        assertEquals(TcpState.SYN_RCVD, c.state());
        trace("SYN_SENT -> SYN_RCVD (rcv SYN (simultaneous open))");
        // the peer's SYN,ACK acknowledges our SYN: ESTABLISHED, and an ACK goes back
        h.seg(S | A, P, syn.seq + 1).to(c.localPort()).mss(1460).send();
        h.expect(A, syn.seq + 1, P + 1);
        assertEquals(TcpState.ESTABLISHED, c.state());
        assertTrue(app.connected);
        trace("SYN_RCVD -> ESTABLISHED (rcv ACK of SYN)");
        h.tcp.abort(c);
        h.next();
    }

    @Test
    void synRcvd_to_finWait1_onClose() {
        TcpPcb c = h.tcp.newPcb();
        app.attach(h.tcp, c);
        h.tcp.connect(c, Harness.PEER, Harness.PPORT, app);
        Harness.Seg syn = h.one();
        int lp = c.localPort();
        h.seg(S, P, 0).to(lp).mss(1460).send();
        h.expect(S | A, syn.seq, P + 1);
        assertEquals(Err.OK, h.tcp.close(c));
        h.expect(F | A, syn.seq + 1, P + 1);
        trace("SYN_RCVD -> FIN_WAIT_1 (close)");
        // the peer acknowledges SYN and FIN, then sends its FIN
        h.seg(A, P + 1, syn.seq + 2).to(lp).send();
        trace("FIN_WAIT_1 -> FIN_WAIT_2 (rcv ACK of FIN)");
        h.seg(F | A, P + 1, syn.seq + 2).to(lp).send();
        h.expect(A, syn.seq + 2, P + 2);
        expireTimeWait();
    }

    // ---------------------------------------------------------------- closing

    /** An ESTABLISHED passive connection; returns our ISS. */
    private int established() {
        TcpPcb l = h.listen(app, 4);
        int iss = h.passiveOpen(app, P);
        h.tcp.close(l);
        return iss;
    }

    @Test
    void established_to_finWait1_onClose() {
        int iss = established();
        assertEquals(Err.OK, h.tcp.close(app.pcb));
        h.expect(F | A, iss + 1, P + 1);
        trace("ESTABLISHED -> FIN_WAIT_1 (close)");
        h.inject(F | A, P + 1, iss + 2);
        h.expect(A, iss + 2, P + 2);
        expireTimeWait();
    }

    @Test
    void established_to_closeWait_onFin() {
        int iss = established();
        TcpPcb c = app.pcb;
        h.inject(F | A, P + 1, iss + 1);
        h.expect(A, iss + 1, P + 2);
        assertEquals(TcpState.CLOSE_WAIT, c.state());
        assertTrue(app.eof);
        trace("ESTABLISHED -> CLOSE_WAIT (rcv FIN)");
        h.tcp.close(c);
        h.expect(F | A, iss + 1, P + 2);
        h.inject(A, P + 2, iss + 2);
        h.none();
    }

    @Test
    void finWait1_to_finWait2_onAckOfFin() {
        int iss = established();
        TcpPcb c = app.pcb;
        h.tcp.shutdown(c, false, true);
        h.expect(F | A, iss + 1, P + 1);
        h.inject(A, P + 1, iss + 2);
        h.none();
        assertEquals(TcpState.FIN_WAIT_2, c.state());
        trace("FIN_WAIT_1 -> FIN_WAIT_2 (rcv ACK of FIN)");
        // half-closed: still receives
        h.inject(A, P + 1, iss + 2, 8760, new byte[] {1, 2, 3});
        h.expect(A, iss + 2, P + 4);
        assertEquals(3, app.received.size());
        h.inject(F | A, P + 4, iss + 2);
        h.expect(A, iss + 2, P + 5);
        assertTrue(app.eof);
        h.tcp.close(c);
        expireTimeWait();
    }

    @Test
    void finWait1_to_closing_onFin() {
        int iss = established();
        h.tcp.close(app.pcb);
        h.expect(F | A, iss + 1, P + 1);
        // the peer's FIN crosses ours: it does not acknowledge our FIN
        h.inject(F | A, P + 1, iss + 1);
        h.expect(A, iss + 2, P + 2);
        assertEquals(1, h.tcp.stats().count(TcpState.CLOSING));
        trace("FIN_WAIT_1 -> CLOSING (rcv FIN)");
        h.inject(A, P + 2, iss + 2);
        h.none();
        trace("CLOSING -> TIME_WAIT (rcv ACK of FIN)");
        expireTimeWait();
    }

    @Test
    void finWait1_to_timeWait_onFinAck() {
        int iss = established();
        h.tcp.close(app.pcb);
        h.expect(F | A, iss + 1, P + 1);
        h.inject(F | A, P + 1, iss + 2);
        h.expect(A, iss + 2, P + 2);
        trace("FIN_WAIT_1 -> TIME_WAIT (rcv FIN,ACK)");
        expireTimeWait();
    }

    @Test
    void closeWait_to_lastAck_onClose() {
        int iss = established();
        TcpPcb c = app.pcb;
        h.inject(F | A, P + 1, iss + 1);
        h.expect(A, iss + 1, P + 2);
        h.tcp.close(c);
        h.expect(F | A, iss + 1, P + 2);
        assertEquals(1, h.tcp.stats().count(TcpState.LAST_ACK));
        trace("CLOSE_WAIT -> LAST_ACK (close)");
        h.inject(A, P + 2, iss + 2);
    }

    @Test
    void finWait2_to_timeWait_onFin() {
        int iss = established();
        h.tcp.close(app.pcb);
        h.expect(F | A, iss + 1, P + 1);
        h.inject(A, P + 1, iss + 2);
        assertEquals(1, h.tcp.stats().count(TcpState.FIN_WAIT_2));
        h.inject(F | A, P + 1, iss + 2);
        h.expect(A, iss + 2, P + 2);
        trace("FIN_WAIT_2 -> TIME_WAIT (rcv FIN)");
        assertEquals(0, h.tcp.stats().count(TcpState.FIN_WAIT_2));
        expireTimeWait();
    }

    @Test
    void closing_to_timeWait_onAckOfFin() {
        int iss = established();
        h.tcp.close(app.pcb);
        h.expect(F | A, iss + 1, P + 1);
        h.inject(F | A, P + 1, iss + 1);
        h.expect(A, iss + 2, P + 2);
        h.inject(A, P + 2, iss + 2);
        h.none();
        trace("CLOSING -> TIME_WAIT (rcv ACK of FIN)");
        expireTimeWait();
    }

    @Test
    void lastAck_to_closed_onAckOfFin() {
        int iss = established();
        app.closeOnEof = true;
        h.inject(F | A, P + 1, iss + 1);
        // closing inside the EOF callback: the ACK of their FIN rides on our FIN
        h.expect(F | A, iss + 1, P + 2);
        h.inject(A, P + 2, iss + 2);
        h.none();
        trace("LAST_ACK -> CLOSED (rcv ACK of FIN)");
        assertEquals(0, h.tcp.stats().count(TcpState.LAST_ACK));
    }

    @Test
    void timeWait_to_closed_onTimeout() {
        int iss = established();
        h.tcp.close(app.pcb);
        h.expect(F | A, iss + 1, P + 1);
        h.inject(F | A, P + 1, iss + 2);
        h.expect(A, iss + 2, P + 2);
        h.advance(2L * h.opt.tcpMslMs - 1);
        assertEquals(1, h.tcp.stats().count(TcpState.TIME_WAIT));
        h.advance(1);
        assertEquals(0, h.tcp.stats().count(TcpState.TIME_WAIT));
        trace("TIME_WAIT -> CLOSED (2MSL timeout)");
    }

    // ---------------------------------------------------------------- RST arrows to CLOSED

    @Test
    void established_to_closed_onRst() {
        int iss = established();
        h.inject(R, P + 1, 0);
        h.none();
        assertEquals(Err.RST, app.err);
        trace("ESTABLISHED -> CLOSED (rcv RST)");
    }

    @Test
    void finWait1_to_closed_onRst() {
        int iss = established();
        h.tcp.close(app.pcb);
        h.expect(F | A, iss + 1, P + 1);
        h.inject(R, P + 1, 0);
        trace("FIN_WAIT_1 -> CLOSED (rcv RST)");
        assertEquals(Err.OK, app.err, "no callback after close");
    }

    @Test
    void closeWait_to_closed_onRst() {
        int iss = established();
        h.inject(F | A, P + 1, iss + 1);
        h.expect(A, iss + 1, P + 2);
        h.inject(R, P + 2, 0);
        assertEquals(Err.RST, app.err);
        trace("CLOSE_WAIT -> CLOSED (rcv RST)");
    }

    @Test
    void lastAck_to_closed_onRst() {
        int iss = established();
        app.closeOnEof = true;
        h.inject(F | A, P + 1, iss + 1);
        h.expect(F | A, iss + 1, P + 2);
        h.inject(R, P + 2, 0);
        trace("LAST_ACK -> CLOSED (rcv RST)");
    }

    @Test
    void anyState_to_closed_onAbort_sendsRst() {
        int iss = established();
        h.tcp.abort(app.pcb);
        h.expect(R | A, iss + 1, P + 1);
        trace("ESTABLISHED -> CLOSED (abort)");
        assertNotNull(h.trace);
    }
}
