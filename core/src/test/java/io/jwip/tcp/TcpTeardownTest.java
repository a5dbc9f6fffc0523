package io.jwip.tcp;

import static io.jwip.tcp.Harness.A;
import static io.jwip.tcp.Harness.F;
import static io.jwip.tcp.Harness.R;
import static io.jwip.tcp.Harness.S;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwip.JwipOptions;
import io.jwip.stats.Drop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Bounded teardown: FIN_WAIT_2 timeout, reclaiming order, backlog, TIME_WAIT table capacity, stats. */
class TcpTeardownTest {
    static final int P = 1000;
    Harness h = new Harness();
    final App app = new App();

    @AfterEach
    void poolsFull() {
        h.assertPoolsFull();
    }

    @Test
    void finWait2_closedByApp_isReleasedAfterTimeout_whenPeerNeverSendsFin() {
        TcpPcb l = h.listen(app, 4);
        int iss = h.passiveOpen(app, P);
        h.tcp.close(l);
        h.tcp.close(app.pcb);
        h.expect(F | A, iss + 1, P + 1);
        h.inject(A, P + 1, iss + 2);
        assertEquals(1, h.tcp.stats().count(TcpState.FIN_WAIT_2));
        h.advance(h.opt.tcpFinWait2TimeoutMs - 1);
        assertEquals(1, h.tcp.stats().count(TcpState.FIN_WAIT_2));
        h.none();
        h.advance(1);
        assertEquals(0, h.tcp.stats().count(TcpState.FIN_WAIT_2));
        h.expect(R | A, iss + 2, P + 1);
        assertEquals(1, h.tcp.stats().reclaimed(Tcp.RECLAIM_FIN_WAIT_2_TIMEOUT));
        assertTrue(h.trace.toString().contains("FIN_WAIT_2 -> CLOSED (FIN_WAIT_2 timeout)"));
    }

    @Test
    void finWait2_halfClosed_appStillReading_isNotKilled() {
        TcpPcb l = h.listen(app, 4);
        int iss = h.passiveOpen(app, P);
        h.tcp.close(l);
        TcpPcb c = app.pcb;
        h.tcp.shutdown(c, false, true);
        h.expect(F | A, iss + 1, P + 1);
        h.inject(A, P + 1, iss + 2);
        h.advance(10L * h.opt.tcpFinWait2TimeoutMs);
        assertEquals(TcpState.FIN_WAIT_2, c.state());
        h.inject(A, P + 1, iss + 2, 8760, new byte[] {42});
        h.expect(A, iss + 2, P + 2);
        assertEquals(1, app.received.size());
        h.inject(F | A, P + 2, iss + 2);
        h.expect(A, iss + 2, P + 3);
        h.tcp.close(c);
        h.advance(2L * h.opt.tcpMslMs);
    }

    /** Moves accepted connection {@code c} (peer port pport, peer seq ps, our seq us) to LAST_ACK. */
    private void toLastAck(TcpPcb c, int pport, int ps, int us) {
        h.injectP(pport, F | A, ps, us);
        h.next();
        h.tcp.close(c);
        h.next();
        assertEquals(TcpState.LAST_ACK, c.state());
    }

    @Test
    void reclaim_order_lastAck_closing_finWait2_oldestFirst_thenHalfOpen() {
        JwipOptions o = new JwipOptions();
        o.tcpPcbs = 4;
        o.tcpSynCookies = false; // with cookies a SYN takes no pcb: the reclaim waits for its ACK (below)
        h = new Harness(o);
        TcpPcb l = h.listen(app, 4); // the backlogs may not exceed the pool; connections complete one by one
        int[] iss = new int[4];
        for (int i = 0; i < 4; i++) {
            iss[i] = h.passiveOpen(app, 6000 + i, P);
            h.advance(100);
        }
        TcpPcb a = app.accepted.get(0), b = app.accepted.get(1), c = app.accepted.get(2), d = app.accepted.get(3);
        // d (newest) and b: LAST_ACK, b older; c: CLOSING; a: FIN_WAIT_2 closed by the app
        toLastAck(b, 6001, P + 1, iss[1] + 1);
        h.advance(100);
        toLastAck(d, 6003, P + 1, iss[3] + 1);
        h.tcp.close(c);
        h.next();
        h.injectP(6002, F | A, P + 1, iss[2] + 1);
        h.next();
        assertEquals(TcpState.CLOSING, c.state());
        h.tcp.close(a);
        h.next();
        h.injectP(6000, A, P + 1, iss[0] + 2);
        assertEquals(TcpState.FIN_WAIT_2, a.state());
        h.none();

        int[] expectVictimPort = {6001, 6003, 6002, 6000};
        int[] reason = {Tcp.RECLAIM_LAST_ACK, Tcp.RECLAIM_LAST_ACK, Tcp.RECLAIM_CLOSING, Tcp.RECLAIM_FIN_WAIT_2};
        for (int k = 0; k < 4; k++) {
            long before = h.tcp.stats().reclaimed(reason[k]);
            h.seg(S, 9000, 0).from(7000 + k).mss(1460).send();
            Harness.Seg rst = h.next();
            assertEquals("R.", Harness.flagStr(rst.flags), "the victim is reset");
            assertEquals(expectVictimPort[k], rst.dport, "victim " + k);
            Harness.Seg sa = h.one();
            assertEquals("S.", Harness.flagStr(sa.flags & ~Harness.P));
            assertEquals(before + 1, h.tcp.stats().reclaimed(reason[k]));
        }
        // now all four pcbs are half-open connections of a full backlog: a fifth SYN evicts the oldest
        h.seg(S, 9000, 0).from(7100).mss(1460).send();
        assertEquals("S.", Harness.flagStr(h.one().flags & ~Harness.P));
        assertEquals(1, h.tcp.stats().synRcvdEvicted());
        assertNull(h.tcp.table.findActive(Harness.US, Harness.PORT, Harness.PEER, 7000), "the oldest half-open went");
        // an active open takes the oldest half-open one's pcb
        TcpPcb c2 = h.tcp.newPcb();
        assertNotNull(c2);
        assertEquals(1, h.tcp.stats().reclaimed(Tcp.RECLAIM_SYN_RCVD));
        h.tcp.close(c2);
        h.tcp.close(l); // RSTs the three half-open connections left
        assertEquals(3, h.link.sent.size());
        h.link.sent.clear();
        String dump = h.stack.stats().dump(new StringBuilder()).toString();
        assertTrue(dump.contains("2  LAST_ACK reclaimed for a new connection"), dump);
        assertTrue(dump.contains("1  CLOSING reclaimed for a new connection"), dump);
        assertTrue(dump.contains("1  FIN_WAIT_2 (app closed) reclaimed for a new connection"), dump);
        assertTrue(dump.contains("1  SYN_RCVD (half-open) reclaimed for a new connection"), dump);
    }

    @Test
    void synCookie_whenNoPcbIsFree_theReclaimWaitsForTheAck() {
        JwipOptions o = new JwipOptions();
        o.tcpPcbs = 2;
        h = new Harness(o);
        TcpPcb l = h.listen(app, 2);
        int[] iss = new int[2];
        for (int i = 0; i < 2; i++) {
            iss[i] = h.passiveOpen(app, 6000 + i, P);
        }
        toLastAck(app.accepted.get(0), 6000, P + 1, iss[0] + 1);
        // The pool is empty: a SYN gets a cookie and changes nothing (a spoofed one cannot make us reset
        // the LAST_ACK connection) ...
        h.seg(S, 9000, 0).from(7000).mss(1460).send();
        Harness.Seg sa = h.one();
        assertEquals("S.", Harness.flagStr(sa.flags & ~Harness.P));
        assertEquals(1, h.tcp.stats().synCookiesSent());
        assertEquals(0, h.tcp.stats().reclaimed(Tcp.RECLAIM_LAST_ACK));
        // ... the ACK that returns the cookie proves the peer real: now the LAST_ACK one is reclaimed.
        h.seg(A, 9001, sa.seq + 1).from(7000).send();
        assertEquals("R.", Harness.flagStr(h.next().flags), "the LAST_ACK victim is reset");
        h.none();
        assertEquals(1, h.tcp.stats().reclaimed(Tcp.RECLAIM_LAST_ACK));
        assertEquals(1, h.tcp.stats().synCookiesAccepted());
        TcpPcb c = h.tcp.table.findActive(Harness.US, Harness.PORT, Harness.PEER, 7000);
        assertNotNull(c);
        assertEquals(TcpState.ESTABLISHED, c.state());
        h.tcp.close(l);
        h.tcp.abort(c);
        h.tcp.abort(app.accepted.get(1));
        h.link.sent.clear();
    }

    @Test
    void synRcvd_isBoundedByBacklog_beyondItSynCookies() {
        TcpPcb l = h.listen(app, 2);
        for (int i = 0; i < 3; i++) {
            h.seg(S, P, 0).from(8000 + i).mss(1460).send();
        }
        assertEquals(3, h.link.sent.size(), "the third SYN is answered with a cookie");
        h.link.sent.clear();
        assertEquals(2, h.tcp.stats().count(TcpState.SYN_RCVD), "no state for the third");
        assertEquals(1, h.tcp.stats().synCookiesSent());
        h.tcp.close(l);
        h.link.sent.clear();
    }

    @Test
    void synRcvd_isBoundedByBacklog_withoutCookiesTheOldestIsEvicted() {
        JwipOptions o = new JwipOptions();
        o.tcpSynCookies = false;
        h = new Harness(o);
        TcpPcb l = h.listen(app, 2);
        for (int i = 0; i < 3; i++) {
            h.seg(S, P, 0).from(8000 + i).mss(1460).send();
            h.advance(10);
        }
        assertEquals(3, h.link.sent.size());
        h.link.sent.clear();
        assertEquals(2, h.tcp.stats().count(TcpState.SYN_RCVD));
        assertEquals(1, h.tcp.stats().synRcvdEvicted());
        assertEquals(null, h.tcp.table.findActive(Harness.US, Harness.PORT, Harness.PEER, 8000), "the oldest went");
        h.tcp.close(l);
        h.link.sent.clear();
    }

    @Test
    void timeWaitTable_recyclesOldest_whenFull_andCounts() {
        JwipOptions o = new JwipOptions();
        o.tcpTimeWait = 2;
        h = new Harness(o);
        TcpPcb l = h.listen(app, 4);
        for (int i = 0; i < 3; i++) {
            int iss = h.passiveOpen(app, 6100 + i, P);
            h.tcp.close(app.pcb);
            h.next();
            h.injectP(6100 + i, F | A, P + 1, iss + 2);
            h.expect(A, iss + 2, P + 2);
            assertTrue(h.tcp.stats().timeWaitCount() <= 2);
            h.advance(10);
        }
        assertEquals(2, h.tcp.stats().timeWaitCount());
        assertEquals(1, h.tcp.stats().reclaimed(Tcp.RECLAIM_TIME_WAIT_RECYCLED));
        String ns = h.tcp.netstat(new StringBuilder()).toString();
        assertTrue(ns.contains("10.0.0.2:6101") && ns.contains("10.0.0.2:6102") && !ns.contains(":6100"), ns);
        assertTrue(ns.contains("TIME_WAIT") && ns.contains("LISTEN"), ns);
        h.tcp.close(l);
        h.advance(2L * h.opt.tcpMslMs);
        assertEquals(0, h.tcp.stats().timeWaitCount());
    }

    @Test
    void statsAndNetstat_showStateNames() {
        TcpPcb l = h.listen(app, 4);
        int iss = h.passiveOpen(app, P);
        byte[] d = new byte[100];
        h.tcp.write(app.pcb, d, 0, 100);
        h.next();
        String dump = h.stack.stats().dump(new StringBuilder()).toString();
        assertTrue(dump.contains("TCP STATE"), dump);
        assertTrue(dump.matches("(?s).*ESTABLISHED +1\n.*"), dump);
        assertTrue(dump.matches("(?s).*LISTEN +1\n.*"), dump);
        assertTrue(dump.contains("TCP_PCB"), dump);
        String ns = h.tcp.netstat(new StringBuilder()).toString();
        assertTrue(ns.contains("10.0.0.1:80"), ns);
        assertTrue(ns.matches("(?s).*10\\.0\\.0\\.2:4000 +ESTABLISHED +100 +0\n.*"), ns);
        System.out.println(ns);
        h.tcp.abort(app.pcb);
        h.next();
        h.tcp.close(l);
        assertTrue(iss != 0 || iss == 0);
    }
}
