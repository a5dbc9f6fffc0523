package io.jwip.port.socket;

import io.jwip.JwipOptions;
import io.jwip.stack.Stack;
import io.jwip.port.Clock;
import io.jwip.port.threaded.StackThread;
import io.jwip.wire.Ip4Addr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.net.SocketTimeoutException;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The blocking datagram socket on the threaded port, over the loopback netif. */
class DatagramSocketTest {
    private final Stack stack = new Stack(new JwipOptions());
    private final StackThread st = new StackThread(stack, Clock.system(), 16, 1).start("jwip-test");

    @AfterEach
    void stop() throws Exception {
        st.shutdown();
        assertEquals(null, st.failure());
        assertTrue(stack.stats().allPoolsFull(), stack.stats().poolsNotFull());
    }

    @Test
    void echoBetweenTwoSockets() throws Exception {
        try (JwipDatagramSocket a = new JwipDatagramSocket(st); JwipDatagramSocket b = new JwipDatagramSocket(st)) {
            a.bind(0, 5000);
            b.bind(0, 5001);
            byte[] msg = "hello, jwip".getBytes();
            a.send(msg, 0, msg.length, Ip4Addr.LOOPBACK, 5001);
            Datagram d = new Datagram(100);
            b.receive(d);
            assertArrayEquals(msg, Arrays.copyOfRange(d.data, 0, d.length));
            assertEquals(5000, d.port);
            assertEquals(Ip4Addr.LOOPBACK, d.addr);
            b.send(d.data, 0, d.length, d.addr, d.port);
            Datagram e = new Datagram(4);
            a.receive(e);
            assertTrue(e.truncated);
            assertEquals(4, e.length);
        }
    }

    @Test
    void receiveTimesOut() throws Exception {
        try (JwipDatagramSocket a = new JwipDatagramSocket(st)) {
            a.bind(0, 5002);
            a.setSoTimeout(30);
            assertThrows(SocketTimeoutException.class, () -> a.receive(new Datagram(10)));
            // A datagram that comes after the timeout is still there for the next receive.
            byte[] one = {1};
            a.send(one, 0, 1, Ip4Addr.LOOPBACK, 5002);
            a.setSoTimeout(5000);
            Datagram d = new Datagram(10);
            a.receive(d);
            assertEquals(1, d.length);
        }
    }

    @Test
    void sendAndReceiveAllocateNothingAfterWarmUp() throws Exception {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (JwipDatagramSocket a = new JwipDatagramSocket(st); JwipDatagramSocket b = new JwipDatagramSocket(st)) {
            a.bind(0, 6000);
            b.bind(0, 6001);
            byte[] msg = new byte[512];
            Datagram d = new Datagram(1024);
            for (int i = 0; i < 20_000; i++) {
                a.send(msg, 0, msg.length, Ip4Addr.LOOPBACK, 6001);
                b.receive(d);
            }
            long stackThreadId = stackThreadId();
            // Windows, as in the tests module's Alloc: a one-off JIT charge may land in one window; a real
            // per-datagram allocation would show in every one.
            int n = 20_000;
            String seen = "";
            boolean clean = false;
            for (int w = 0; w < 5 && !clean; w++) {
                long me0 = mx.getCurrentThreadAllocatedBytes();
                long st0 = mx.getThreadAllocatedBytes(stackThreadId);
                for (int i = 0; i < n; i++) {
                    a.send(msg, 0, msg.length, Ip4Addr.LOOPBACK, 6001);
                    b.receive(d);
                }
                long me = mx.getCurrentThreadAllocatedBytes() - me0;
                long sb = mx.getThreadAllocatedBytes(stackThreadId) - st0;
                System.out.printf("datagram socket window %d: %d round trips, app thread %d bytes, stack thread %d bytes%n",
                        w, n, me, sb);
                seen += " [" + me + ", " + sb + "]";
                clean = me == 0 && sb == 0;
            }
            assertTrue(clean, "no window without allocation (app, stack):" + seen);
        }
    }

    private static long stackThreadId() {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("jwip-test")) {
                return t.getId();
            }
        }
        throw new AssertionError("no stack thread");
    }
}
