package io.jwip.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwip.Err;
import io.jwip.JwipOptions;
import org.junit.jupiter.api.Test;

/**
 * 200 seeds of a 256 KiB transfer in each direction at once over a lossy, duplicating, reordering,
 * delaying wire on a virtual clock. Each must arrive byte-exact, both sides must reach CLOSED (TIME_WAIT
 * expired) and every pool of both stacks must be full.
 */
class TcpSimTest {
    static final int SIZE = 256 * 1024;
    /** Fast retransmits and partial ACKs of the last {@link #run} (both stacks). */
    static long lastFastRetransmits;
    static long lastPartialAcks;

    static String run(long seed, int lossPermille) {
        return run(new JwipOptions(), seed, lossPermille);
    }

    static String run(JwipOptions o, long seed, int lossPermille) {
        return run(o, seed, lossPermille, 0);
    }

    static String run(JwipOptions o, long seed, int lossPermille, int lazy) {
        SimNet n = new SimNet(o, seed, 256);
        n.faults(lossPermille, 20, 50, 1, 30);
        SimPeer client = new SimPeer(n.ta, 0, SIZE);
        SimPeer server = new SimPeer(n.tb, 1, SIZE);
        client.lazyRecvedEvery = lazy;
        server.lazyRecvedEvery = lazy;
        TcpPcb l = n.tb.newListener();
        n.tb.bind(l, 0, 80);
        n.tb.listen(l, 4);
        n.tb.accept(l, server);
        TcpPcb c = n.ta.newPcb();
        client.attach(c);
        assertEquals(Err.OK, n.ta.connect(c, SimNet.B_ADDR, 80, client));
        long limit = 3_600_000; // one virtual hour
        while (n.now < limit) {
            client.pump();
            server.pump();
            if (client.closed && server.closed && n.ta.stats().timeWaitCount() == 0 && n.tb.stats().timeWaitCount() == 0
                    && n.wire.idle() && n.ta.stats().count(TcpState.SYN_RCVD) == 0 && n.tb.stats().count(TcpState.SYN_RCVD) == 0
                    && n.ta.table.active == null && n.tb.table.active == null) {
                break;
            }
            if (!n.step()) {
                break;
            }
        }
        n.tb.close(l);
        String id = "seed " + seed + " loss " + lossPermille + "permille t=" + n.now + " ";
        assertEquals(Err.OK, client.err, id + "client error " + Err.name(client.err));
        assertEquals(Err.OK, server.err, id + "server error " + Err.name(server.err));
        assertEquals(SIZE, server.received, id + "server received");
        assertEquals(SIZE, client.received, id + "client received");
        assertEquals(0, client.mismatches + server.mismatches, id + "byte-exact");
        assertTrue(client.closed && server.closed, id + "closed");
        assertEquals(0, n.ta.stats().timeWaitCount() + n.tb.stats().timeWaitCount(), id + "TIME_WAIT expired");
        assertTrue(n.ta.table.active == null && n.tb.table.active == null, id + "all CLOSED");
        assertTrue(n.poolsFull(), id + "pools: " + n.sa.stats().poolsNotFull() + " / " + n.sb.stats().poolsNotFull());
        lastFastRetransmits = n.ta.stats().fastRetransmits() + n.tb.stats().fastRetransmits();
        lastPartialAcks = n.ta.stats().partialAcks() + n.tb.stats().partialAcks();
        return id + "lost=" + n.lost() + " dup=" + n.duplicated() + " rtx=" + (n.ta.stats().retransmits() + n.tb.stats().retransmits());
    }

    @Test
    void twoHundredSeeds_upTo10PercentLoss_byteExact_allClosed_poolsFull() {
        long t0 = System.nanoTime();
        long lost = 0;
        for (int seed = 1; seed <= 200; seed++) {
            int loss = seed % 11 * 10; // 0 .. 100 permille
            String r = run(seed, loss);
            if (seed % 50 == 0) {
                System.out.println(r);
            }
        }
        System.out.println("200 seeds in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }

    @Test
    void chainedSmallBuffers_smallWindows_20seeds() {
        // 256-byte pbufs: every full segment is a chain of 6-7 buffers (trimming, checksums and copies
        // across chain links), a 4 KiB window and send buffer, tight out-of-order caps.
        for (int seed = 1000; seed < 1020; seed++) {
            JwipOptions o = new JwipOptions();
            o.pbufSize = 256;
            o.pbufs = 400;
            o.tcpWnd = 4096;
            o.tcpSndBuf = 4096;
            o.tcpOooMaxSegs = 3;
            o.tcpOooMaxBytes = 3000;
            run(o, seed, 100);
        }
    }

    @Test
    void scaledWindows_congestionControl_underLoss_30seeds() {
        // 128 KiB windows (window scaling, shift 1) and send buffers: cwnd, not the peer's window, limits
        // the flight, so slow start, fast retransmit / NewReno recovery and the loss window after timeouts
        // all run, with delayed ACKs and Nagle on, over a lossy, duplicating, reordering wire.
        long fast = 0;
        long partial = 0;
        for (int seed = 3000; seed < 3030; seed++) {
            JwipOptions o = new JwipOptions();
            o.tcpWnd = 128 * 1024;
            o.tcpSndBuf = 128 * 1024;
            o.tcpOooMaxBytes = 64 * 1024;
            o.tcpOooMaxSegs = 48;
            o.pbufs = 512;
            o.tcpSegs = 512;
            run(o, seed, seed % 6 * 10);
            fast += lastFastRetransmits;
            partial += lastPartialAcks;
        }
        System.out.println("scaled windows: " + fast + " fast retransmits, " + partial + " partial ACKs in 30 seeds");
        assertTrue(fast > 0 && partial > 0, "loss recovery by fast retransmit ran");
    }

    @Test
    void timestamps_underLoss_20seeds() {
        // RTTM and PAWS on every segment, with duplicates and reordering on the wire
        for (int seed = 4000; seed < 4020; seed++) {
            JwipOptions o = new JwipOptions();
            o.tcpTimestamps = true;
            run(o, seed, seed % 11 * 10);
        }
    }

    @Test
    void slowReaders_windowsClose_andReopen_20seeds() {
        // the applications consume only every 7th loop turn: windows close, window updates (which can be
        // lost) and probes reopen them
        for (int seed = 2000; seed < 2020; seed++) {
            run(new JwipOptions(), seed, 50, 7);
        }
    }
}
