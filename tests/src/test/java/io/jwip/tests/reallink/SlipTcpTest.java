package io.jwip.tests.reallink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwip.JwipOptions;
import io.jwip.stack.Stack;
import io.jwip.netif.Netif;
import io.jwip.netif.slip.SlipLink;
import io.jwip.udp.UdpPcb;
import io.jwip.wire.Ip4Addr;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SLIP over a TCP connection ({@code slip-tcp:HOST:PORT}): stack A connects with {@link SlipLink#tcp},
 * stack B serves the accepted socket with {@link SlipLink#stream}. Loopback only; needs nothing special,
 * so it runs everywhere. Same echo scenarios as the pty test; the stream line's reader thread hands
 * bytes over through a byte ring, and the stack threads allocate nothing per packet.
 */
class SlipTcpTest {
    static final int MTU = 1500;
    static final int A = Ip4Addr.of(10, 97, 0, 1);
    static final int B = Ip4Addr.of(10, 97, 0, 2);

    ServerSocket server;
    Socket accepted;
    SlipLink linkA;
    SlipLink linkB;
    Stack stackA;
    Stack stackB;
    Driver da;
    Driver db;
    UdpPcb echo;

    @BeforeEach
    void up() throws Exception {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        linkA = SlipLink.tcp("127.0.0.1", server.getLocalPort(), MTU);
        accepted = server.accept();
        accepted.setTcpNoDelay(true);
        linkB = SlipLink.stream(accepted.getInputStream(), accepted.getOutputStream(), accepted, MTU);
        stackA = new Stack(new JwipOptions());
        stackB = new Stack(new JwipOptions());
        stackA.addNetif(new Netif("sl0", MTU, linkA).configure(A, Ip4Addr.maskOf(24), 0));
        stackB.addNetif(new Netif("sl0", MTU, linkB).configure(B, Ip4Addr.maskOf(24), 0));
        da = new Driver("tcpA", stackA, linkA::poll);
        db = new Driver("tcpB", stackB, linkB::poll);
        echo = Echo.udpEchoServer(db, 7);
    }

    @AfterEach
    void down() throws Exception {
        try {
            Echo.remove(db, echo);
            da.close();
            db.close();
            System.out.println("A: " + linkA + "\nB: " + linkB);
            assertTrue(stackA.stats().allPoolsFull(), stackA.stats().poolsNotFull());
            assertTrue(stackB.stats().allPoolsFull(), stackB.stats().poolsNotFull());
        } finally {
            linkA.close();
            linkB.close();
            server.close();
        }
    }

    @Test
    void icmpEcho() throws Exception {
        assertEquals(10, Echo.icmpPing(da, B, 10, 1400, 5000));
    }

    @Test
    void udpEcho256KiBByteExactWithoutAllocation() throws Exception {
        byte[] data = new byte[256 * 1024];
        new Random(42).nextBytes(data);
        Echo.UdpClient warm = new Echo.UdpClient(da, B, 7, data, 1400);
        warm.start();
        assertTrue(warm.await(60_000), "warm-up, acked " + warm.acked);
        warm.close();

        // Up to three measured runs; one must allocate exactly 0 on both stack threads (SLIP codec, byte
        // ring, socket write, IP, UDP, echo). See TunLinkTest for why more than one.
        StringBuilder runs = new StringBuilder();
        boolean clean = false;
        for (int run = 0; run < 3 && !clean; run++) {
            long[] a0 = snapshot(da);
            long[] b0 = snapshot(db);
            Echo.UdpClient c = new Echo.UdpClient(da, B, 7, data, 1400);
            c.start();
            assertTrue(c.await(60_000), "acked " + c.acked);
            long[] a1 = snapshot(da);
            long[] b1 = snapshot(db);
            c.close();
            assertEquals(0, c.mismatches);
            runs.append(String.format("run %d: stack A thread %d B, stack B thread %d B for %d datagrams each way%n",
                    run, a1[0] - a0[0], b1[0] - b0[0], (data.length + 1399) / 1400));
            clean = a1[0] == a0[0] && b1[0] == b0[0];
        }
        System.out.print("SLIP/TCP:\n" + runs);
        assertTrue(clean, "stack threads must allocate nothing in a run after warm-up:\n" + runs);
    }

    static long[] snapshot(Driver d) throws Exception {
        long[] s = new long[1];
        d.exec(() -> s[0] = d.allocatedBytes());
        return s;
    }

    @Test
    void textProbeOnTheLineIsCountedNotFatal() throws Exception {
        // A host tool probing the line (a modem "AT", Windows' "CLIENT") before speaking SLIP.
        // Written raw on A's line, unframed, then an END: B's decoder sees one not-IP frame.
        byte[] probe = "AT\r\nCLIENT\r\n".getBytes(StandardCharsets.US_ASCII);
        da.exec(() -> {
            try {
                linkA.line().write(probe, 0, probe.length);
                linkA.line().write(new byte[] {(byte) 0xC0}, 0, 1);
            } catch (java.io.IOException e) {
                throw new RuntimeException(e);
            }
        });
        assertEquals(3, Echo.icmpPing(da, B, 3, 56, 5000));
        assertEquals(1, db.call(() -> linkB.codec().notIp()));
    }

    @Test
    void peerCloseMarksTheLinkDown() throws Exception {
        assertEquals(1, Echo.icmpPing(da, B, 1, 56, 5000));
        accepted.shutdownOutput();
        accepted.close();
        long until = System.currentTimeMillis() + 10_000;
        while (linkA.isUp() && System.currentTimeMillis() < until) {
            Thread.sleep(10);
        }
        System.out.println("A after peer close: " + linkA.downReason());
        assertFalse(linkA.isUp());
        assertFalse(da.call(() -> stackA.netif(1).isUp()));
    }
}
