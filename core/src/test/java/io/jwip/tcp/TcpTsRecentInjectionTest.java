package io.jwip.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.jwip.JwipOptions;
import io.jwip.stats.Drop;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

/**
 * Regression: a forged segment at RCV.NXT with an unacceptable ACK (RFC 5961 section 5.2) and a TSval
 * far ahead used to update TS.Recent before the ACK was checked, so that every later segment of the real
 * peer failed PAWS and the connection stalled until it timed out. TS.Recent must only follow segments
 * whose ACK is acceptable (as Linux does since commit bd090dfc634d).
 */
class TcpTsRecentInjectionTest {
    @Test
    void forgedTsValWithUnacceptableAckDoesNotPoisonTsRecent() {
        JwipOptions o = new JwipOptions();
        o.tcpTimestamps = true;
        Harness h = new Harness(o);
        App app = new App();
        TcpPcb l = h.listen(app, 4);
        TcpFuzzTest.Target t = TcpFuzzTest.open(h, app, new ArrayList<TcpFuzzTest.Target>());
        assertNotNull(t);
        TcpPcb p = TcpFuzzTest.pcbOf(h, t);
        int tsRecent = p.tsRecent;
        // The injector knows RCV.NXT but not our send sequence: its ACK is far ahead of SND.NXT.
        h.seg(Harness.A, t.rcvNxt, t.sndNxt + 0x20000000).from(t.pport).to(t.lport).ts(tsRecent + 0x10000000, 0).send();
        assertEquals(1, h.stack.stats().drops(Drop.TCP_BAD_ACK));
        assertEquals(tsRecent, p.tsRecent, "TS.Recent untouched by a segment with an unacceptable ACK");
        h.link.sent.clear();
        // The real peer's next segment carries data and its own next TSval: it must be accepted.
        long paws = h.stack.stats().drops(Drop.TCP_PAWS);
        h.seg(Harness.A, t.rcvNxt, t.sndNxt).from(t.pport).to(t.lport).data(new byte[] {1, 2, 3}).ts(tsRecent + 1, 0).send();
        assertEquals(paws, h.stack.stats().drops(Drop.TCP_PAWS), "real segment not taken for an old duplicate");
        assertEquals(3, app.received.size());
        // Far below SND.UNA (RFC 5961 5.2 challenge ACK) must not move it either.
        h.seg(Harness.A, t.rcvNxt + 3, t.sndNxt - 0x20000000).from(t.pport).to(t.lport).ts(tsRecent + 0x10000000, 0).send();
        assertEquals(tsRecent + 1, p.tsRecent);
        h.tcp.abort(p);
        h.tcp.close(l);
        h.advance(300_000);
        h.assertPoolsFull();
    }
}
