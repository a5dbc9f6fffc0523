package io.jwip.udp;

import io.jwip.Err;
import io.jwip.buf.Pbuf;
import io.jwip.buf.PbufPool;
import io.jwip.stats.Drop;
import io.jwip.testutil.Packets;
import io.jwip.testutil.TestStack;
import io.jwip.wire.Bytes;
import io.jwip.wire.IcmpHeader;
import io.jwip.wire.Ip4Addr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.jwip.testutil.TestStack.ADDR;
import static io.jwip.testutil.TestStack.PEER;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** UDP (RFC 768) and its raw API. */
class UdpTest {
    private final TestStack t = new TestStack();
    private final Udp udp = t.stack.udp();
    private final List<byte[]> received = new ArrayList<>();
    private final List<Integer> from = new ArrayList<>();
    private UdpPcb pcb;

    @AfterEach
    void cleanUp() {
        if (pcb != null) {
            udp.remove(pcb);
        }
        t.assertPoolsFull();
    }

    private void listen(int port) {
        pcb = udp.newPcb();
        assertEquals(Err.OK, udp.bind(pcb, 0, port));
        pcb.recv((pc, p, addr, sport) -> {
            byte[] b = new byte[p.totalLength()];
            p.copyOut(0, b, 0, b.length);
            received.add(b);
            from.add(sport);
            PbufPool.free(p);
        });
    }

    @Test
    void receiveWithChecksum() {
        listen(7);
        byte[] data = Packets.seq(100, 1);
        t.link.inject(Packets.ipv4(PEER, ADDR, 17, 1, 0, 64, Packets.udp(PEER, ADDR, 5000, 7, data, true)));
        assertEquals(1, received.size());
        assertArrayEquals(data, received.get(0));
        assertEquals(5000, from.get(0));
    }

    @Test
    void zeroChecksumAccepted() {
        listen(7);
        byte[] data = Packets.seq(33, 2);
        t.link.inject(Packets.ipv4(PEER, ADDR, 17, 1, 0, 64, Packets.udp(PEER, ADDR, 5000, 7, data, false)));
        assertArrayEquals(data, received.get(0));
    }

    @Test
    void badChecksumDropped() {
        listen(7);
        byte[] u = Packets.udp(PEER, ADDR, 5000, 7, Packets.seq(20, 3), true);
        u[10] ^= 0x40;
        t.link.inject(Packets.ipv4(PEER, ADDR, 17, 1, 0, 64, u));
        assertTrue(received.isEmpty());
        assertEquals(1, t.stack.stats().drops(Drop.UDP_BAD_CHECKSUM));
    }

    @Test
    void badLengthDropped() {
        listen(7);
        byte[] u = Packets.udp(PEER, ADDR, 5000, 7, Packets.seq(20, 3), false);
        Bytes.put16(u, 4, u.length + 1);
        t.link.inject(Packets.ipv4(PEER, ADDR, 17, 1, 0, 64, u));
        Bytes.put16(u, 4, 7);
        t.link.inject(Packets.ipv4(PEER, ADDR, 17, 2, 0, 64, u));
        t.link.inject(Packets.ipv4(PEER, ADDR, 17, 3, 0, 64, new byte[5]));
        assertTrue(received.isEmpty());
        assertEquals(2, t.stack.stats().drops(Drop.UDP_BAD_LENGTH));
        assertEquals(1, t.stack.stats().drops(Drop.UDP_TRUNCATED));
    }

    @Test
    void closedPortAnsweredWithPortUnreachable() {
        byte[] ip = Packets.ipv4(PEER, ADDR, 17, 42, 0, 64, Packets.udp(PEER, ADDR, 5000, 9999, Packets.seq(30, 0), true));
        t.link.inject(ip);
        byte[] err = t.link.take();
        assertEquals(PEER, Packets.dst(err));
        assertEquals(ADDR, Packets.src(err));
        byte[] icmp = Packets.payload(err);
        assertEquals(IcmpHeader.TYPE_DEST_UNREACHABLE, icmp[0]);
        assertEquals(IcmpHeader.CODE_PORT_UNREACHABLE, icmp[1]);
        // It quotes the original IP header and the first 8 bytes of its data (RFC 792).
        assertArrayEquals(Arrays.copyOf(ip, 28), Arrays.copyOfRange(icmp, 8, 36));
        assertEquals(1, t.stack.stats().drops(Drop.UDP_NO_PORT));
    }

    @Test
    void closedPortBroadcastIsSilent() {
        t.link.inject(Packets.ipv4(PEER, Ip4Addr.BROADCAST, 17, 42, 0, 64,
                Packets.udp(PEER, Ip4Addr.BROADCAST, 5000, 9999, Packets.seq(30, 0), true)));
        assertNull(t.link.poll());
    }

    @Test
    void sendHasValidChecksumAndHeader() {
        pcb = udp.newPcb();
        assertEquals(Err.OK, udp.bind(pcb, 0, 1234));
        byte[] data = Packets.seq(333, 9);
        Pbuf p = t.stack.allocTransport(8, data.length);
        p.copyIn(0, data, 0, data.length);
        assertEquals(Err.OK, udp.sendTo(pcb, p, PEER, 53));
        assertEquals(data.length, p.totalLength(), "sendTo uses the buffer and leaves it as it was");
        PbufPool.free(p);
        byte[] out = t.link.take();
        assertTrue(Packets.udpChecksumOk(out));
        byte[] u = Packets.payload(out);
        assertEquals(1234, Bytes.u16(u, 0));
        assertEquals(53, Bytes.u16(u, 2));
        assertEquals(8 + data.length, Bytes.u16(u, 4));
        assertArrayEquals(data, Arrays.copyOfRange(u, 8, u.length));
    }

    @Test
    void sendWithoutHeadroomPrependsAHeaderBuffer() {
        pcb = udp.newPcb();
        byte[] data = Packets.seq(10, 4);
        Pbuf p = t.stack.pbufPool().alloc(0, data.length);
        p.copyIn(0, data, 0, data.length);
        assertEquals(Err.OK, udp.sendTo(pcb, p, PEER, 53));
        assertEquals(1, p.refCount());
        PbufPool.free(p);
        byte[] out = t.link.take();
        assertTrue(Packets.udpChecksumOk(out));
        assertTrue(pcb.localPort() >= 49152, "unbound pcb got an ephemeral port");
    }

    @Test
    void connectedPcbOnlyHearsItsPeer() {
        pcb = udp.newPcb();
        assertEquals(Err.OK, udp.bind(pcb, ADDR, 7));
        assertEquals(Err.OK, udp.connect(pcb, PEER, 6000));
        int[] hits = new int[1];
        pcb.recv((pc, p, a, s) -> {
            hits[0]++;
            PbufPool.free(p);
        });
        t.link.inject(Packets.ipv4(PEER, ADDR, 17, 1, 0, 64, Packets.udp(PEER, ADDR, 6000, 7, new byte[4], true)));
        t.link.inject(Packets.ipv4(PEER, ADDR, 17, 2, 0, 64, Packets.udp(PEER, ADDR, 6001, 7, new byte[4], true)));
        assertEquals(1, hits[0]);
        assertEquals(1, t.stack.stats().drops(Drop.UDP_NO_PORT), "another peer's datagram finds no socket");
        t.link.clear();
    }

    @Test
    void specificBindBesideWildcardIsRefused() {
        listen(7);
        UdpPcb c = udp.newPcb();
        assertEquals(Err.USE, udp.bind(c, ADDR, 7), "as lwIP without SO_REUSE");
        assertEquals(Err.OK, udp.bind(c, ADDR, 8));
        udp.remove(c);
    }

    @Test
    void bindConflictsAndPoolExhaustion() {
        listen(7);
        UdpPcb other = udp.newPcb();
        assertEquals(Err.USE, udp.bind(other, 0, 7));
        udp.remove(other);
        List<UdpPcb> all = new ArrayList<>();
        UdpPcb x;
        while ((x = udp.newPcb()) != null) {
            all.add(x);
        }
        assertEquals(t.stack.options().udpPcbs - 1, all.size());
        assertEquals(1, t.stack.stats().pool("UDP_PCB").err());
        for (UdpPcb y : all) {
            udp.remove(y);
        }
        UdpPcb again = udp.newPcb();
        assertNotNull(again, "pcbs given back are usable again");
        udp.remove(again);
    }

    @Test
    void noRecvCallbackCountsDrop() {
        pcb = udp.newPcb();
        udp.bind(pcb, 0, 7);
        t.link.inject(Packets.ipv4(PEER, ADDR, 17, 1, 0, 64, Packets.udp(PEER, ADDR, 6000, 7, new byte[4], true)));
        assertEquals(1, t.stack.stats().drops(Drop.UDP_NO_PORT));
    }
}
