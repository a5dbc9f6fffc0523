package io.jwip.netif;

import static io.jwip.testutil.TestStack.ADDR;
import static io.jwip.testutil.TestStack.PEER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwip.Err;
import io.jwip.buf.Pbuf;
import io.jwip.buf.PbufPool;
import io.jwip.stats.Drop;
import io.jwip.testutil.Packets;
import io.jwip.testutil.TestStack;
import io.jwip.udp.UdpPcb;
import io.jwip.wire.Bytes;
import io.jwip.wire.Checksum;
import io.jwip.wire.Ip4Header;
import io.jwip.wire.TcpFlags;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Checksum capabilities of a netif ({@link Netif#setChecksumOffload}): what the link verified is not checked
 * again, what the link fills is left 0; by default every checksum is computed and verified.
 */
class ChecksumOffloadTest {
    final TestStack t = new TestStack();

    {
        io.jwip.tcp.Tcp.install(t.stack).setIsnSecret(1, 2);
    }

    @AfterEach
    void poolsFull() {
        t.assertPoolsFull();
    }

    /** A TCP SYN from PEER:4000 to ADDR:port with a correct checksum. */
    static byte[] tcpSyn(int port) {
        byte[] h = new byte[20];
        Bytes.put16(h, 0, 4000);
        Bytes.put16(h, 2, port);
        Bytes.put32(h, 4, 12345);
        h[12] = 5 << 4;
        h[13] = (byte) TcpFlags.SYN;
        Bytes.put16(h, 14, 8192);
        long s = Checksum.addPseudoHeader(0, PEER, ADDR, Ip4Header.PROTO_TCP, h.length);
        Bytes.put16(h, 16, Checksum.finish(Checksum.add(s, h, 0, h.length)));
        return Packets.ipv4(PEER, ADDR, Ip4Header.PROTO_TCP, 1, 0, 64, h);
    }

    static byte[] corrupt(byte[] packet, int at) {
        packet[at] ^= 0x21;
        return packet;
    }

    static int tcpChecksum(byte[] ip) {
        return Bytes.u16(ip, 20 + 16);
    }

    static boolean tcpChecksumOk(byte[] ip) {
        int len = ip.length - 20;
        long s = Checksum.addPseudoHeader(0, Packets.src(ip), Packets.dst(ip), Ip4Header.PROTO_TCP, len);
        return Checksum.finish(Checksum.add(s, ip, 20, len)) == 0;
    }

    // ------------------------------------------------------------------ receive

    @Test
    void byDefaultABadTcpChecksumIsDropped() {
        t.link.inject(corrupt(tcpSyn(81), 20 + 4)); // the sequence number, after the checksum was made
        assertEquals(1, t.stack.stats().drops(Drop.TCP_BAD_CHECKSUM));
        assertEquals(0, t.link.pending(), "no RST for a segment that failed its checksum");
    }

    @Test
    void aTcpChecksumTheLinkVerifiedIsNotCheckedAgain() {
        t.netif.setChecksumOffload(Netif.CSUM_TCP, 0);
        t.link.inject(corrupt(tcpSyn(81), 20 + 4));
        assertEquals(0, t.stack.stats().drops(Drop.TCP_BAD_CHECKSUM));
        byte[] rst = t.link.take();
        assertEquals(TcpFlags.RST | TcpFlags.ACK, rst[20 + 13] & 0xff, "answered: port 81 is closed");
    }

    @Test
    void udpIcmpAndTheIpHeaderFollowTheirOwnBits() {
        UdpPcb pcb = t.stack.udp().newPcb();
        int[] got = new int[1];
        assertEquals(Err.OK, t.stack.udp().bind(pcb, 0, 7));
        pcb.recv((pc, p, addr, sport) -> {
            got[0]++;
            PbufPool.free(p);
        });
        byte[] udp = Packets.udp(PEER, ADDR, 5000, 7, Packets.seq(40, 1), true);
        t.link.inject(corrupt(Packets.ipv4(PEER, ADDR, 17, 1, 0, 64, udp.clone()), 20 + 8 + 3));
        assertEquals(1, t.stack.stats().drops(Drop.UDP_BAD_CHECKSUM));
        t.netif.setChecksumOffload(Netif.CSUM_UDP, 0);
        t.link.inject(corrupt(Packets.ipv4(PEER, ADDR, 17, 2, 0, 64, udp.clone()), 20 + 8 + 3));
        assertEquals(1, got[0], "delivered: the link verified UDP");

        byte[] ping = Packets.ipv4(PEER, ADDR, 1, 3, 0, 64, Packets.icmpEcho(8, 1, 1, Packets.seq(16, 2)));
        t.link.inject(corrupt(ping.clone(), 20 + 8));
        assertEquals(1, t.stack.stats().drops(Drop.ICMP_BAD_CHECKSUM), "ICMP is still verified");
        t.netif.setChecksumOffload(Netif.CSUM_UDP | Netif.CSUM_ICMP | Netif.CSUM_IP, 0);
        t.link.inject(corrupt(ping.clone(), 20 + 8));
        assertEquals(8 - 8, t.link.take()[20], "echo reply");
        t.link.inject(corrupt(ping.clone(), 8)); // the TTL: the header checksum no longer matches
        assertEquals(0, t.stack.stats().drops(Drop.IP_BAD_CHECKSUM), "the link verified the IP header");
        assertEquals(0, t.link.take()[20], "echo reply");
        t.stack.udp().remove(pcb);
    }

    // ------------------------------------------------------------------ transmit

    @Test
    void byDefaultTcpAndUdpChecksumsAreFilled() {
        t.link.inject(tcpSyn(81));
        byte[] rst = t.link.take();
        assertNotEquals(0, tcpChecksum(rst));
        assertTrue(tcpChecksumOk(rst));
        sendUdp();
        byte[] u = t.link.take();
        assertTrue(Packets.udpChecksumOk(u));
    }

    @Test
    void checksumsTheLinkFillsAreLeftZero() {
        t.netif.setChecksumOffload(0, Netif.CSUM_TCP | Netif.CSUM_UDP);
        t.link.inject(tcpSyn(81));
        byte[] rst = t.link.take();
        assertEquals(0, tcpChecksum(rst), "left for the link");
        assertTrue(Packets.ipChecksumOk(rst), "the IP header checksum is still ours");
        sendUdp();
        byte[] u = t.link.take();
        assertEquals(0, Bytes.u16(u, 20 + 6), "left for the link");
    }

    private void sendUdp() {
        UdpPcb pcb = t.stack.udp().newPcb();
        assertEquals(Err.OK, t.stack.udp().bind(pcb, 0, 9));
        Pbuf p = t.stack.allocTransport(8, 10);
        p.copyIn(0, Packets.seq(10, 3), 0, 10);
        assertEquals(Err.OK, t.stack.udp().sendTo(pcb, p, PEER, 9));
        PbufPool.free(p);
        t.stack.udp().remove(pcb);
    }

    @Test
    void unknownBitsAreRefused() {
        try {
            t.netif.setChecksumOffload(0, Netif.CSUM_ICMP);
            throw new AssertionError("accepted ICMP transmit offload, which no link does");
        } catch (IllegalArgumentException expected) {
            // ICMP's and the IP header's checksums are always ours on transmit
        }
    }
}
