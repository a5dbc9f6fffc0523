package io.jwip.tests.adversary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwip.tcp.TcpState;
import io.jwip.wire.Ip4Addr;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * One test per hostile peer, each against a server with small pools (4 control blocks, 32 buffers; the
 * echo and HTTP services) on a virtual clock, with an honest client doing an echo round trip while the
 * attack is on. For each: the server's pool high-water marks, the time until the attacker's state is all
 * reclaimed, and how long the honest client took. The table is printed at the end; every row must be
 * bounded, the honest client served, and every pool of both stacks full when it is over.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdversaryTest {
    static final int ATTACKER = Ip4Addr.of(10, 0, 1, 1);
    static final List<String[]> ROWS = new ArrayList<>();
    @TempDir
    static Path dir;
    static Path www;

    @BeforeAll
    static void files() throws Exception {
        www = Files.createDirectories(dir.resolve("www"));
        byte[] big = new byte[64 * 1024];
        new Random(1).nextBytes(big);
        Files.write(www.resolve("big.bin"), big);
    }

    @AfterAll
    static void table() {
        StringBuilder sb = new StringBuilder("\nAdversary suite: server with 4 TCP control blocks, 32 buffers, echo and HTTP; LAN delay 1 ms each way; virtual time\n");
        String f = "| %-46s | %-28s | %-22s | %-16s |%n";
        sb.append(String.format(f, "hostile peer", "server high-water", "all reclaimed after", "honest echo"));
        sb.append(String.format(f, "-".repeat(46), "-".repeat(28), "-".repeat(22), "-".repeat(16)));
        for (String[] r : ROWS) {
            sb.append(String.format(f, (Object[]) r));
        }
        System.out.print(sb);
    }

    /** Runs the honest client while the attack is on; it must finish within {@code limitMs}. */
    private static HonestClient honest(Lan lan, long limitMs) {
        HonestClient c = new HonestClient(lan, 2000);
        c.start();
        assertTrue(lan.run(lan.now + limitMs, c::done), "honest client not served within " + limitMs + " ms");
        assertTrue(c.intact(), "honest echo byte-exact");
        return c;
    }

    /** Runs until the server holds nothing but its listeners; returns when (virtual ms since {@code t0}). */
    private static long reclaimed(Lan lan, long t0, long limitMs, boolean timeWaitToo) {
        assertTrue(lan.run(t0 + limitMs, () -> lan.serverIdle(timeWaitToo)),
                "attacker's state not reclaimed within " + limitMs / 1000 + " s: "
                        + lan.serverTcp.netstat(new StringBuilder()));
        long at = lan.now - t0;
        lan.run(lan.now + 2 * Lan.DELAY_MS, null); // what the server sent last reaches its peer
        return at;
    }

    private static void row(String name, Lan lan, long reclaimedMs, HonestClient c, String how) {
        ROWS.add(new String[]{name, lan.highWater(), secs(reclaimedMs) + " (" + how + ")", c.ms() + " ms"});
        lan.echo.stop();
        lan.http.stop();
        lan.run(lan.now + 1, null);
        assertTrue(lan.server.stats().allPoolsFull(), "server pools: " + lan.server.stats().poolsNotFull());
        lan.run(lan.now + 300_000, () -> lan.client.stats().allPoolsFull() && lan.clientTcp.stats().timeWaitCount() == 0);
        assertTrue(lan.client.stats().allPoolsFull(), "client pools: " + lan.client.stats().poolsNotFull());
    }

    private static String secs(long ms) {
        return ms < 10_000 ? String.format("%.1f s", ms / 1000.0) : (ms / 1000) + " s";
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    // ------------------------------------------------------------------------------------------- SYN flood

    @Test
    @Order(1)
    void synFlood_tenThousandSpoofedSynsASecond() {
        Lan lan = new Lan(Lan.smallPools(), null);
        long t0 = lan.now;
        long end = t0 + 2000;
        Random r = new Random(7);
        long[] sent = {0};
        // 10 SYNs per virtual millisecond from spoofed sources for 2 s: 20,000 in all.
        lan.add(Ip4Addr.of(10, 0, 255, 254), new Lan.Host() {
            long next = t0;

            @Override
            public void receive(byte[] ip) {
            }

            @Override
            public long tick(long now) {
                while (next <= now && next < end) {
                    for (int i = 0; i < 10; i++) {
                        int src = Ip4Addr.of(10, 0, 100 + r.nextInt(100), 1 + r.nextInt(250));
                        lan.send(RawPeer.segment(src, 1024 + r.nextInt(60000), Lan.SERVER, 7, RawPeer.S,
                                r.nextInt(), 0, 65535, new byte[0], 1460));
                        sent[0]++;
                    }
                    next++;
                }
                return next < end ? next : Long.MAX_VALUE;
            }
        });
        lan.run(t0 + 500, null);
        HonestClient c = honest(lan, 1000);
        lan.run(end, null);
        assertEquals(20_000, sent[0]);
        assertTrue(lan.serverTcp.stats().count(TcpState.SYN_RCVD) <= 2, "the flood holds at most the backlog");
        assertTrue(lan.serverTcp.stats().synCookiesSent() > 19_000, "cookies " + lan.serverTcp.stats().synCookiesSent());
        long rec = reclaimed(lan, end, 600_000, false);
        row("SYN flood, 10,000/s for 2 s (spoofed)", lan, rec, c, "SYN,ACK retries");
    }

    // ------------------------------------------------------------------------------ windows held closed

    /** Announces window 0 from the start and answers every probe with window 0 again. */
    static final class ZeroWindowPeer extends RawPeer {
        ZeroWindowPeer(Lan lan, int addr, int port) {
            super(lan, addr, port, 80);
        }

        @Override
        void onEstablished() {
            wnd = 0;
            send(A, ascii("GET /status HTTP/1.0\r\n\r\n"));
        }

        @Override
        void onSegment(int flags, int sseq, int sack, int swnd, int len) {
            send(A); // a live peer, window still zero
        }
    }

    @Test
    @Order(2)
    void zeroWindowHold_afterTheServerWritesAndCloses() {
        Lan lan = new Lan(Lan.smallPools(), null);
        long t0 = lan.now;
        ZeroWindowPeer z = new ZeroWindowPeer(lan, ATTACKER, 40000);
        z.connect();
        lan.run(t0 + 5000, null);
        assertEquals(1, lan.serverTcp.stats().count(TcpState.FIN_WAIT_1), "the server wrote, closed, and waits");
        HonestClient c = honest(lan, 1000);
        long rec = reclaimed(lan, t0, 3_600_000, false);
        assertTrue(z.reset, "the server gave up with a RST");
        assertEquals(1, lan.serverTcp.stats().persistGiveUps());
        row("zero window after write + close (probes answered)", lan, rec, c, "persist give-up");
    }

    /** Acknowledges the data it gets but never makes room: its window shrinks to zero and stays. */
    static final class NeverReadsPeer extends RawPeer {
        int room = 6000;

        NeverReadsPeer(Lan lan, int addr, int port, String path) {
            super(lan, addr, port, 80);
            this.path = path;
        }

        final String path;

        @Override
        void onEstablished() {
            wnd = room;
            send(A, ascii("GET " + path + " HTTP/1.0\r\n\r\n"));
        }

        @Override
        void onSegment(int flags, int sseq, int sack, int swnd, int len) {
            if (sseq == ack && len > 0) {
                ack += len;
                room = Math.max(0, room - len);
            }
            wnd = room;
            send(A);
        }
    }

    @Test
    @Order(4)
    void neverReads_whileTheServerStillWrites() {
        Lan lan = new Lan(Lan.smallPools(), www);
        long t0 = lan.now;
        NeverReadsPeer p = new NeverReadsPeer(lan, ATTACKER, 40000, "/big.bin");
        p.connect();
        lan.run(t0 + 2000, null);
        assertTrue(p.dataIn > 0 && p.room == 0, "its window closed: " + p.room);
        HonestClient c = honest(lan, 1000);
        long rec = reclaimed(lan, t0, 3_600_000, false);
        assertEquals(1, lan.http.timedOut(), "the HTTP service's idle timeout");
        row("never reads, server still writing (64 KB file)", lan, rec, c, "HTTP idle timeout");
    }

    @Test
    @Order(3)
    void neverReads_whileTheServerCloses() {
        Lan lan = new Lan(Lan.smallPools(), null);
        long t0 = lan.now;
        NeverReadsPeer p = new NeverReadsPeer(lan, ATTACKER, 40000, "/status");
        p.room = 1000;
        p.connect();
        lan.run(t0 + 2000, null);
        HonestClient c = honest(lan, 1000);
        long rec = reclaimed(lan, t0, 3_600_000, false);
        assertTrue(p.reset);
        row("never reads, server closes (status page)", lan, rec, c, "persist give-up");
    }

    // ------------------------------------------------------------------------------------- vanishing

    /** Does what {@code script} says for a while, then is never heard of again (no RST). */
    static class Vanisher extends RawPeer {
        boolean gone;

        Vanisher(Lan lan, int addr, int port, int serverPort) {
            super(lan, addr, port, serverPort);
        }

        void vanish() {
            gone = true;
        }

        @Override
        void send(int flags, byte[] data) {
            if (!gone) {
                super.send(flags, data);
            }
        }
    }

    private void vanish(String state, int serverPort, String how, long limitMs, boolean timeWait,
            java.util.function.Consumer<Vanisher> script, java.util.function.Predicate<Lan> reached) {
        Lan lan = new Lan(Lan.smallPools(), null);
        long t0 = lan.now;
        Vanisher v = new Vanisher(lan, ATTACKER, 40000, serverPort);
        script.accept(v);
        assertTrue(lan.run(t0 + 5000, () -> reached.test(lan)), "did not reach " + state + ": "
                + lan.serverTcp.netstat(new StringBuilder()));
        v.vanish();
        HonestClient c = honest(lan, 1000);
        long rec = reclaimed(lan, t0, limitMs, timeWait);
        row("vanishes in " + state, lan, rec, c, how);
    }

    @Test
    @Order(6)
    void vanishes_inSynRcvd() {
        vanish("SYN_RCVD", 80, "SYN,ACK retries", 600_000, false, v -> {
            v.connect();
            v.vanish(); // never ACKs the SYN,ACK
        }, lan -> lan.serverTcp.stats().count(TcpState.SYN_RCVD) == 1);
    }

    @Test
    @Order(7)
    void vanishes_inEstablished_beforeItsRequest() {
        vanish("ESTABLISHED (no request yet)", 80, "HTTP header timeout", 600_000, false, v -> v.connect(),
                lan -> lan.serverTcp.stats().count(TcpState.ESTABLISHED) == 1);
    }

    @Test
    @Order(8)
    void vanishes_inFinWait1_withDataInFlight() {
        Lan lan = new Lan(Lan.smallPools(), null);
        long t0 = lan.now;
        RawPeer p = new RawPeer(lan, ATTACKER, 40000, 80) {
            @Override
            void onEstablished() {
                send(A, ascii("GET /status HTTP/1.0\r\n\r\n"));
                lan.remove(addr); // gone: the response and our FIN are never acknowledged
            }
        };
        p.connect();
        assertTrue(lan.run(t0 + 5000, () -> lan.serverTcp.stats().count(TcpState.FIN_WAIT_1) == 1),
                lan.serverTcp.netstat(new StringBuilder()).toString());
        HonestClient c = honest(lan, 1000);
        long rec = reclaimed(lan, t0, 3_600_000, false);
        row("vanishes in FIN_WAIT_1 (data in flight)", lan, rec, c, "retransmission give-up");
    }

    @Test
    @Order(5)
    void vanishes_inFinWait2() {
        Lan lan = new Lan(Lan.smallPools(), null);
        long t0 = lan.now;
        RawPeer p = new RawPeer(lan, ATTACKER, 40000, 80) {
            @Override
            void onEstablished() {
                send(A, ascii("GET /status HTTP/1.0\r\n\r\n"));
            }
        };
        p.connect();
        assertTrue(lan.run(t0 + 5000, () -> lan.serverTcp.stats().count(TcpState.FIN_WAIT_2) == 1));
        lan.remove(ATTACKER); // gone: it acknowledged everything and never sends its FIN
        HonestClient c = honest(lan, 1000);
        long rec = reclaimed(lan, t0, 600_000, false);
        row("never sends its FIN after our close (FIN_WAIT_2)", lan, rec, c, "FIN_WAIT_2 timeout");
    }

    @Test
    @Order(9)
    void vanishes_inClosing() {
        Lan lan = new Lan(Lan.smallPools(), null);
        long t0 = lan.now;
        RawPeer p = new RawPeer(lan, ATTACKER, 40000, 80) {
            @Override
            void onEstablished() {
                send(A, ascii("GET /status HTTP/1.0\r\n\r\n"));
            }

            @Override
            void onSegment(int flags, int sseq, int sack, int swnd, int len) {
                if (sseq == ack) {
                    ack += len;
                }
                if ((flags & F) != 0) {
                    send(A | F); // its FIN crosses ours: it does not acknowledge our FIN
                    lan.remove(addr); // and is gone
                } else if (len > 0) {
                    send(A);
                }
            }
        };
        p.connect();
        assertTrue(lan.run(t0 + 5000, () -> lan.serverTcp.stats().count(TcpState.CLOSING) == 1),
                lan.serverTcp.netstat(new StringBuilder()).toString());
        HonestClient c = honest(lan, 1000);
        long rec = reclaimed(lan, t0, 3_600_000, false);
        row("vanishes in CLOSING", lan, rec, c, "retransmission give-up");
    }

    @Test
    @Order(10)
    void vanishes_inLastAck() {
        Lan lan = new Lan(Lan.smallPools(), null);
        long t0 = lan.now;
        RawPeer p = new RawPeer(lan, ATTACKER, 40000, 7) {
            @Override
            void onEstablished() {
                send(A | F, ascii("bye")); // data and FIN at once: the echo service echoes and closes
            }

            @Override
            void onSegment(int flags, int sseq, int sack, int swnd, int len) {
                lan.remove(addr); // gone before acknowledging anything
            }
        };
        p.connect();
        assertTrue(lan.run(t0 + 5000, () -> lan.serverTcp.stats().count(TcpState.LAST_ACK) == 1),
                lan.serverTcp.netstat(new StringBuilder()).toString());
        HonestClient c = honest(lan, 1000);
        long rec = reclaimed(lan, t0, 3_600_000, false);
        row("vanishes in LAST_ACK", lan, rec, c, "retransmission give-up");
    }

    @Test
    @Order(11)
    void vanishes_inTimeWait() {
        Lan lan = new Lan(Lan.smallPools(), null);
        long t0 = lan.now;
        RawPeer p = new RawPeer(lan, ATTACKER, 40000, 80) {
            @Override
            void onEstablished() {
                send(A, ascii("GET /status HTTP/1.0\r\n\r\n"));
            }

            @Override
            void onSegment(int flags, int sseq, int sack, int swnd, int len) {
                super.onSegment(flags, sseq, sack, swnd, len);
                if ((flags & F) != 0) {
                    send(A | F);
                    lan.remove(addr);
                }
            }
        };
        p.connect();
        assertTrue(lan.run(t0 + 5000, () -> lan.serverTcp.stats().timeWaitCount() == 1));
        HonestClient c = honest(lan, 1000);
        long rec = reclaimed(lan, t0, 600_000, true);
        row("vanishes in TIME_WAIT", lan, rec, c, "2 MSL");
    }

    // ------------------------------------------------------------------------- out-of-order, slowloris

    @Test
    @Order(12)
    void oneByteOutOfOrderSpray_overManyConnections() {
        Lan lan = new Lan(Lan.smallPools(), null);
        long t0 = lan.now;
        List<RawPeer> peers = new ArrayList<>();
        for (int h = 0; h < 2; h++) { // two hosts, two connections each (the per-client bound)
            for (int k = 0; k < 2; k++) {
                RawPeer p = new RawPeer(lan, ATTACKER + h, 40000 + k, 80);
                p.connect();
                peers.add(p);
            }
        }
        lan.run(t0 + 100, null);
        for (RawPeer p : peers) {
            for (int k = 0; k < 40; k++) { // one byte beyond a one-byte hole, forty times
                p.sendRaw(p.addr, p.port, RawPeer.A, p.seq + 1 + 2 * k, p.ack, 8760, new byte[]{'x'});
            }
        }
        lan.run(t0 + 200, null);
        assertTrue(lan.serverTcp.stats().oooPbufs() <= 16, "out-of-order buffers " + lan.serverTcp.stats().oooPbufs());
        HonestClient c = honest(lan, 1000);
        long rec = reclaimed(lan, t0, 600_000, false);
        row("1-byte out-of-order spray, 4 connections", lan, rec, c, "HTTP header timeout");
    }

    @Test
    @Order(13)
    void httpSlowloris_headersAByteAtATime() {
        Lan lan = new Lan(Lan.smallPools(), null);
        long t0 = lan.now;
        byte[] header = ascii("GET /status HTTP/1.1\r\nHost: x\r\nX-a: b\r\n");
        List<RawPeer> peers = new ArrayList<>();
        for (int k = 0; k < 4; k++) { // one host tries four connections; the per-client bound lets in two
            RawPeer p = new RawPeer(lan, ATTACKER, 40000 + k, 80);
            p.connect();
            peers.add(p);
        }
        lan.add(Ip4Addr.of(10, 0, 255, 253), new Lan.Host() {
            long next = t0 + 100;
            int at;

            @Override
            public void receive(byte[] ip) {
            }

            @Override
            public long tick(long now) {
                if (now >= next && at < header.length) {
                    for (RawPeer p : peers) {
                        if (!p.reset) {
                            p.send(RawPeer.A, new byte[]{header[at]});
                        }
                    }
                    at++;
                    next = now + 1000; // a byte a second, never the blank line
                }
                return at < header.length ? next : Long.MAX_VALUE;
            }
        });
        lan.run(t0 + 3000, null);
        assertEquals(2, lan.http.refusedPerClient(), "two connections refused by the per-client bound");
        HonestClient c = honest(lan, 1000);
        long rec = reclaimed(lan, t0, 600_000, false);
        assertEquals(2, lan.http.timedOut());
        row("HTTP slowloris, 4 connections from one host", lan, rec, c, "HTTP header timeout");
    }

    // ------------------------------------------------------------------------------------ blind injection

    @Test
    @Order(14)
    void blindRstSynAndDataInjection_duringAnHonestTransfer() {
        Lan lan = new Lan(Lan.smallPools(), null);
        long t0 = lan.now;
        Random r = new Random(3);
        long[] injected = {0};
        HonestClient c = new HonestClient(lan, 20_000);
        // The attacker knows both ends and ports, not the sequence numbers.
        lan.add(Ip4Addr.of(10, 0, 255, 252), new Lan.Host() {
            @Override
            public void receive(byte[] ip) {
            }

            @Override
            public void between() {
                // one injected segment for every packet of the transfer, once the connection exists
                if (!c.done() && lan.serverTcp.stats().count(TcpState.ESTABLISHED) > 0) {
                    int sport = 49152; // the client's first ephemeral port
                    int[] flags = {RawPeer.R, RawPeer.S, RawPeer.A, RawPeer.R | RawPeer.A, RawPeer.A | RawPeer.F};
                    lan.send(RawPeer.segment(Lan.CLIENT, sport, Lan.SERVER, 7, flags[r.nextInt(flags.length)],
                            r.nextInt(), r.nextInt(), 65535, new byte[r.nextInt(3) * 100], -1));
                    injected[0]++;
                }
            }
        });
        c.start();
        assertTrue(lan.run(t0 + 60_000, c::done), "transfer under fire");
        assertTrue(c.intact());
        assertEquals(1, c.tries, "never reset");
        assertTrue(injected[0] > 0);
        long rec = reclaimed(lan, t0, 600_000, false);
        ROWS.add(new String[]{"blind RST/SYN/data injection (" + injected[0] + " segments)", lan.highWater(),
                secs(rec) + " (nothing to reclaim)", c.ms() + " ms, 20 KB"});
        lan.echo.stop();
        lan.http.stop();
        lan.run(lan.now + 300_000, () -> lan.client.stats().allPoolsFull() && lan.clientTcp.stats().timeWaitCount() == 0);
        assertTrue(lan.server.stats().allPoolsFull(), lan.server.stats().poolsNotFull());
        assertTrue(lan.client.stats().allPoolsFull(), lan.client.stats().poolsNotFull());
    }
}
