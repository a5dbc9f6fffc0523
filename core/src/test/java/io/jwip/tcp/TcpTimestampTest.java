package io.jwip.tcp;

import static io.jwip.tcp.Harness.A;
import static io.jwip.tcp.Harness.R;
import static io.jwip.tcp.Harness.S;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwip.Err;
import io.jwip.JwipOptions;
import io.jwip.stats.Drop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** RFC 7323 timestamps: negotiation, TSval/TSecr on every segment, RTTM and PAWS. */
class TcpTimestampTest {
    static final int P = 100;
    Harness h;
    final App app = new App();

    @AfterEach
    void poolsFull() {
        h.assertPoolsFull();
    }

    private static JwipOptions ts() {
        JwipOptions o = new JwipOptions();
        o.tcpTimestamps = true;
        o.tcpRtoMinMs = 10;
        return o;
    }

    private void finish() {
        h.tcp.abort(app.pcb);
        assertTrue(h.next().has(R));
        h.link.sent.clear();
    }

    /** Active open with timestamps both ways; returns our ISS. */
    private int open() {
        h = new Harness(ts());
        TcpPcb c = h.tcp.newPcb();
        app.attach(h.tcp, c);
        assertEquals(Err.OK, h.tcp.connect(c, Harness.PEER, Harness.PPORT, app));
        Harness.Seg syn = h.one();
        assertTrue(syn.ts, "offered in the SYN");
        assertEquals((int) h.now, syn.tsVal);
        assertEquals(0, syn.tsEcr);
        app.pcb = c;
        h.now += 30; // the SYN,ACK comes 30 ms later
        h.stack.timers(h.now);
        h.seg(S | A, P, syn.seq + 1).to(c.localPort()).mss(1460).ts(5000, syn.tsVal).send();
        Harness.Seg ack = h.one();
        assertTrue(ack.ts, "every segment carries one once agreed");
        assertEquals(5000, ack.tsEcr, "echoes the peer's TSval");
        assertEquals(32, ack.hdrLen);
        assertTrue(c.timestamps());
        assertEquals(1460 - 12, c.mss(), "the option's 12 bytes come out of the MSS");
        return syn.seq;
    }

    @Test
    void negotiated_dataSegmentsCarryTimestamps_andFullSegmentsStayWithinTheMtu() {
        int iss = open();
        h.tcp.setNoDelay(app.pcb, true);
        h.tcp.write(app.pcb, new byte[3000], 0, 3000);
        Harness.Seg s1 = h.next();
        assertTrue(s1.ts);
        assertEquals(1448, s1.data.length);
        assertEquals(20 + 32 + 1448, 1500, "an MTU-sized packet");
        assertEquals(5000, s1.tsEcr);
        h.link.sent.clear();
        h.seg(A, P + 1, iss + 1 + 3000).to(app.pcb.localPort()).ts(5001, s1.tsVal).send();
        finish();
    }

    @Test
    void rttm_everyAckOfNewDataGivesASample_fromTheEcho() {
        int iss = open();
        h.tcp.write(app.pcb, new byte[100], 0, 100);
        Harness.Seg s = h.one();
        h.now += 80; // 80 ms later the ACK echoes the data's TSval
        h.stack.timers(h.now);
        h.seg(A, P + 1, iss + 101).to(app.pcb.localPort()).ts(5002, s.tsVal).send();
        // handshake sample 30 ms, then 80 ms: SRTT = 7/8*30 + 1/8*80 = 36.25 -> 36 (integer), RTTVAR grows
        assertTrue(app.pcb.rto() > 36 && app.pcb.rto() < 200, "rto from the timestamp samples: " + app.pcb.rto());
        finish();
    }

    @Test
    void paws_oldTimestampIsDroppedAndAnsweredWithAck() {
        int iss = open();
        h.seg(A, P + 1, iss + 1).to(app.pcb.localPort()).data(new byte[] {1, 2, 3}).ts(6000, 0).send();
        Harness.Seg a1 = h.one();
        assertEquals(P + 4, a1.ack);
        assertEquals(6000, a1.tsEcr, "TS.Recent follows in-sequence segments");
        // an old duplicate with an older timestamp (and new-looking sequence numbers): PAWS drops it
        long drops = h.stack.stats().drops(Drop.TCP_PAWS);
        h.seg(A, P + 4, iss + 1).to(app.pcb.localPort()).data(new byte[] {9, 9}).ts(5999, 0).send();
        Harness.Seg a2 = h.one();
        assertEquals(P + 4, a2.ack, "not accepted");
        assertEquals(drops + 1, h.stack.stats().drops(Drop.TCP_PAWS));
        assertEquals(3, app.received.size());
        finish();
    }

    @Test
    void notOfferedByThePeer_noTimestampsAnywhere() {
        h = new Harness(ts());
        TcpPcb l = h.listen(app, 4);
        int iss = h.passiveOpen(app, P); // the peer's SYN has no timestamps
        h.tcp.close(l);
        assertFalse(app.pcb.timestamps());
        h.tcp.write(app.pcb, new byte[10], 0, 10);
        Harness.Seg s = h.one();
        assertFalse(s.ts);
        assertEquals(20, s.hdrLen);
        h.inject(A, P + 1, iss + 11, 8760, new byte[0]);
        finish();
    }

    @Test
    void passiveOpen_withTimestamps_synAckEchoes() {
        h = new Harness(ts());
        TcpPcb l = h.listen(app, 4);
        h.seg(S, P, 0).mss(1460).ws(7).ts(42, 0).send();
        Harness.Seg sa = h.expectAnySeq(S | A, P + 1);
        assertTrue(sa.ts);
        assertEquals(42, sa.tsEcr);
        assertEquals(0, sa.ws, "scaling too (our 8760-byte window needs shift 0)");
        h.seg(A, P + 1, sa.seq + 1).ts(43, sa.tsVal).send();
        h.tcp.close(l);
        assertTrue(app.pcb.timestamps());
        finish();
    }
}
