package io.jwip.tcp;

import static io.jwip.tcp.Harness.A;
import static io.jwip.tcp.Harness.R;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwip.Err;
import io.jwip.JwipOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Congestion control at the packet level: RFC 6928 initial window, RFC 5681 slow start, congestion
 * avoidance and the loss window after a timeout, RFC 6582 NewReno fast retransmit and fast recovery.
 * The scripted peer offers a 65535-byte window, so cwnd alone decides what may be in flight.
 */
class TcpCongestionTest {
    static final int P = 100;
    static final int MSS = 1460;
    static final int WND = 65535;
    Harness h;
    final App app = new App();

    @AfterEach
    void poolsFull() {
        h.assertPoolsFull();
    }

    private static JwipOptions opts() {
        JwipOptions o = new JwipOptions();
        o.tcpSndBuf = 64 * 1024;
        o.tcpSegs = 128;
        o.pbufs = 128;
        return o;
    }

    /** Established passive connection; the peer then offers WND. Returns ISS + 1 (first data byte). */
    private int open(JwipOptions o) {
        h = new Harness(o);
        TcpPcb l = h.listen(app, 4);
        int iss = h.passiveOpen(app, P);
        h.tcp.close(l);
        h.inject(A, P + 1, iss + 1, WND, new byte[0]);
        h.none();
        return iss + 1;
    }

    private void write(int n) {
        assertEquals(Err.OK, h.tcp.write(app.pcb, new byte[n], 0, n));
    }

    /** Drains the segments sent, checks they are full data segments in order from {@code seq}; returns how many. */
    private int drain(int seq) {
        int n = 0;
        while (!h.link.sent.isEmpty()) {
            Harness.Seg s = h.next();
            assertEquals(seq + n * MSS, s.seq, "segment " + n + " " + s);
            assertEquals(MSS, s.data.length);
            n++;
        }
        return n;
    }

    private void ack(int ackNo) {
        h.inject(A, P + 1, ackNo, WND, new byte[0]);
    }

    private void finish() {
        h.tcp.abort(app.pcb);
        Harness.Seg r = h.next();
        assertTrue(r.has(R));
        h.link.sent.clear();
    }

    @Test
    void initialWindow_isTenSegments_rfc6928() {
        int d = open(opts());
        assertEquals(10 * MSS, app.pcb.cwnd(), "min(10*MSS, max(2*MSS, 14600))");
        write(20 * MSS);
        assertEquals(10, drain(d), "exactly the initial window goes");
        finish();
    }

    @Test
    void initialWindow_isCappedByOption() {
        JwipOptions o = opts();
        o.tcpInitialCwndMax = 2 * MSS;
        int d = open(o);
        write(10 * MSS);
        assertEquals(2, drain(d));
        finish();
    }

    @Test
    void slowStart_growsByOneMssPerAck_thenCongestionAvoidanceByOneMssPerWindow() {
        int d = open(opts());
        write(40 * MSS);
        assertEquals(10, drain(d));
        // An ACK of two segments grows cwnd by one MSS (min(N, SMSS)): two segments leave for the
        // two acknowledged, one more for the growth.
        ack(d + 2 * MSS);
        assertEquals(11 * MSS, app.pcb.cwnd());
        assertEquals(3, drain(d + 10 * MSS));
        // Each ACK of one segment in slow start: one out for the ACK, one for the growth.
        ack(d + 3 * MSS);
        assertEquals(12 * MSS, app.pcb.cwnd());
        assertEquals(2, drain(d + 13 * MSS));
        finish();
    }

    @Test
    void congestionAvoidance_addsOneMssPerCwndOfAckedBytes() {
        int d = open(opts());
        write(40 * MSS);
        assertEquals(10, drain(d));
        // a timeout: ssthresh = max(FlightSize/2, 2*MSS) = 5 MSS, cwnd = 1 MSS
        h.advance(app.pcb.rto());
        assertEquals(5 * MSS, app.pcb.ssthresh());
        assertEquals(MSS, app.pcb.cwnd());
        assertEquals(1, drain(d), "the loss window: one segment");
        // slow start up to ssthresh: 1 -> 2 -> 3 -> 4 -> 5 MSS (one ACK per segment)
        int una = d;
        int expectCwnd = MSS;
        while (app.pcb.cwnd() < app.pcb.ssthresh()) {
            una += MSS;
            ack(una);
            expectCwnd += MSS;
            assertEquals(expectCwnd, app.pcb.cwnd(), "slow start");
            h.link.sent.clear();
        }
        assertEquals(5 * MSS, app.pcb.cwnd());
        // congestion avoidance: cwnd grows by one MSS only after a whole cwnd (5 MSS) is acknowledged
        for (int i = 1; i <= 4; i++) {
            una += MSS;
            ack(una);
            assertEquals(5 * MSS, app.pcb.cwnd(), "after " + i + " ACKs in CA");
        }
        una += MSS;
        ack(una);
        assertEquals(6 * MSS, app.pcb.cwnd(), "one MSS after a window's worth of ACKs");
        h.link.sent.clear();
        finish();
    }

    @Test
    void threeDuplicateAcks_causeExactlyOneFastRetransmit() {
        int d = open(opts());
        write(40 * MSS);
        assertEquals(10, drain(d));
        ack(d + MSS); // segment 2 is lost: the peer acknowledges segment 1, then repeats it
        assertEquals(2, drain(d + 10 * MSS));
        ack(d + MSS);
        h.none();
        ack(d + MSS);
        h.none();
        ack(d + MSS); // the third duplicate
        Harness.Seg r = h.one();
        assertEquals(d + MSS, r.seq, "the missing segment, at once (no timeout)");
        assertEquals(MSS, r.data.length);
        assertEquals(1, h.tcp.stats().fastRetransmits());
        assertTrue(app.pcb.inFastRecovery());
        // FlightSize was 11 segments: ssthresh = 5.5 MSS, cwnd = ssthresh + 3 MSS
        assertEquals(11 * MSS / 2, app.pcb.ssthresh());
        assertEquals(11 * MSS / 2 + 3 * MSS, app.pcb.cwnd());
        // More duplicates inflate cwnd (one MSS each) but never retransmit again; once cwnd exceeds the
        // flight, new data goes.
        int sentNew = 0;
        for (int i = 0; i < 8; i++) {
            ack(d + MSS);
            while (!h.link.sent.isEmpty()) {
                Harness.Seg s = h.next();
                assertEquals(d + (12 + sentNew) * MSS, s.seq, "only new data, never the hole again");
                sentNew++;
            }
        }
        assertEquals(1, h.tcp.stats().fastRetransmits());
        assertEquals(1, h.tcp.stats().recoveries());
        assertTrue(sentNew > 0, "inflated cwnd lets new data out");
        finish();
    }

    @Test
    void partialAck_inRecovery_retransmitsTheNextHole_fullAckEndsRecovery() {
        int d = open(opts());
        write(40 * MSS);
        assertEquals(10, drain(d));
        // segments 2 and 5 (index 1 and 4) are lost
        ack(d + MSS);
        assertEquals(2, drain(d + 10 * MSS)); // slow start
        for (int i = 0; i < 3; i++) {
            ack(d + MSS);
        }
        Harness.Seg r1 = h.one();
        assertEquals(d + MSS, r1.seq);
        int recover = d + 12 * MSS; // SND.MAX when recovery began
        // the retransmission fills hole 1: the peer acknowledges up to hole 2, a partial ACK
        ack(d + 4 * MSS);
        Harness.Seg r2 = h.next();
        assertEquals(d + 4 * MSS, r2.seq, "the next hole, at once");
        assertEquals(MSS, r2.data.length);
        h.link.sent.clear(); // (deflated cwnd may let a new segment out too)
        assertTrue(app.pcb.inFastRecovery(), "still in recovery");
        assertEquals(1, h.tcp.stats().partialAcks());
        assertEquals(1, h.tcp.stats().fastRetransmits(), "a partial ACK is not a new fast retransmit");
        // a full ACK (covers recover) ends recovery: cwnd = min(ssthresh, FlightSize + MSS)
        int ssthresh = app.pcb.ssthresh();
        ack(recover);
        assertFalse(app.pcb.inFastRecovery());
        assertTrue(app.pcb.cwnd() <= ssthresh, "deflated to at most ssthresh");
        h.link.sent.clear();
        finish();
    }

    @Test
    void duplicateAcks_ofDataSentBeforeATimeout_doNotStartFastRetransmit() {
        int d = open(opts());
        write(20 * MSS);
        assertEquals(10, drain(d));
        h.advance(app.pcb.rto());
        assertEquals(1, drain(d));
        // old duplicates of what was in flight before the timeout (ack below recover)
        for (int i = 0; i < 4; i++) {
            ack(d);
        }
        h.none();
        assertEquals(0, h.tcp.stats().fastRetransmits(), "RFC 6582: recover guards against a false fast retransmit");
        finish();
    }

    @Test
    void rto_setsLossWindow_andHalvesFlightIntoSsthresh_slowStartResumes() {
        int d = open(opts());
        write(20 * MSS);
        assertEquals(10, drain(d));
        h.advance(app.pcb.rto());
        assertEquals(MSS, app.pcb.cwnd(), "loss window");
        assertEquals(5 * MSS, app.pcb.ssthresh(), "max(FlightSize/2, 2*MSS)");
        assertEquals(1, drain(d), "go-back-N resends one segment, not the whole window");
        ack(d + MSS);
        assertEquals(2 * MSS, app.pcb.cwnd(), "slow start again");
        assertEquals(2, drain(d + MSS));
        finish();
    }

    @Test
    void partialAckOfASegment_trimsTheRetransmission() {
        int d = open(opts());
        write(MSS);
        assertEquals(1, drain(d));
        ack(d + 1000); // the peer took only 1000 bytes of it
        h.none();
        assertEquals(1000, app.sentBytes);
        assertEquals(MSS - 1000, app.pcb.sendQueued());
        h.advance(app.pcb.rto());
        Harness.Seg r = h.one();
        assertEquals(d + 1000, r.seq, "only the unacknowledged tail goes again");
        assertEquals(MSS - 1000, r.data.length);
        ack(d + MSS);
        assertEquals(MSS, app.sentBytes);
        finish();
    }
}
