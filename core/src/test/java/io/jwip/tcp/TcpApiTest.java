package io.jwip.tcp;

import static io.jwip.tcp.Harness.A;
import static io.jwip.tcp.Harness.R;
import static io.jwip.tcp.Harness.S;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwip.Err;
import io.jwip.JwipOptions;
import io.jwip.stack.Stack;
import io.jwip.buf.Pbuf;
import io.jwip.stats.Drop;
import io.jwip.wire.Ip4Addr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Raw API error codes, malformed input, and a connection over loopback inside one stack. */
class TcpApiTest {
    Harness h = new Harness();
    final App app = new App();

    @AfterEach
    void poolsFull() {
        h.assertPoolsFull();
    }

    @Test
    void apiCalls_returnErrorCodes_neverThrow() {
        TcpPcb l = h.listen(app, 4);
        TcpPcb l2 = h.tcp.newListener();
        assertEquals(Err.USE, h.tcp.bind(l2, 0, Harness.PORT), "port taken");
        assertEquals(Err.VAL, h.tcp.listen(l2, 4), "not bound");
        assertEquals(Err.VAL, h.tcp.bind(l, 0, 81), "already bound");
        h.tcp.close(l2);
        TcpPcb c = h.tcp.newPcb();
        assertEquals(Err.CONN, h.tcp.write(c, new byte[1], 0, 1), "not connected");
        assertEquals(Err.ARG, h.tcp.write(c, new byte[1], 0, 2), "bad range");
        assertEquals(Err.VAL, h.tcp.listen(c, 4), "not a listener");
        h.stack.setDefaultNetif(null);
        assertEquals(Err.RTE, h.tcp.connect(c, Ip4Addr.of(192, 168, 9, 9), 80, app), "no route");
        h.stack.setDefaultNetif(h.netif);
        assertEquals(Err.OK, h.tcp.connect(c, Harness.PEER, 80, app));
        assertEquals(Err.ISCONN, h.tcp.connect(c, Harness.PEER, 80, app));
        h.next();
        assertEquals(Err.OK, h.tcp.close(c));
        assertEquals(Err.ARG, h.tcp.close(c), "a freed pcb");
        assertEquals(Err.ARG, h.tcp.write(null, new byte[1], 0, 1));
        int iss = h.passiveOpen(app, 10);
        assertEquals(Err.OK, h.tcp.shutdown(app.pcb, false, true));
        h.next();
        assertEquals(Err.CLSD, h.tcp.write(app.pcb, new byte[1], 0, 1), "after shutdown");
        h.tcp.abort(app.pcb);
        h.expect(R | A, iss + 2, 11);
        h.tcp.close(l);
    }

    @Test
    void pcbPoolExhausted_newPcbReturnsNull_countedByPool() {
        JwipOptions o = new JwipOptions();
        o.tcpPcbs = 1;
        h = new Harness(o);
        TcpPcb a = h.tcp.newPcb();
        assertNotNull(a);
        assertEquals(null, h.tcp.newPcb());
        assertEquals(1, h.stack.stats().pool("TCP_PCB").err());
        h.tcp.close(a);
    }

    @Test
    void malformedSegments_areDroppedAndCounted_neverThrow() {
        TcpPcb l = h.listen(app, 4);
        // bad checksum
        byte[] good = new byte[40];
        injectRaw(good, 40, 20, 5, true);
        assertEquals(1, h.stack.stats().drops(Drop.TCP_BAD_CHECKSUM));
        // data offset below 5 and beyond the segment
        injectRaw(new byte[40], 40, 20, 4, false);
        injectRaw(new byte[40], 40, 20, 15, false);
        assertEquals(2, h.stack.stats().drops(Drop.TCP_BAD_OFFSET));
        // shorter than a header
        injectRaw(new byte[30], 30, 10, 5, false);
        assertEquals(1, h.stack.stats().drops(Drop.TCP_TRUNCATED));
        // options that run past the header, on a SYN
        h.seg(S, 1, 0).mss(1460).send();
        h.next();
        h.none();
        h.tcp.close(l);
        h.link.sent.clear();
    }

    /** Injects a hand-made datagram of {@code tot} bytes with a TCP part of {@code tcpLen} bytes. */
    private void injectRaw(byte[] b, int tot, int tcpLen, int dataOffsetWords, boolean badChecksum) {
        b[0] = 0x45;
        io.jwip.wire.Bytes.put16(b, 2, tot);
        b[8] = 64;
        b[9] = 6;
        io.jwip.wire.Bytes.put32(b, 12, Harness.PEER);
        io.jwip.wire.Bytes.put32(b, 16, Harness.US);
        io.jwip.wire.Bytes.put16(b, 10, 0);
        io.jwip.wire.Bytes.put16(b, 10, io.jwip.wire.Checksum.of(b, 0, 20));
        if (tcpLen >= 14) {
            io.jwip.wire.Bytes.put16(b, 20, 4000);
            io.jwip.wire.Bytes.put16(b, 22, 80);
            b[32] = (byte) (dataOffsetWords << 4);
            b[33] = (byte) S;
        }
        if (!badChecksum && tcpLen >= 20) {
            long sum = io.jwip.wire.Checksum.addPseudoHeader(0, Harness.PEER, Harness.US, 6, tcpLen);
            io.jwip.wire.Bytes.put16(b, 36, io.jwip.wire.Checksum.finish(io.jwip.wire.Checksum.add(sum, b, 20, tcpLen)));
        } else if (badChecksum) {
            io.jwip.wire.Bytes.put16(b, 36, 0x1234);
        }
        Pbuf p = h.netif.allocInput(tot);
        p.copyIn(0, b, 0, tot);
        h.netif.input(p);
    }

    @Test
    void loopbackConnection_insideOneStack() {
        Stack s = h.stack;
        App server = new App();
        App client = new App();
        server.tcp = h.tcp;
        TcpPcb l = h.tcp.newListener();
        h.tcp.bind(l, 0, 7);
        h.tcp.listen(l, 2);
        h.tcp.accept(l, server);
        TcpPcb c = h.tcp.newPcb();
        client.attach(h.tcp, c);
        assertEquals(Err.OK, h.tcp.connect(c, Ip4Addr.LOOPBACK, 7, client));
        for (int i = 0; i < 10; i++) {
            h.advance(1);
        }
        assertTrue(client.connected);
        byte[] d = new byte[5000];
        for (int i = 0; i < d.length; i++) {
            d[i] = (byte) (i * 7);
        }
        int off = 0;
        for (int i = 0; i < 2000 && server.received.size() < d.length; i++) {
            if (off < d.length) {
                int n = Math.min(1000, d.length - off);
                if (h.tcp.write(c, d, off, n) == Err.OK) {
                    off += n;
                }
            }
            h.advance(5);
        }
        assertArrayEquals(d, server.received.toByteArray());
        server.closeOnEof = true;
        h.tcp.close(c);
        for (int i = 0; i < 100; i++) {
            h.advance(5);
        }
        assertTrue(server.eof);
        h.advance(2L * h.opt.tcpMslMs);
        assertEquals(0, h.tcp.stats().timeWaitCount());
        h.tcp.close(l);
        assertTrue(s.stats().allPoolsFull(), s.stats().poolsNotFull());
    }
}
