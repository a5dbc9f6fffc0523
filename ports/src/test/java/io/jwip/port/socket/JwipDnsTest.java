package io.jwip.port.socket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwip.JwipOptions;
import io.jwip.dns.DnsResolver;
import io.jwip.port.Clock;
import io.jwip.port.threaded.StackThread;
import io.jwip.stack.Stack;
import io.jwip.wire.Bytes;
import io.jwip.wire.Ip4Addr;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Blocking lookups from an application thread: a DNS server on the same stack (a {@link JwipDatagramSocket}
 * on 127.0.0.1:53, served by a thread of its own) answers device.test, says NXDOMAIN for the rest, or stays
 * silent.
 */
class JwipDnsTest {
    static final int DEVICE = Ip4Addr.of(192, 0, 2, 7);

    private final Stack stack = new Stack(new JwipOptions());
    private final StackThread st = new StackThread(stack, Clock.system(), 16, 1);
    private final DnsResolver resolver;
    private final AtomicBoolean silent = new AtomicBoolean();
    private final Thread server;
    private final JwipDatagramSocket sock;

    JwipDnsTest() throws Exception {
        resolver = new DnsResolver(stack);
        resolver.setServers(new int[] {Ip4Addr.LOOPBACK}, 1);
        st.start("jwip-test");
        sock = new JwipDatagramSocket(st);
        sock.bind(0, 53);
        server = new Thread(this::serve, "dns-server");
        server.setDaemon(true);
        server.start();
    }

    private void serve() {
        Datagram d = new Datagram(512);
        try {
            while (true) {
                sock.receive(d);
                if (silent.get()) {
                    continue;
                }
                byte[] b = d.data;
                int n = d.length;
                boolean known = b[12] == 6 && b[13] == 'd';
                Bytes.put16(b, 2, 0x8180 | (known ? 0 : 3));
                if (known) {
                    Bytes.put16(b, 6, 1);
                    b[n] = (byte) 0xc0;
                    b[n + 1] = 12;
                    Bytes.put16(b, n + 2, 1);
                    Bytes.put16(b, n + 4, 1);
                    Bytes.put32(b, n + 6, 300);
                    Bytes.put16(b, n + 10, 4);
                    Bytes.put32(b, n + 12, DEVICE);
                    n += 16;
                }
                sock.send(b, 0, n, d.addr, d.port);
            }
        } catch (Exception e) {
            // the socket closed at the end of the test
        }
    }

    @AfterEach
    void stop() throws Exception {
        sock.close();
        st.shutdown();
        assertEquals(null, st.failure());
    }

    @Test
    void resolve_blocksUntilTheAnswer_thenTheCacheAnswersAtOnce() throws Exception {
        JwipDns dns = new JwipDns(st, resolver);
        assertArrayEquals(new int[] {DEVICE}, dns.resolve("device.test", 5000));
        silent.set(true);
        assertArrayEquals(new int[] {DEVICE}, dns.resolve("DEVICE.test", 5000), "from the cache");
    }

    @Test
    void unknownName_isUnknownHostException() {
        JwipDns dns = new JwipDns(st, resolver);
        UnknownHostException e = assertThrows(UnknownHostException.class, () -> dns.resolve("nothing.test", 5000));
        assertTrue(e.getMessage().contains("NXDOMAIN"), e.getMessage());
    }

    @Test
    void silentServer_timesOut() {
        silent.set(true);
        JwipDns dns = new JwipDns(st, resolver);
        assertThrows(SocketTimeoutException.class, () -> dns.resolve("device.test", 200));
    }
}
