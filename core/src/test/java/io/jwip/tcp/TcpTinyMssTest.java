package io.jwip.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwip.JwipOptions;
import org.junit.jupiter.api.Test;

/**
 * Regression: a peer's MSS option of 1..12 with timestamps on gave a send MSS of 0 or less: 0 threw an
 * ArithmeticException out of {@code write} (and so out of any callback writing from input), below 0 the
 * connection never sent a byte. The send MSS is now floored at {@code tcpMinSndMss} (default 48, as Linux).
 */
class TcpTinyMssTest {
    @Test
    void tinyPeerMssIsFlooredAndDataFlows() {
        for (int mss = 1; mss <= 60; mss++) {
            for (int ts = 0; ts < 2; ts++) {
                JwipOptions o = new JwipOptions();
                o.tcpTimestamps = ts == 1;
                Harness h = new Harness(o);
                App app = new App();
                TcpPcb l = h.listen(app, 4);
                h.seg(Harness.S, 1000, 0).from(4000).to(80).wnd(65535).mss(mss).tsIf(ts == 1, 5, 0).send();
                Harness.Seg sa = h.next();
                h.link.sent.clear();
                h.seg(Harness.A, 1001, sa.seq + 1).from(4000).to(80).wnd(65535).tsIf(ts == 1, 6, sa.tsVal).send();
                TcpPcb p = app.pcb;
                assertEquals(TcpState.ESTABLISHED, p.state);
                int want = Math.max(mss - (ts == 1 ? 12 : 0), 48);
                assertEquals(want, p.mss, "send MSS for a peer MSS of " + mss + (ts == 1 ? " with" : " without")
                        + " timestamps");
                assertEquals(0, h.tcp.write(p, new byte[100], 0, 100));
                h.tcp.output(p);
                int bytes = 0;
                while (!h.link.sent.isEmpty()) {
                    Harness.Seg s = h.next();
                    assertTrue(s.data.length <= want, "segment within the send MSS");
                    bytes += s.data.length;
                }
                assertTrue(bytes > 0, "data flows");
                h.tcp.abort(p);
                h.tcp.close(l);
                h.advance(300_000);
                h.assertPoolsFull();
            }
        }
    }
}
