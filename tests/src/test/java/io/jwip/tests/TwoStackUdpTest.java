package io.jwip.tests;

import io.jwip.testutil.TwoStacks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwip.Err;
import io.jwip.JwipOptions;
import io.jwip.buf.Pbuf;
import io.jwip.buf.PbufPool;
import io.jwip.netif.mem.InMemoryLink;
import io.jwip.stats.Drop;
import io.jwip.udp.UdpPcb;
import io.jwip.wire.Checksum;
import io.jwip.wire.Ip4Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** UDP between two whole stacks over the in-memory wire: checksums, fragmentation, reassembly. */
class TwoStackUdpTest {
    private TwoStacks s;

    /** Keeps a copy of the last datagram received and where it came from. */
    static final class Received {
        byte[] data = new byte[0];
        int src;
        int srcPort;
        int count;
    }

    @AfterEach
    void poolsBackToFull() {
        if (s != null) {
            assertTrue(s.poolsFull(), "pools not full: " + s.poolsNotFull());
        }
    }

    private static byte[] pattern(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed + (i >> 8));
        }
        return b;
    }

    private static UdpPcb receiver(io.jwip.stack.Stack st, int port, Received into) {
        UdpPcb pcb = st.udp().newPcb();
        assertEquals(Err.OK, st.udp().bind(pcb, 0, port));
        pcb.recv((q, p, src, sport) -> {
            into.data = new byte[p.totalLength()];
            p.copyOut(0, into.data, 0, into.data.length);
            into.src = src;
            into.srcPort = sport;
            into.count++;
            PbufPool.free(p);
        });
        return pcb;
    }

    private static int send(io.jwip.stack.Stack st, UdpPcb pcb, byte[] data, int dst, int port) {
        Pbuf p = st.allocTransport(8, data.length);
        p.copyIn(0, data, 0, data.length);
        int err = st.udp().sendTo(pcb, p, dst, port);
        PbufPool.free(p);
        return err;
    }

    @Test
    void roundTripWithChecksum() {
        InMemoryLink wire = new InMemoryLink(16, 1500);
        WireTap tapA = new WireTap(wire.a());
        WireTap tapB = new WireTap(wire.b());
        s = new TwoStacks(wire, tapA, tapB, 1500, new JwipOptions());
        UdpEcho echo = new UdpEcho(s.b, 7);
        Received got = new Received();
        UdpPcb client = receiver(s.a, 5555, got);

        byte[] msg = pattern(100, 7);
        assertEquals(Err.OK, send(s.a, client, msg, TwoStacks.B, 7));
        s.exchange();
        assertEquals(1, echo.echoed);
        assertEquals(1, got.count);
        assertArrayEquals(msg, got.data);
        assertEquals(TwoStacks.B, got.src);
        assertEquals(7, got.srcPort);

        // What went on the wire carries a real checksum that verifies over the pseudo header.
        byte[] w = tapA.lastSent;
        int len = tapA.lastSentLength;
        assertEquals(20 + 8 + 100, len);
        assertEquals(Ip4Header.PROTO_UDP, w[9]);
        int udpCsum = ((w[26] & 0xff) << 8) | (w[27] & 0xff);
        assertNotEquals(0, udpCsum, "checksum is sent");
        long sum = Checksum.addPseudoHeader(0, TwoStacks.A, TwoStacks.B, Ip4Header.PROTO_UDP, len - 20);
        assertEquals(0, Checksum.finish(Checksum.add(sum, w, 20, len - 20)), "checksum verifies");
        assertEquals(0, Checksum.finish(Checksum.add(0, w, 0, 20)), "IP header checksum verifies");

        // One payload bit flipped on the way in: B drops it and counts it; nothing is echoed.
        tapB.tamperOffset = 20 + 8 + 50;
        assertEquals(Err.OK, send(s.a, client, msg, TwoStacks.B, 7));
        s.exchange();
        assertEquals(1, s.b.stats().drops(Drop.UDP_BAD_CHECKSUM));
        assertEquals(1, echo.echoed);

        // A zero checksum means "none" (RFC 768): B accepts the datagram and echoes it.
        tapB.tamperOffset = 26;
        tapB.tamperLength = 2;
        tapB.tamperValue = 0;
        assertEquals(Err.OK, send(s.a, client, msg, TwoStacks.B, 7));
        s.exchange();
        assertEquals(2, echo.echoed);
        assertEquals(2, got.count);
        assertArrayEquals(msg, got.data);
        assertEquals(1, s.b.stats().drops(Drop.UDP_BAD_CHECKSUM));

        s.a.udp().remove(client);
        echo.close();
    }

    @Test
    void fourThousandBytesFragmentedAt576AndReassembledByteExact() {
        s = new TwoStacks(new InMemoryLink(32, 576), 576);
        Received atB = new Received();
        UdpPcb server = receiver(s.b, 9000, atB);
        Received atA = new Received();
        UdpPcb client = receiver(s.a, 9001, atA);

        byte[] big = pattern(4000, 3);
        assertEquals(Err.OK, send(s.a, client, big, TwoStacks.B, 9000));
        // 4008 bytes of UDP in fragments of at most 576 - 20 = 556, rounded down to 552: 8 fragments.
        assertEquals(8, s.wire.a().tx().inFlight());
        assertEquals(8, s.a.stats().frag.xmit);
        s.exchange();
        assertEquals(1, atB.count);
        assertArrayEquals(big, atB.data, "payload byte-exact after reassembly");
        assertEquals(TwoStacks.A, atB.src);
        assertEquals(9001, atB.srcPort);
        assertEquals(8, s.wire.a().tx().delivered());
        assertEquals(0, s.b.stats().drops(Drop.UDP_BAD_CHECKSUM));

        // And back again, from B, to show both directions fragment and reassemble.
        byte[] back = pattern(4000, 99);
        assertEquals(Err.OK, send(s.b, server, back, TwoStacks.A, 9001));
        s.exchange();
        assertEquals(1, atA.count);
        assertArrayEquals(back, atA.data);

        s.a.udp().remove(client);
        s.b.udp().remove(server);
    }

    @Test
    void lostFragmentIsFreedByTheReassemblyTimeout() {
        InMemoryLink wire = new InMemoryLink(32, 576);
        s = new TwoStacks(wire, 576);
        Received atB = new Received();
        UdpPcb server = receiver(s.b, 9000, atB);
        UdpPcb client = s.a.udp().newPcb();
        s.a.udp().bind(client, 0, 9001);
        byte[] big = pattern(4000, 5);
        assertEquals(Err.OK, send(s.a, client, big, TwoStacks.B, 9000));
        assertEquals(8, wire.a().tx().inFlight());
        s.exchange();
        assertEquals(1, atB.count, "control: complete datagram arrives");
        wire.setFaults(new io.jwip.netif.mem.Faults().seed(1).loss(0.3));
        for (int i = 0; i < 10; i++) {
            send(s.a, client, big, TwoStacks.B, 9000);
            s.exchange();
        }
        int incomplete = 11 - atB.count;
        assertTrue(incomplete > 0, "some datagrams lost a fragment");
        assertTrue(!s.b.stats().allPoolsFull(), "incomplete datagrams hold buffers for now");
        s.runUntil(wire.now() + new JwipOptions().ipReassTimeoutMs + 1000);
        assertTrue(s.b.stats().drops(Drop.FRAG_TIMEOUT) > 0);
        s.a.udp().remove(client);
        s.b.udp().remove(server);
    }
}
