package io.jwip.ppp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwip.JwipOptions;
import io.jwip.netif.Netif;
import io.jwip.stack.Stack;
import io.jwip.stats.Drop;
import io.jwip.wire.Ip4Addr;
import java.util.ArrayDeque;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * jwip to jwip over PPP on an in-memory byte pipe, on a virtual clock: LCP and IPCP open, the client gets
 * the address the server assigns and the DNS servers, pings go both ways; corrupted bytes fail the FCS and
 * are counted, never delivered; a peer that stops answering is found by the LCP echo keepalive.
 */
class PppSessionTest {
    static final int SERVER = Ip4Addr.of(10, 0, 2, 2);
    static final int CLIENT = Ip4Addr.of(10, 0, 2, 15);
    static final int DNS = Ip4Addr.of(10, 0, 2, 3);

    static final class End implements PppSession.Listener, io.jwip.icmp.EchoListener {
        final Stack stack = new Stack(new JwipOptions());
        final ArrayDeque<byte[]> out = new ArrayDeque<>();
        /** With {@code flat}: writes append here instead of to {@link #out} (no allocation: the alloc test). */
        boolean flat;
        final byte[] flatBuf = new byte[1 << 16];
        int flatLen;
        final PppSession ppp;
        final Netif netif;
        String downReason;
        int ups;
        int replies;
        int dns1;

        End(long seed) {
            stack.random().setSecret(seed, ~seed); // two ends with one sequence would pick one Magic-Number: a "loop"
            ppp = new PppSession((b, off, n) -> {
                if (flat) {
                    System.arraycopy(b, off, flatBuf, flatLen, n);
                    flatLen += n;
                } else {
                    out.add(Arrays.copyOfRange(b, off, off + n));
                }
                return true;
            }, 1500);
            netif = new Netif("ppp0", 1500, ppp);
            stack.addNetif(netif);
            ppp.setListener(this);
            stack.icmp().setEchoListener(this);
        }

        @Override
        public void up(int ours, int peer, int d1, int d2) {
            ups++;
            dns1 = d1;
            netif.configure(ours, 0xffffffff, peer);
            netif.setUp(true);
        }

        @Override
        public void down(String reason) {
            downReason = reason;
        }

        @Override
        public void echoReply(int src, int identifier, int sequence, int dataLength, long now) {
            replies++;
        }
    }

    final End server = new End(1);
    final End client = new End(2);
    long now;
    /** Bytes from client to server are corrupted at this index (-1: never). */
    int corruptAt = -1;
    boolean serverSilent;

    PppSessionTest() {
        server.ppp.server(SERVER, CLIENT, DNS, 0);
        server.stack.timers(0);
        client.stack.timers(0);
        server.ppp.start();
        client.ppp.start();
    }

    void run(long ms) {
        for (long end = now + ms; now < end; now += 10) {
            server.stack.timers(now);
            client.stack.timers(now);
            pump();
        }
    }

    void pump() {
        for (int i = 0; i < 50 && (client.flatLen > 0 || server.flatLen > 0); i++) {
            if (client.flatLen > 0) {
                int n = client.flatLen;
                client.flatLen = 0;
                server.ppp.received(client.flatBuf, 0, n);
            }
            if (server.flatLen > 0) {
                int n = server.flatLen;
                server.flatLen = 0;
                client.ppp.received(server.flatBuf, 0, n);
            }
        }
        for (int i = 0; i < 50 && (!server.out.isEmpty() || !client.out.isEmpty()); i++) {
            while (!client.out.isEmpty()) {
                byte[] b = client.out.poll();
                if (corruptAt >= 0 && corruptAt < b.length) {
                    b[corruptAt] ^= 0x40;
                }
                server.ppp.received(b, 0, b.length);
            }
            while (!server.out.isEmpty()) {
                byte[] b = server.out.poll();
                if (!serverSilent) {
                    client.ppp.received(b, 0, b.length);
                }
            }
        }
    }

    @Test
    void lcpAndIpcpOpen_clientGetsTheAssignedAddressAndDns_pingsBothWays() {
        run(1000);
        assertEquals(PppFsm.OPENED, client.ppp.lcp().fsm().state());
        assertEquals(PppFsm.OPENED, client.ppp.ipcp().fsm().state());
        assertEquals(CLIENT, client.netif.address(), "the address the server assigned (IPCP Nak)");
        assertEquals(SERVER, client.netif.gateway());
        assertEquals(DNS, client.dns1, "RFC 1877 primary DNS");
        client.stack.icmp().sendEcho(SERVER, 1, 1, 56);
        server.stack.icmp().sendEcho(CLIENT, 1, 1, 56);
        run(100);
        assertEquals(1, client.replies);
        assertEquals(1, server.replies);
        assertTrue(client.ppp.framing().framesOut() > 0);
        assertTrue(client.stack.stats().allPoolsFull() && server.stack.stats().allPoolsFull());
    }

    @Test
    void corruptedBytes_failTheFcs_areCounted_neverDelivered() {
        run(1000);
        corruptAt = 10;
        for (int i = 0; i < 20; i++) {
            client.stack.icmp().sendEcho(SERVER, 1, i, 56);
        }
        run(100);
        assertEquals(0, client.replies, "no corrupted echo reached the server");
        assertTrue(server.stack.stats().drops(Drop.PPP_BAD_FCS) >= 20, "each counted: " + server.stack.stats().drops(Drop.PPP_BAD_FCS));
        corruptAt = -1;
        client.stack.icmp().sendEcho(SERVER, 1, 99, 56);
        run(100);
        assertEquals(1, client.replies);
    }

    @Test
    void peerStopsAnswering_echoKeepaliveTakesTheLinkDown() {
        client.ppp.setKeepalive(1000, 3);
        run(1000);
        serverSilent = true;
        run(6000);
        assertTrue(client.downReason != null && client.downReason.startsWith("echo timeout"), String.valueOf(client.downReason));
        assertTrue(!client.ppp.isUp());
    }

    @Test
    void stop_terminatesTheLink_andThePeerHearsIt() {
        run(1000);
        client.ppp.stop();
        run(10_000);
        assertEquals(PppFsm.CLOSED, client.ppp.lcp().fsm().state());
        assertTrue(server.downReason != null, "the server's IP layer went down");
    }
}
