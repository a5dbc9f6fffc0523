package io.jwip.examples.services;

import io.jwip.Err;
import io.jwip.JwipOptions;
import io.jwip.stack.Stack;
import io.jwip.buf.PbufPool;
import io.jwip.mem.Pool;
import io.jwip.mem.PoolEntry;
import io.jwip.tcp.Tcp;
import io.jwip.tcp.TcpPcb;
import io.jwip.testutil.TwoStacks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Regression: a service connection whose write fails with {@code Err.MEM} because the stack-wide pool is
 * empty, while none of its own data is in flight, gets no {@code sent} callback ever; before
 * {@link TcpService#poll()} it stalled for good (seen over TUN: one of eight parallel curl downloads hung
 * at 344064 bytes while the others, which held the pool, finished). Deterministic: two stacks on an
 * in-memory wire, a virtual clock, and the server's TCP_SEG pool emptied by the test at the right moment.
 */
class MemoryWaitTest {
    @TempDir
    Path dir;
    TwoStacks s;
    Stack a;
    Stack b;
    long now;
    /** Polled every tick, as the command line's runner polls its services every loop turn. */
    TcpService polled;

    void run(long ms) {
        for (long t = 0; t < ms; t += 10) {
            now += 10;
            a.timers(now);
            b.timers(now);
            s.wire.pumpUntilIdle(1000);
            if (polled != null) {
                polled.poll();
            }
        }
    }

    @Test
    void httpResponseResumesFromPollAfterThePoolWasEmptyWithNothingInFlight() throws Exception {
        byte[] file = new byte[20_000];
        new Random(11).nextBytes(file);
        Files.write(dir.resolve("f.bin"), file);
        s = new TwoStacks(64, 1500);
        a = s.a;
        b = s.b;
        Tcp ta = Tcp.install(a);
        Tcp.install(b);
        HttpServer http = new HttpServer(b, dir);
        assertEquals(Err.OK, http.start(80));

        ByteArrayOutputStream got = new ByteArrayOutputStream();
        boolean[] eof = new boolean[1];
        TcpPcb c = ta.newPcb();
        ta.recv(c, (pcb, p) -> {
            if (p == null) {
                eof[0] = true;
                return;
            }
            byte[] tmp = new byte[p.totalLength()];
            p.copyOut(0, tmp, 0, tmp.length);
            got.write(tmp, 0, tmp.length);
            ta.recved(pcb, tmp.length);
            PbufPool.free(p);
        });
        boolean[] connected = new boolean[1];
        assertEquals(Err.OK, ta.connect(c, TwoStacks.B, 80, pcb -> connected[0] = true));
        run(100);
        assertTrue(connected[0]);

        // Someone else holds every segment descriptor of the server when the request arrives.
        Pool segs = b.stats().pool("TCP_SEG");
        List<PoolEntry> held = new ArrayList<>();
        for (PoolEntry e; (e = segs.take()) != null; ) {
            held.add(e);
        }
        byte[] req = "GET /f.bin HTTP/1.1\r\nHost: b\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals(Err.OK, ta.write(c, req, 0, req.length));
        run(100);
        assertEquals(0, got.size(), "the response could not even start");
        assertEquals(1, http.memWaits(), "the connection waits for memory");

        // The memory comes back, but nothing of this connection is in flight: no sent callback, no
        // progress, however long we wait...
        for (PoolEntry e : held) {
            segs.give(e);
        }
        run(5_000);
        assertEquals(0, got.size(), "no sent callback wakes a connection with nothing in flight");
        // ...until the driver's per-turn poll (Services.poll from the command line's runner).
        http.poll();
        run(1_000);
        String text = got.toString(StandardCharsets.ISO_8859_1);
        assertTrue(text.startsWith("HTTP/1.1 200 OK\r\n"), text.substring(0, Math.min(200, text.length())));
        byte[] all = got.toByteArray();
        int body = text.indexOf("\r\n\r\n") + 4;
        assertArrayEquals(file, Arrays.copyOfRange(all, body, all.length));
        assertTrue(eof[0], "the server closed after the response");
        assertEquals(Err.OK, ta.close(c));
        run(1_000);
        http.stop();
        assertTrue(a.stats().allPoolsFull(), a.stats().poolsNotFull());
        assertTrue(b.stats().allPoolsFull(), b.stats().poolsNotFull());
    }

    /** A raw-API HTTP client on stack {@code a}: sends one GET, collects the response. */
    final class Get {
        final ByteArrayOutputStream got = new ByteArrayOutputStream();
        boolean eof;
        final TcpPcb pcb;

        Get(Tcp ta, String path) {
            pcb = ta.newPcb();
            ta.recv(pcb, (pc, p) -> {
                if (p == null) {
                    eof = true;
                    ta.close(pc);
                    return;
                }
                byte[] tmp = new byte[p.totalLength()];
                p.copyOut(0, tmp, 0, tmp.length);
                got.write(tmp, 0, tmp.length);
                ta.recved(pc, tmp.length);
                PbufPool.free(p);
            });
            byte[] req = ("GET " + path + " HTTP/1.1\r\nHost: b\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            assertEquals(Err.OK, ta.connect(pcb, TwoStacks.B, 80, pc -> ta.write(pc, req, 0, req.length)));
        }

        byte[] body() {
            byte[] all = got.toByteArray();
            int at = got.toString(StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n") + 4;
            return Arrays.copyOfRange(all, at, all.length);
        }
    }

    /**
     * Regression: the send queues of a few connections together could take every packet buffer of the
     * pool, leaving none for receiving; the acknowledgements that would free them were dropped ("no packet
     * buffer for a received frame"), retransmissions were never acknowledged, and every connection hung
     * until it gave up (seen over TUN with 12 parallel curl downloads from the default configuration: 16
     * connections x 8760 bytes of send buffer are more than 64 buffers of 1536 bytes). TCP's write now
     * leaves {@code JwipOptions.tcpRxPbufReserve} buffers for the receive path. On the way the service
     * connections meet a full pool with nothing in flight (resumed by the per-turn poll) and a FIN that
     * cannot be queued (retried, where it used to abort with a RST that made the peer drop unread data).
     */
    @Test
    void parallelDownloadsCannotStarveTheReceivePath() throws Exception {
        byte[] file = new byte[200_000];
        new Random(12).nextBytes(file);
        Files.write(dir.resolve("f.bin"), file);
        JwipOptions small = new JwipOptions();
        small.pbufs = 16; // three send queues of 6 full segments would take 18
        s = new TwoStacks(new JwipOptions(), small, 64, 1500);
        a = s.a;
        b = s.b;
        Tcp ta = Tcp.install(a);
        Tcp.install(b);
        HttpServer http = new HttpServer(b, dir);
        assertEquals(Err.OK, http.start(80));
        polled = http;
        Get[] gets = {new Get(ta, "/f.bin"), new Get(ta, "/f.bin"), new Get(ta, "/f.bin")};
        run(20_000);
        System.out.println("3 parallel downloads from a 16-buffer server: memory waits " + http.memWaits()
                + ", close waits " + http.closeWaits());
        for (Get g : gets) {
            assertTrue(g.eof, "download finished: " + g.got.size() + " bytes\n" + b.stats());
            assertArrayEquals(file, g.body());
        }
        assertEquals(0, b.stats().drops(io.jwip.stats.Drop.LINK_NO_BUFFER), b.stats().toString());
        run(1_000);
        http.stop();
        assertTrue(a.stats().allPoolsFull(), a.stats().poolsNotFull());
        assertTrue(b.stats().allPoolsFull(), b.stats().poolsNotFull());
    }
}
