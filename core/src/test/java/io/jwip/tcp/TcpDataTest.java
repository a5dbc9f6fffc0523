package io.jwip.tcp;

import static io.jwip.tcp.Harness.A;
import static io.jwip.tcp.Harness.F;
import static io.jwip.tcp.Harness.R;
import static io.jwip.tcp.Harness.S;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwip.Err;
import io.jwip.JwipOptions;
import io.jwip.stats.Drop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Data transfer: windows, MSS, retransmission and give-up, out-of-order data, trimming, wraparound. */
class TcpDataTest {
    static final int P = 100;
    Harness h = new Harness();
    final App app = new App();

    @AfterEach
    void poolsFull() {
        h.assertPoolsFull();
    }

    private int established(int piss) {
        TcpPcb l = h.listen(app, 4);
        int iss = h.passiveOpen(app, piss);
        h.tcp.close(l);
        return iss;
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    private void finish(int iss, int sndNxt, int rcvNxt) {
        h.tcp.abort(app.pcb);
        h.expect(R | A, sndNxt, rcvNxt);
    }

    @Test
    void inOrderData_isDeliveredAndAcked() {
        int iss = established(P);
        byte[] d = bytes(1000, 1);
        h.inject(A, P + 1, iss + 1, 8760, d);
        Harness.Seg ack = h.expect(A, iss + 1, P + 1001);
        // The app consumed at once, but receiver SWS avoidance (RFC 9293 3.8.6.2.2) keeps the right edge
        // until it can move by min(RCV.BUFF/2, MSS) = 1460: 1000 bytes are not enough.
        assertEquals(8760 - 1000, ack.wnd, "right edge kept");
        assertArrayEquals(d, app.received.toByteArray());
        finish(iss, iss + 1, P + 1001);
    }

    @Test
    void write_segmentsByMss_withinPeerWindow() {
        JwipOptions o = new JwipOptions();
        h = new Harness(o);
        int iss = established(P);
        h.tcp.setNoDelay(app.pcb, true); // the 80-byte tail goes with the second segment (no Nagle)
        // the peer offers only 2000 bytes
        h.inject(A, P + 1, iss + 1, 2000, new byte[0]);
        byte[] d = bytes(3000, 2);
        assertEquals(Err.OK, h.tcp.write(app.pcb, d, 0, d.length));
        Harness.Seg s1 = h.one();
        assertEquals(1460, s1.data.length);
        assertEquals(iss + 1, s1.seq);
        // window opens: the rest goes
        h.inject(A, P + 1, iss + 1461, 8760, new byte[0]);
        Harness.Seg s2 = h.next();
        Harness.Seg s3 = h.one();
        assertEquals(1460, s2.data.length);
        assertEquals(80, s3.data.length);
        assertEquals(iss + 2921, s3.seq);
        h.inject(A, P + 1, iss + 3001, 8760, new byte[0]);
        assertEquals(3000, app.sentBytes);
        assertEquals(0, app.pcb.sendQueued());
        finish(iss, iss + 3001, P + 1);
    }

    @Test
    void write_beyondSendBuffer_returnsMem() {
        int iss = established(P);
        h.inject(A, P + 1, iss + 1, 0, new byte[0]); // zero window: nothing leaves
        byte[] d = bytes(h.opt.tcpSndBuf, 3);
        assertEquals(Err.OK, h.tcp.write(app.pcb, d, 0, d.length));
        h.none();
        assertEquals(Err.MEM, h.tcp.write(app.pcb, d, 0, 1));
        assertEquals(0, h.tcp.sndBuf(app.pcb));
        finish(iss, iss + 1, P + 1);
    }

    @Test
    void mss_isDerivedFromNetifMtu_andPeerMssLimitsSegments() {
        h.netif.setMtu(576);
        TcpPcb l = h.listen(app, 4);
        h.seg(S, P, 0).mss(500).send();
        Harness.Seg sa = h.expectAnySeq(S | A, P + 1);
        assertEquals(536, sa.mss, "576 - 40");
        h.inject(A, P + 1, sa.seq + 1);
        h.tcp.close(l);
        h.tcp.setNoDelay(app.pcb, true); // the 200-byte tail goes at once (no Nagle)
        byte[] d = bytes(1200, 4);
        h.tcp.write(app.pcb, d, 0, d.length);
        assertEquals(500, h.next().data.length);
        assertEquals(500, h.next().data.length);
        assertEquals(200, h.one().data.length);
        h.inject(A, P + 1, sa.seq + 1201, 8760, new byte[0]);
        finish(sa.seq, sa.seq + 1201, P + 1);
    }

    @Test
    void retransmission_onRto_withExponentialBackoff() {
        int iss = established(P);
        byte[] d = bytes(100, 5);
        h.tcp.write(app.pcb, d, 0, 100);
        h.expect(A, iss + 1, P + 1);
        int rto = h.opt.tcpRtoInitialMs; // no RTT sample yet... the handshake gave one of 0 ms
        rto = app.pcb.rto();
        h.advance(rto - 1);
        h.none();
        h.advance(1);
        Harness.Seg r1 = h.expect(A, iss + 1, P + 1);
        assertEquals(100, r1.data.length);
        assertEquals(2 * rto, app.pcb.rto(), "backed off");
        h.advance(2L * rto - 1);
        h.none();
        h.advance(1);
        h.expect(A, iss + 1, P + 1);
        assertEquals(4 * rto, app.pcb.rto());
        // the ACK of a retransmission gives no RTT sample (Karn): RTO stays backed off
        h.inject(A, P + 1, iss + 101, 8760, new byte[0]);
        assertEquals(4 * rto, app.pcb.rto());
        assertEquals(100, app.sentBytes);
        finish(iss, iss + 101, P + 1);
    }

    @Test
    void rttSample_setsRto_rfc6298() {
        TcpPcb l = h.listen(app, 4);
        h.seg(S, P, 0).mss(1460).send();
        Harness.Seg sa = h.expectAnySeq(S | A, P + 1);
        int iss = sa.seq;
        h.advance(100);
        h.inject(A, P + 1, iss + 1);
        h.tcp.close(l);
        // first sample R = 100: SRTT = 100, RTTVAR = 50, RTO = SRTT + 4 * RTTVAR = 300
        assertEquals(300, app.pcb.rto());
        byte[] d = bytes(10, 6);
        h.tcp.write(app.pcb, d, 0, 10);
        h.next();
        h.advance(200);
        h.inject(A, P + 1, iss + 11, 8760, new byte[0]);
        // R = 200: RTTVAR = 3/4 * 50 + 1/4 * 100 = 62.5, SRTT = 7/8 * 100 + 1/8 * 200 = 112.5 -> RTO 362
        assertEquals(362, app.pcb.rto());
        finish(iss, iss + 11, P + 1);
    }

    @Test
    void rto_isBoundedBelowByTheMinimum() {
        int iss = established(P); // a 0 ms handshake sample
        assertEquals(h.opt.tcpRtoMinMs, app.pcb.rto());
        finish(iss, iss + 1, P + 1);
    }

    @Test
    void giveUp_afterMaxRetransmissions_sendsRst_andReportsTimeout() {
        JwipOptions o = new JwipOptions();
        o.tcpMaxRtx = 3;
        h = new Harness(o);
        int iss = established(P);
        h.tcp.write(app.pcb, bytes(10, 7), 0, 10);
        h.next();
        for (int i = 0; i < 3; i++) {
            h.advance(app.pcb.rto());
            Harness.Seg r = h.one();
            assertEquals(10, r.data.length);
        }
        h.advance(60000);
        h.expect(R | A, iss + 11, P + 1);
        assertEquals(Err.TIMEOUT, app.err);
    }

    @Test
    void synGiveUp_afterSynMaxRetransmissions() {
        JwipOptions o = new JwipOptions();
        o.tcpSynMaxRtx = 2;
        h = new Harness(o);
        TcpPcb c = h.tcp.newPcb();
        app.attach(h.tcp, c);
        h.tcp.connect(c, Harness.PEER, 80, app);
        Harness.Seg syn = h.one();
        h.advance(1000);
        assertEquals(syn.seq, h.one().seq);
        h.advance(2000);
        assertEquals(syn.seq, h.one().seq);
        h.advance(4000);
        h.none();
        assertEquals(Err.TIMEOUT, app.err);
    }

    @Test
    void outOfOrder_isHeld_thenDeliveredInOrder() {
        int iss = established(P);
        byte[] d = bytes(3000, 8);
        byte[] a = java.util.Arrays.copyOfRange(d, 0, 1000);
        byte[] b = java.util.Arrays.copyOfRange(d, 1000, 2000);
        byte[] c = java.util.Arrays.copyOfRange(d, 2000, 3000);
        h.inject(A, P + 2001, iss + 1, 8760, c);
        h.expect(A, iss + 1, P + 1); // duplicate ACK
        h.inject(A, P + 1001, iss + 1, 8760, b);
        h.expect(A, iss + 1, P + 1);
        assertEquals(0, app.received.size());
        h.inject(A, P + 1, iss + 1, 8760, a);
        h.expect(A, iss + 1, P + 3001);
        assertArrayEquals(d, app.received.toByteArray());
        finish(iss, iss + 1, P + 3001);
    }

    @Test
    void outOfOrderFin_isHeldUntilTheGapFills() {
        int iss = established(P);
        byte[] d = bytes(200, 9);
        h.inject(F | A, P + 101, iss + 1, 8760, java.util.Arrays.copyOfRange(d, 100, 200));
        h.expect(A, iss + 1, P + 1);
        assertEquals(TcpState.ESTABLISHED, app.pcb.state());
        h.inject(A, P + 1, iss + 1, 8760, java.util.Arrays.copyOfRange(d, 0, 100));
        h.expect(A, iss + 1, P + 202);
        assertEquals(TcpState.CLOSE_WAIT, app.pcb.state());
        assertTrue(app.eof);
        assertArrayEquals(d, app.received.toByteArray());
        finish(iss, iss + 1, P + 202);
    }

    @Test
    void outOfOrderQueue_isBoundedBySegments() {
        JwipOptions o = new JwipOptions();
        o.tcpOooMaxSegs = 2;
        h = new Harness(o);
        int iss = established(P);
        for (int i = 1; i <= 3; i++) {
            h.inject(A, P + 1 + i * 100, iss + 1, 8760, bytes(50, i));
            h.expect(A, iss + 1, P + 1);
        }
        assertEquals(1, h.stack.stats().drops(Drop.TCP_OOSEQ_FULL));
        finish(iss, iss + 1, P + 1);
    }

    @Test
    void outOfOrderQueue_isBoundedByBytes() {
        JwipOptions o = new JwipOptions();
        o.tcpOooMaxBytes = 1000;
        h = new Harness(o);
        int iss = established(P);
        h.inject(A, P + 101, iss + 1, 8760, bytes(800, 1));
        h.expect(A, iss + 1, P + 1);
        h.inject(A, P + 1001, iss + 1, 8760, bytes(800, 2));
        h.expect(A, iss + 1, P + 1);
        assertEquals(1, h.stack.stats().drops(Drop.TCP_OOSEQ_FULL));
        finish(iss, iss + 1, P + 1);
    }

    @Test
    void overlappingRetransmission_isTrimmed() {
        int iss = established(P);
        byte[] d = bytes(300, 10);
        h.inject(A, P + 1, iss + 1, 8760, java.util.Arrays.copyOfRange(d, 0, 200));
        h.expect(A, iss + 1, P + 201);
        h.inject(A, P + 101, iss + 1, 8760, java.util.Arrays.copyOfRange(d, 100, 300));
        h.expect(A, iss + 1, P + 301);
        assertArrayEquals(d, app.received.toByteArray());
        // entirely old: a duplicate ACK, nothing delivered
        h.inject(A, P + 1, iss + 1, 8760, java.util.Arrays.copyOfRange(d, 0, 100));
        h.expect(A, iss + 1, P + 301);
        assertEquals(300, app.received.size());
        finish(iss, iss + 1, P + 301);
    }

    @Test
    void dataBeyondTheWindow_isTrimmed() {
        int iss = established(P);
        app.autoRecved = false; // the application holds what it gets: the window closes
        byte[] d = bytes(8760, 11);
        h.inject(A, P + 1, iss + 1, 8760, java.util.Arrays.copyOfRange(d, 0, 8000));
        Harness.Seg a1 = h.expect(A, iss + 1, P + 8001);
        assertEquals(760, a1.wnd);
        h.inject(A, P + 8001, iss + 1, 8760, bytes(1000, 12));
        Harness.Seg a2 = h.expect(A, iss + 1, P + 8761);
        assertEquals(0, a2.wnd);
        assertEquals(8760, app.received.size());
        // a zero window: data is not acceptable, the answer is an ACK
        h.inject(A, P + 8761, iss + 1, 8760, bytes(10, 13));
        h.expect(A, iss + 1, P + 8761);
        // the application consumes: a window update goes out
        h.tcp.recved(app.pcb, 8760);
        Harness.Seg upd = h.expect(A, iss + 1, P + 8761);
        assertEquals(8760, upd.wnd);
        finish(iss, iss + 1, P + 8761);
    }

    @Test
    void receiveSequence_wrapsAround2pow32() {
        int piss = 0xFFFFFE00;
        int iss = established(piss);
        byte[] d = bytes(1400, 14);
        h.inject(A, piss + 1, iss + 1, 8760, java.util.Arrays.copyOfRange(d, 0, 700));
        h.expect(A, iss + 1, piss + 701);
        h.inject(A, piss + 701, iss + 1, 8760, java.util.Arrays.copyOfRange(d, 700, 1400));
        Harness.Seg ack = h.expect(A, iss + 1, piss + 1401);
        assertEquals(889, ack.ack, "wrapped past zero");
        assertArrayEquals(d, app.received.toByteArray());
        finish(iss, iss + 1, piss + 1401);
    }

    @Test
    void sendSequence_wrapsAround2pow32() {
        TcpPcb l = h.listen(app, 4);
        h.tcp.isn.force = true;
        h.tcp.isn.forced = 0xFFFFFC00;
        int iss = h.passiveOpen(app, P);
        assertEquals(0xFFFFFC00, iss);
        h.tcp.close(l);
        h.tcp.setNoDelay(app.pcb, true); // the short third segment goes at once (no Nagle)
        byte[] d = bytes(3000, 15);
        h.tcp.write(app.pcb, d, 0, d.length);
        Harness.Seg s1 = h.next();
        Harness.Seg s2 = h.next();
        Harness.Seg s3 = h.one();
        assertEquals(iss + 1 + 2920, s3.seq);
        assertTrue(Integer.compareUnsigned(s3.seq, s1.seq) < 0, "numbers wrapped");
        h.inject(A, P + 1, s2.seq, 8760, new byte[0]);
        assertEquals(1460, app.sentBytes);
        h.inject(A, P + 1, iss + 3001, 8760, new byte[0]);
        assertEquals(3000, app.sentBytes);
        assertEquals(0, app.pcb.sendQueued());
        finish(iss, iss + 3001, P + 1);
    }

    @Test
    void ackForUnsentData_isAnsweredWithAck() {
        int iss = established(P);
        h.inject(A, P + 1, iss + 500);
        h.expect(A, iss + 1, P + 1);
        finish(iss, iss + 1, P + 1);
    }

    @Test
    void zeroWindow_lostWindowUpdate_probeRecovers() {
        int iss = established(P);
        h.inject(A, P + 1, iss + 1, 0, new byte[0]); // the peer's window is shut
        byte[] d = bytes(100, 16);
        assertEquals(Err.OK, h.tcp.write(app.pcb, d, 0, 100));
        h.none();
        // the peer's window update is "lost": we never see it. The probe timer fires:
        h.advance(app.pcb.rto());
        Harness.Seg probe = h.expect(A, iss, P + 1);
        assertEquals(0, probe.data.length);
        // the peer answers the out-of-window probe with its current window: the data goes
        h.inject(A, P + 1, iss + 1, 8760, new byte[0]);
        Harness.Seg data = h.expect(A, iss + 1, P + 1);
        assertArrayEquals(d, data.data);
        h.inject(A, P + 1, iss + 101, 8760, new byte[0]);
        finish(iss, iss + 101, P + 1);
    }

    @Test
    void windowProbe_isAnsweredWithAck_byTheReceiver() {
        int iss = established(P);
        h.inject(A, P, iss + 1); // SEQ = RCV.NXT - 1: out of window, must be answered
        Harness.Seg a = h.expect(A, iss + 1, P + 1);
        assertEquals(8760, a.wnd);
        finish(iss, iss + 1, P + 1);
    }
}
