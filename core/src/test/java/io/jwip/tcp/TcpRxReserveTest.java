package io.jwip.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwip.Err;
import io.jwip.JwipOptions;
import io.jwip.stats.Drop;
import org.junit.jupiter.api.Test;

/**
 * Regression (found over TUN: 12 parallel curl downloads from the default configuration all hung): the
 * send queues could take every packet buffer of the pool, and then the acknowledgements that would free
 * them had no buffer to arrive in; they were dropped ("no packet buffer for a received frame"), every
 * retransmission went unanswered and the connections hung until they gave up. Segments waiting for an
 * acknowledgement now leave {@link JwipOptions#tcpRxPbufReserve} buffers free.
 */
class TcpRxReserveTest {
    @Test
    void sendQueueStopsAtTheReserveAndTheAcknowledgementsGetIn() {
        JwipOptions o = new JwipOptions();
        o.pbufs = 16;
        o.tcpSndBuf = 64 * 1024; // larger than the pool: only the pool limits the send queue
        SimNet n = new SimNet(o, 7, 256);
        App server = new App();
        server.tcp = n.tb;
        TcpPcb l = n.tb.newListener();
        assertEquals(Err.OK, n.tb.bind(l, 0, 80));
        assertEquals(Err.OK, n.tb.listen(l, 4));
        n.tb.accept(l, server);
        App client = new App();
        TcpPcb c = n.ta.newPcb();
        client.attach(n.ta, c);
        assertEquals(Err.OK, n.ta.connect(c, SimNet.B_ADDR, 80, client));
        while (!client.connected && n.step()) {
            // handshake
        }
        assertTrue(client.connected);

        byte[] chunk = new byte[1460];
        int written = 0;
        while (n.ta.write(c, chunk, 0, chunk.length) == Err.OK) {
            written += chunk.length;
        }
        assertEquals(4, n.sa.pbufPool().pool().avail(), "the send queue stops at the receive reserve");
        assertTrue(written >= 11 * 1460, "written " + written);

        // The acknowledgements get in, free the queue, and the rest follows.
        int total = 40 * 1460;
        long limit = n.now + 60_000;
        while (server.received.size() < total && n.now < limit) {
            while (written < total && n.ta.write(c, chunk, 0, chunk.length) == Err.OK) {
                written += chunk.length;
            }
            if (!n.step()) {
                break;
            }
        }
        assertEquals(total, server.received.size(), n.sa.stats().toString());
        assertEquals(0, n.sa.stats().drops(Drop.LINK_NO_BUFFER), n.sa.stats().toString());
        assertEquals(0, n.ta.stats().retransmits(), "nothing was lost");

        assertEquals(Err.OK, n.ta.close(c));
        server.closeOnEof = true;
        while (n.step() && n.now < limit + 600_000) {
            // FIN exchange, TIME_WAIT
        }
        n.tb.close(l);
        assertTrue(n.poolsFull(), n.sa.stats().poolsNotFull() + " / " + n.sb.stats().poolsNotFull());
    }
}
