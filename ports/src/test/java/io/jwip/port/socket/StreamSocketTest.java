package io.jwip.port.socket;

import io.jwip.JwipOptions;
import io.jwip.stack.Stack;
import io.jwip.port.Clock;
import io.jwip.port.threaded.StackThread;
import io.jwip.tcp.Tcp;
import io.jwip.wire.Ip4Addr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The blocking stream sockets on the threaded port, over the loopback netif. */
class StreamSocketTest {
    private static final int LO = Ip4Addr.LOOPBACK;
    private final Stack stack = new Stack(options());
    private final StackThread st;

    StreamSocketTest() {
        Tcp.install(stack);
        st = new StackThread(stack, Clock.system(), 64, 1).start("jwip-stack");
    }

    private static JwipOptions options() {
        JwipOptions o = new JwipOptions();
        o.loopbackQueue = 64;
        o.pbufs = 128;
        o.tcpSegs = 128;
        return o;
    }

    @AfterEach
    void stop() throws Exception {
        // Closing handshakes run on the stack thread after close() returns; give them a bounded moment
        // (they take a few loopback turns), then check nothing leaked.
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (stack.stats().pool("PBUF_POOL").used() != 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        st.shutdown();
        assertEquals(null, st.failure());
        assertTrue(Tcp.of(stack).stats().count(io.jwip.tcp.TcpState.ESTABLISHED) == 0, "connections left open");
        int used = stack.stats().pool("PBUF_POOL").used();
        assertEquals(0, used, () -> "buffers still held: " + stack.stats());
    }

    @Test
    void tenMegabytesBothWays() throws Exception {
        int size = 10_000_000;
        byte[] a2b = new byte[size];
        byte[] b2a = new byte[size];
        new Random(1).nextBytes(a2b);
        new Random(2).nextBytes(b2a);
        try (JwipServerSocket server = new JwipServerSocket(st, 7000, 4)) {
            CompletableFuture<byte[]> serverSide = CompletableFuture.supplyAsync(() -> {
                try (JwipSocket s = server.accept()) {
                    return exchange(s, b2a, size);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            byte[] got;
            try (JwipSocket c = new JwipSocket(st, LO, 7000)) {
                got = exchange(c, a2b, size);
            }
            assertArrayEquals(sha(b2a), sha(got), "server to client");
            assertArrayEquals(sha(a2b), sha(serverSide.get(60, TimeUnit.SECONDS)), "client to server");
        }
    }

    /** Writes {@code out} on a second thread while reading {@code size} bytes, then half-closes. */
    private static byte[] exchange(JwipSocket s, byte[] out, int size) throws Exception {
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                OutputStream os = s.getOutputStream();
                for (int off = 0; off < out.length; off += 32768) {
                    os.write(out, off, Math.min(32768, out.length - off));
                }
                s.shutdownOutput();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        byte[] in = new byte[size];
        InputStream is = s.getInputStream();
        int n = 0;
        while (n < size) {
            int r = is.read(in, n, Math.min(65536, size - n));
            if (r < 0) {
                break;
            }
            n += r;
        }
        assertEquals(size, n);
        assertEquals(-1, is.read(), "end of stream after the peer's shutdownOutput");
        writer.get(60, TimeUnit.SECONDS);
        return in;
    }

    private static byte[] sha(byte[] b) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(b);
    }

    @Test
    void readTimesOutAndAcceptTimesOut() throws Exception {
        try (JwipServerSocket server = new JwipServerSocket(st, 7001, 4)) {
            server.setSoTimeout(50);
            assertThrows(SocketTimeoutException.class, server::accept);
            server.setSoTimeout(0);
            try (JwipSocket c = new JwipSocket(st, LO, 7001); JwipSocket s = server.accept()) {
                c.setSoTimeout(50);
                byte[] b = new byte[10];
                assertThrows(SocketTimeoutException.class, () -> c.read(b, 0, 10));
                // Data that comes later is still delivered.
                s.getOutputStream().write(new byte[]{1, 2, 3});
                c.setSoTimeout(5000);
                assertEquals(3, c.read(b, 0, 10));
            }
        }
    }

    @Test
    void connectionRefused() {
        ConnectException e = assertThrows(ConnectException.class, () -> new JwipSocket(st, LO, 7999));
        assertTrue(e.getMessage().contains("refused"), e.getMessage());
    }

    @Test
    void resetByPeer() throws Exception {
        try (JwipServerSocket server = new JwipServerSocket(st, 7002, 4);
             JwipSocket c = new JwipSocket(st, LO, 7002)) {
            JwipSocket s = server.accept();
            s.abort();
            byte[] b = new byte[10];
            SocketException e = assertThrows(SocketException.class, () -> c.read(b, 0, 10));
            assertTrue(e.getMessage().contains("reset"), e.getMessage());
        }
    }

    @Test
    void halfCloseKeepsReceiving() throws Exception {
        try (JwipServerSocket server = new JwipServerSocket(st, 7003, 4);
             JwipSocket c = new JwipSocket(st, LO, 7003);
             JwipSocket s = server.accept()) {
            c.getOutputStream().write("question".getBytes());
            c.shutdownOutput();
            byte[] b = new byte[100];
            int n = 0;
            int r;
            while ((r = s.read(b, n, 100 - n)) > 0) {
                n += r;
            }
            assertEquals("question", new String(b, 0, n));
            s.getOutputStream().write("answer after your FIN".getBytes());
            s.shutdownOutput();
            n = 0;
            while ((r = c.read(b, n, 100 - n)) > 0) {
                n += r;
            }
            assertEquals("answer after your FIN", new String(b, 0, n));
            assertThrows(SocketException.class, () -> c.getOutputStream().write(1));
        }
    }

    @Test
    void readAndWriteAllocateNothingAfterWarmUp() throws Exception {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (JwipServerSocket server = new JwipServerSocket(st, 7004, 4);
             JwipSocket c = new JwipSocket(st, LO, 7004);
             JwipSocket s = server.accept()) {
            byte[] msg = new byte[4000];
            byte[] buf = new byte[4000];
            long stackTid = threadId("jwip-stack");
            long[] best = null;
            for (int window = 0; window < 6; window++) {
                long me0 = mx.getCurrentThreadAllocatedBytes();
                long st0 = mx.getThreadAllocatedBytes(stackTid);
                for (int i = 0; i < 5000; i++) {
                    c.write(msg, 0, msg.length);
                    int n = 0;
                    while (n < msg.length) {
                        n += s.read(buf, n, msg.length - n);
                    }
                }
                long me = mx.getCurrentThreadAllocatedBytes() - me0;
                long sb = mx.getThreadAllocatedBytes(stackTid) - st0;
                System.out.printf("stream socket window %d: 5000 x 4000 B, app thread %d B, stack thread %d B%n", window, me, sb);
                if (best == null || me + sb < best[0] + best[1]) {
                    best = new long[]{me, sb};
                }
                if (me == 0 && sb == 0 && window >= 2) {
                    break;
                }
            }
            // A window may carry a one-off JIT charge (see the tests module's Alloc); a real per-read or
            // per-write allocation would show in every window.
            assertEquals(0, best[0], "application thread bytes per window");
            assertEquals(0, best[1], "stack thread bytes per window");
        }
    }

    private static long threadId(String name) {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(name)) {
                return t.getId();
            }
        }
        throw new AssertionError("no thread " + name);
    }
}
