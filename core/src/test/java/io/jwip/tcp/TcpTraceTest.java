package io.jwip.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwip.Err;
import io.jwip.JwipOptions;
import org.junit.jupiter.api.Test;

/**
 * The trace of one connection, seen from the active side: three-way handshake, data, four-way close and
 * TIME_WAIT expiry, printed with the state table's names.
 */
class TcpTraceTest {
    private int guard;
    private StringBuilder srv;

    private void guard(SimNet n, StringBuilder tr) {
        n.step();
        if (++guard > 100_000) {
            throw new AssertionError("stuck at t=" + n.now + ":\n" + tr + "\nSERVER:\n" + srv);
        }
    }

    @Test
    void traceOfOneConnection_handshakeDataFourWayCloseTimeWaitExpiry() {
        JwipOptions o = new JwipOptions();
        o.tcpMslMs = 1000;
        SimNet n = new SimNet(o, 1, 32);
        n.faults(0, 0, 0, 10, 10);
        StringBuilder tr = new StringBuilder();
        n.ta.setTrace(new TcpTracePrinter(tr));
        StringBuilder trb = new StringBuilder();
        srv = trb;
        n.tb.setTrace(new TcpTracePrinter(trb));
        SimPeer client = new SimPeer(n.ta, 0, 0);
        SimPeer server = new SimPeer(n.tb, 1, 0);
        client.shutdownWhenDone = false;
        server.shutdownWhenDone = false;
        server.closeOnEof = false;
        TcpPcb l = n.tb.newListener();
        n.tb.bind(l, 0, 80);
        n.tb.listen(l, 4);
        n.tb.accept(l, server);
        TcpPcb c = n.ta.newPcb();
        client.attach(c);
        assertEquals(Err.OK, n.ta.connect(c, SimNet.B_ADDR, 80, client));
        while (c.state() != TcpState.ESTABLISHED || !n.wire.idle()) {
            guard(n, tr);
        }
        client.toSend = 100; // data only after the handshake, so that its third segment shows alone
        while (server.received < 100) {
            client.pump();
            guard(n, tr);
        }
        while (!n.wire.idle() || c.sendQueued() > 0) { // the server's ACK is a delayed one
            guard(n, tr);
        }
        client.close(); // active close: FIN
        while (c.state() != TcpState.FIN_WAIT_2) {
            guard(n, tr);
        }
        while (!n.wire.idle()) {
            guard(n, tr);
        }
        server.close(); // the peer's FIN comes separately: a four-way close
        while (n.ta.stats().timeWaitCount() == 0) {
            guard(n, tr);
        }
        while (n.ta.stats().timeWaitCount() > 0 || n.tb.table.active != null) {
            guard(n, tr);
        }
        n.tb.close(l);
        String t = tr.toString();
        System.out.print(t);
        String[] order = {
            "* 10.0.0.1:49152 10.0.0.2:80 CLOSED -> SYN_SENT (active open)",
            "> 10.0.0.1:49152 > 10.0.0.2:80 S seq=",
            "< 10.0.0.2:80 > 10.0.0.1:49152 S. seq=",
            "* 10.0.0.1:49152 10.0.0.2:80 SYN_SENT -> ESTABLISHED (rcv SYN,ACK)",
            "> 10.0.0.1:49152 > 10.0.0.2:80 . seq=",
            "> 10.0.0.1:49152 > 10.0.0.2:80 P. seq=",
            " len=100\n",
            "< 10.0.0.2:80 > 10.0.0.1:49152 . seq=",
            "* 10.0.0.1:49152 10.0.0.2:80 ESTABLISHED -> FIN_WAIT_1 (close)",
            "> 10.0.0.1:49152 > 10.0.0.2:80 F. seq=",
            "< 10.0.0.2:80 > 10.0.0.1:49152 . seq=",
            "* 10.0.0.1:49152 10.0.0.2:80 FIN_WAIT_1 -> FIN_WAIT_2 (rcv ACK of FIN)",
            "< 10.0.0.2:80 > 10.0.0.1:49152 F. seq=",
            "> 10.0.0.1:49152 > 10.0.0.2:80 . seq=",
            "* 10.0.0.1:49152 10.0.0.2:80 FIN_WAIT_2 -> TIME_WAIT (rcv FIN)",
            "* 10.0.0.1:49152 10.0.0.2:80 TIME_WAIT -> CLOSED (2MSL timeout)",
        };
        int at = 0;
        for (String s : order) {
            int i = t.indexOf(s, at);
            assertTrue(i >= 0, "trace lacks, in order, '" + s + "' after offset " + at + ":\n" + t);
            at = i + s.length();
        }
        long segments = t.lines().filter(x -> x.startsWith(">") || x.startsWith("<")).count();
        long transitions = t.lines().filter(x -> x.startsWith("*")).count();
        assertEquals(9, segments, "3 handshake + data and its ACK + 4 close:\n" + t);
        assertEquals(6, transitions, t);
        assertTrue(n.poolsFull());
    }
}
