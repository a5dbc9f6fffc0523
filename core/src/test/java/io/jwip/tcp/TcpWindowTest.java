package io.jwip.tcp;

import static io.jwip.tcp.Harness.A;
import static io.jwip.tcp.Harness.R;
import static io.jwip.tcp.Harness.S;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwip.Err;
import io.jwip.JwipOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Windows: RFC 7323 window scaling, receiver and sender silly-window avoidance (RFC 9293 3.8.6.2), the
 * persist timer with zero-window probes and backoff (RFC 9293 3.8.6.1), and keepalive (RFC 1122 4.2.3.6).
 */
class TcpWindowTest {
    static final int P = 100;
    static final int MSS = 1460;
    Harness h;
    final App app = new App();

    @AfterEach
    void poolsFull() {
        h.assertPoolsFull();
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 13 + seed);
        }
        return b;
    }

    private void finish() {
        h.tcp.abort(app.pcb);
        assertTrue(h.next().has(R));
        h.link.sent.clear();
    }

    private static JwipOptions big() {
        JwipOptions o = new JwipOptions();
        o.tcpWnd = 256 * 1024;
        o.tcpSndBuf = 256 * 1024;
        o.tcpOooMaxBytes = 256 * 1024;
        o.pbufs = 256;
        o.tcpSegs = 256;
        return o;
    }

    // ---------------------------------------------------------------- window scaling

    @Test
    void passiveOpen_withScalingPeer_answersWithOurShift_andScalesBothWays() {
        h = new Harness(big());
        TcpPcb l = h.listen(app, 4);
        h.seg(S, P, 0).wnd(65535).mss(1460).ws(2).send();
        Harness.Seg sa = h.expectAnySeq(S | A, P + 1);
        assertEquals(3, sa.ws, "256 KiB needs shift 3 (65535 << 2 is too small)");
        assertEquals(65535, sa.wnd, "a SYN's window is not scaled");
        // the peer's ACK offers 1000 << 2 = 4000 bytes
        h.inject(A, P + 1, sa.seq + 1, 1000, new byte[0]);
        h.tcp.close(l);
        assertEquals(3, app.pcb.rcvScale());
        assertEquals(2, app.pcb.sndScale());
        assertEquals(4000, app.pcb.sndWnd());
        h.tcp.setNoDelay(app.pcb, true);
        h.tcp.write(app.pcb, bytes(5000, 1), 0, 5000);
        Harness.Seg a = h.next();
        Harness.Seg b = h.one();
        // two full segments fit 4000; the 1080 left are less than half the largest window (65535, from
        // the SYN): sender SWS avoidance keeps the rest
        assertEquals(2 * MSS, a.data.length + b.data.length);
        // our window field is scaled: 262144 >> 3
        assertEquals(256 * 1024 >> 3, a.wnd);
        // data beyond 64 KiB is accepted: 50 segments in a row fit our window
        int seq = P + 1;
        for (int i = 0; i < 50; i++) {
            h.inject(A, seq, sa.seq + 1 + 2 * MSS, 1000, bytes(MSS, i));
            seq += MSS;
        }
        assertEquals(50 * MSS, app.received.size());
        h.link.sent.clear();
        finish();
    }

    @Test
    void passiveOpen_withoutScalingPeer_sendsNoOption_andCapsTheWindowAt65535() {
        h = new Harness(big());
        TcpPcb l = h.listen(app, 4);
        h.seg(S, P, 0).mss(1460).send();
        Harness.Seg sa = h.expectAnySeq(S | A, P + 1);
        assertEquals(-1, sa.ws, "RFC 7323: no option unless the SYN had one");
        h.inject(A, P + 1, sa.seq + 1, 8760, new byte[0]);
        h.tcp.close(l);
        assertEquals(0, app.pcb.rcvScale());
        h.inject(A, P + 1, sa.seq + 1, 8760, bytes(100, 1));
        Harness.Seg ack = h.one();
        assertEquals(65535, ack.wnd, "unscaled: at most 65535");
        finish();
    }

    @Test
    void activeOpen_offersScaling_andFallsBackWhenThePeerDoesNot() {
        h = new Harness(big());
        TcpPcb c = h.tcp.newPcb();
        app.attach(h.tcp, c);
        assertEquals(Err.OK, h.tcp.connect(c, Harness.PEER, Harness.PPORT, app));
        Harness.Seg syn = h.one();
        assertEquals(3, syn.ws);
        assertEquals(1460, syn.mss);
        h.seg(S | A, P, syn.seq + 1).to(c.localPort()).mss(1460).send();
        Harness.Seg ack = h.one();
        assertEquals(65535, ack.wnd, "no scaling agreed: window capped, not shifted");
        assertEquals(0, c.rcvScale());
        assertEquals(0, c.sndScale());
        finish();
    }

    @Test
    void activeOpen_scalingAgreed() {
        h = new Harness(big());
        TcpPcb c = h.tcp.newPcb();
        app.attach(h.tcp, c);
        h.tcp.connect(c, Harness.PEER, Harness.PPORT, app);
        Harness.Seg syn = h.one();
        h.seg(S | A, P, syn.seq + 1).to(c.localPort()).wnd(65535).mss(1460).ws(7).send();
        Harness.Seg ack = h.one();
        assertEquals(256 * 1024 >> 3, ack.wnd);
        assertEquals(65535, c.sndWnd(), "the SYN,ACK's window is not scaled");
        h.seg(A, P + 1, syn.seq + 1).to(c.localPort()).wnd(1000).send();
        assertEquals(1000 << 7, c.sndWnd());
        finish();
    }

    @Test
    void scalingSwitchedOff_noOptionOffered() {
        JwipOptions o = big();
        o.tcpWindowScaling = false;
        h = new Harness(o);
        TcpPcb c = h.tcp.newPcb();
        app.attach(h.tcp, c);
        h.tcp.connect(c, Harness.PEER, Harness.PPORT, app);
        assertEquals(-1, h.one().ws);
        h.tcp.abort(c);
    }

    // ---------------------------------------------------------------- silly window syndrome

    @Test
    void receiverSws_smallOpeningsAreNotAnnounced() {
        h = new Harness(new JwipOptions());
        app.autoRecved = false;
        TcpPcb l = h.listen(app, 4);
        int iss = h.passiveOpen(app, P);
        h.tcp.close(l);
        int d = iss + 1;
        // the peer fills the whole 8760-byte window; the app reads nothing
        int seq = P + 1;
        for (int i = 0; i < 6; i++) {
            h.inject(A, seq, d, 8760, bytes(MSS, i));
            seq += MSS;
            h.link.sent.clear();
        }
        assertEquals(0, app.pcb.rcvWnd());
        // the app consumes 100 bytes at a time: no window update for such small openings
        for (int i = 0; i < 10; i++) {
            h.tcp.recved(app.pcb, 100);
            h.none();
        }
        // ... until the window could open by an MSS: then one update with the whole opening
        h.tcp.recved(app.pcb, 460);
        Harness.Seg u = h.one();
        assertEquals(1460, u.wnd);
        // a probe (zero-length, below the window) is answered with the window, still not a silly one
        h.tcp.recved(app.pcb, 10);
        h.none();
        h.inject(A, seq - 1, d, 8760, new byte[0]);
        assertEquals(1460, h.one().wnd, "the right edge stays put");
        finish();
    }

    @Test
    void senderSws_smallUsableWindowIsNotUsed_butHalfTheMaxWindowIs() {
        h = new Harness(new JwipOptions());
        TcpPcb l = h.listen(app, 4);
        int iss = h.passiveOpen(app, P); // the peer offered 8760
        h.tcp.close(l);
        int d = iss + 1;
        h.tcp.setNoDelay(app.pcb, true);
        h.inject(A, P + 1, d, 1000, new byte[0]); // the window shrinks to 1000 (< 8760/2)
        h.tcp.write(app.pcb, bytes(MSS, 1), 0, MSS);
        h.none(); // 1000 bytes would be a silly segment for a peer that once offered 8760
        h.inject(A, P + 1, d, 4380, new byte[0]); // half the largest window: a partial segment may go
        Harness.Seg s = h.one();
        assertEquals(d, s.seq);
        assertEquals(1460, s.data.length, "4380 covers the whole segment");
        h.inject(A, P + 1, d + MSS, 4380, new byte[0]);
        finish();
    }

    @Test
    void segmentIsSplit_toFitAPeerWhoseWindowIsAlwaysSmall() {
        h = new Harness(new JwipOptions());
        TcpPcb l = h.listen(app, 4);
        h.seg(S, P, 0).wnd(1000).mss(1460).send();
        Harness.Seg sa = h.expectAnySeq(S | A, P + 1);
        h.inject(A, P + 1, sa.seq + 1, 1000, new byte[0]);
        h.tcp.close(l);
        int d = sa.seq + 1;
        byte[] data = bytes(MSS, 3);
        h.tcp.write(app.pcb, data, 0, MSS);
        Harness.Seg a = h.one();
        assertEquals(1000, a.data.length, "split to the window (at least half the largest window)");
        h.inject(A, P + 1, d + 1000, 1000, new byte[0]);
        Harness.Seg b = h.one();
        assertEquals(d + 1000, b.seq);
        assertEquals(460, b.data.length);
        h.inject(A, P + 1, d + MSS, 1000, new byte[0]);
        assertEquals(MSS, app.sentBytes);
        finish();
    }

    @Test
    void zeroReceiveWindow_stillAcceptsTheAckOfAnUnacceptableSegment() {
        h = new Harness(new JwipOptions());
        app.autoRecved = false;
        TcpPcb l = h.listen(app, 4);
        int iss = h.passiveOpen(app, P);
        h.tcp.close(l);
        int d = iss + 1;
        int seq = P + 1;
        for (int i = 0; i < 6; i++) { // the peer fills our window; the app reads nothing
            h.inject(A, seq, d, 8760, bytes(MSS, i));
            seq += MSS;
        }
        h.link.sent.clear();
        assertEquals(0, app.pcb.rcvWnd());
        h.tcp.write(app.pcb, bytes(100, 1), 0, 100);
        assertEquals(100, h.one().data.length);
        // the peer's next segment, at RCV.NXT, lies beyond our (zero) window: unacceptable, but its ACK
        // counts (RFC 9293 3.10.7.4 "special allowance"); its data is dropped and answered with an ACK.
        // (Elsewhere than RCV.NXT the ACK is not processed: TcpHeldForeverTest.zeroReceiveWindow_*.)
        h.inject(A, seq, d + 100, 8760, bytes(10, 9));
        assertEquals(100, app.sentBytes, "the ACK was processed");
        Harness.Seg a = h.one();
        assertEquals(seq, a.ack);
        assertEquals(0, a.wnd);
        finish();
    }

    // ---------------------------------------------------------------- persist timer

    @Test
    void zeroWindow_isProbedWithGrowingIntervals_andDataResumesWhenItOpens() {
        h = new Harness(new JwipOptions());
        TcpPcb l = h.listen(app, 4);
        int iss = h.passiveOpen(app, P);
        h.tcp.close(l);
        int d = iss + 1;
        h.inject(A, P + 1, d, 0, new byte[0]);
        h.tcp.write(app.pcb, bytes(500, 1), 0, 500);
        h.none();
        int rto = app.pcb.rto();
        int interval = rto;
        for (int i = 0; i < 5; i++) {
            h.advance(interval - 1);
            h.none();
            h.advance(1);
            Harness.Seg probe = h.one();
            assertEquals(d - 1, probe.seq, "probe below the window: the peer must answer");
            assertEquals(0, probe.data.length);
            h.inject(A, P + 1, d, 0, new byte[0]); // still zero
            h.none();
            interval *= 2;
        }
        assertEquals(5, h.tcp.stats().persistProbes());
        assertEquals(0, h.tcp.stats().rtoExpiries(), "probes are not retransmissions: no give-up");
        // the window opens: the data goes at once
        h.inject(A, P + 1, d, 8760, new byte[0]);
        Harness.Seg s = h.one();
        assertEquals(d, s.seq);
        assertEquals(500, s.data.length);
        h.inject(A, P + 1, d + 500, 8760, new byte[0]);
        h.advance(60000);
        h.none(); // the persist timer is off
        finish();
    }

    @Test
    void persistInterval_isBoundedByOption() {
        JwipOptions o = new JwipOptions();
        o.tcpPersistMaxMs = 1000;
        h = new Harness(o);
        TcpPcb l = h.listen(app, 4);
        int iss = h.passiveOpen(app, P);
        h.tcp.close(l);
        h.inject(A, P + 1, iss + 1, 0, new byte[0]);
        h.tcp.write(app.pcb, bytes(10, 1), 0, 10);
        for (int i = 0; i < 10; i++) {
            h.advance(1000);
            assertEquals(iss, h.one().seq);
        }
        finish();
    }

    // ---------------------------------------------------------------- keepalive

    private static JwipOptions keep() {
        JwipOptions o = new JwipOptions();
        o.tcpKeepalive = true;
        o.tcpKeepIdleMs = 10000;
        o.tcpKeepIntervalMs = 1000;
        o.tcpKeepCount = 3;
        return o;
    }

    @Test
    void keepalive_probesAnIdleConnection_andAnAnswerKeepsItAlive() {
        h = new Harness(keep());
        TcpPcb l = h.listen(app, 4);
        int iss = h.passiveOpen(app, P);
        h.tcp.close(l);
        h.advance(9999);
        h.none();
        h.advance(1);
        Harness.Seg k = h.one();
        assertEquals(iss, k.seq, "SEG.SEQ = SND.NXT - 1");
        assertEquals(P + 1, k.ack);
        assertEquals(1, h.tcp.stats().keepalivesSent());
        h.inject(A, P + 1, iss + 1, 8760, new byte[0]); // the peer answers
        h.advance(9999);
        h.none();
        h.advance(1);
        assertEquals(iss, h.one().seq);
        finish();
    }

    @Test
    void keepalive_unansweredProbes_resetTheConnection() {
        h = new Harness(keep());
        TcpPcb l = h.listen(app, 4);
        int iss = h.passiveOpen(app, P);
        h.tcp.close(l);
        h.advance(10000);
        assertEquals(iss, h.one().seq);
        h.advance(1000);
        assertEquals(iss, h.one().seq);
        h.advance(1000);
        assertEquals(iss, h.one().seq);
        h.advance(1000);
        Harness.Seg r = h.one();
        assertTrue(r.has(R));
        assertEquals(Err.TIMEOUT, app.err);
        assertEquals(3, h.tcp.stats().keepalivesSent());
    }

    @Test
    void keepalive_offByDefault_perConnectionSwitch() {
        h = new Harness(new JwipOptions());
        TcpPcb l = h.listen(app, 4);
        int iss = h.passiveOpen(app, P);
        h.tcp.close(l);
        h.advance(3 * 3600 * 1000L);
        h.none();
        assertEquals(Err.OK, h.tcp.setKeepAlive(app.pcb, true));
        h.advance(h.opt.tcpKeepIdleMs);
        assertEquals(iss, h.one().seq);
        h.tcp.setKeepAlive(app.pcb, false);
        h.advance(3 * 3600 * 1000L);
        h.none();
        assertNotNull(app.pcb);
        finish();
    }
}
