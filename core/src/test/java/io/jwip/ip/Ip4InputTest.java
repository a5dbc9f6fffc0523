package io.jwip.ip;

import io.jwip.stats.Drop;
import io.jwip.testutil.Packets;
import io.jwip.testutil.TestStack;
import io.jwip.wire.Bytes;
import io.jwip.wire.Checksum;
import io.jwip.wire.IcmpHeader;
import io.jwip.wire.Ip4Addr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static io.jwip.testutil.TestStack.ADDR;
import static io.jwip.testutil.TestStack.PEER;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** IPv4 input validation (RFC 791, RFC 1122 3.2.1): every malformed header kind is dropped and counted. */
class Ip4InputTest {
    private final TestStack t = new TestStack();

    @AfterEach
    void poolsFull() {
        t.assertPoolsFull();
    }

    private byte[] echoRequest() {
        return Packets.ipv4(PEER, ADDR, 1, 1, 0, 64, Packets.icmpEcho(8, 1, 1, Packets.seq(32, 0)));
    }

    private void assertDropped(byte[] pkt, int reason) {
        t.link.inject(pkt);
        assertEquals(1, t.stack.stats().drops(reason), Drop.name(reason));
        assertEquals(1, t.stack.stats().ip.drop);
        assertNull(t.link.poll(), "nothing must be sent in answer to a malformed packet");
    }

    @Test
    void validEchoIsAnswered() {
        t.link.inject(echoRequest());
        byte[] reply = t.link.take();
        assertEquals(PEER, Packets.dst(reply));
    }

    /** An echo request from {@code src}, which must be dropped as a martian and never answered. */
    private void assertMartian(int src) {
        byte[] p = Packets.ipv4(src, ADDR, 1, 1, 0, 64, Packets.icmpEcho(8, 1, 1, Packets.seq(32, 0)));
        t.link.inject(p);
        assertEquals(1, t.stack.stats().drops(Drop.IP_MARTIAN), Ip4Addr.toString(src));
        assertNull(t.link.poll(), "no answer to a martian");
        t.stack.timers(t.now); // nothing queued on the loopback either
        assertNull(t.link.poll());
        assertEquals(0, t.stack.stats().icmp.xmit, "nothing answered, not even through the loopback");
    }

    @Test
    void martianSource_loopbackFromOutside_isDropped() {
        assertMartian(Ip4Addr.of(127, 0, 0, 1)); // slirp's default host address: RFC 1122 3.2.1.3 MUST
    }

    @Test
    void martianSource_thisNetwork_isDropped() {
        assertMartian(Ip4Addr.of(0, 1, 2, 3));
    }

    @Test
    void martianSource_classE_isDropped() {
        assertMartian(Ip4Addr.of(240, 0, 0, 9));
    }

    @Test
    void martianSource_ourOwnAddressFromOutside_isDropped() {
        assertMartian(ADDR);
    }

    @Test
    void unspecifiedSource_toTheLimitedBroadcast_isAccepted() {
        // a host that does not know its address yet (a DHCP client's DISCOVER) may send from 0.0.0.0
        byte[] p = Packets.ipv4(0, Ip4Addr.BROADCAST, 17, 1, 0, 64, new byte[8]);
        t.link.inject(p);
        assertEquals(0, t.stack.stats().drops(Drop.IP_MARTIAN));
    }

    @Test
    void badVersionDropped() {
        byte[] p = echoRequest();
        p[0] = (byte) (0x60 | (p[0] & 0x0f));
        fixChecksum(p);
        assertDropped(p, Drop.IP_BAD_VERSION);
    }

    @Test
    void ihlBelowFiveDropped() {
        byte[] p = echoRequest();
        p[0] = (byte) 0x44;
        assertDropped(p, Drop.IP_BAD_IHL);
    }

    @Test
    void ihlBeyondBufferDropped() {
        byte[] p = echoRequest();
        byte[] shortPkt = new byte[24];
        System.arraycopy(p, 0, shortPkt, 0, 24);
        shortPkt[0] = (byte) 0x4f; // 60-byte header in a 24-byte packet
        assertDropped(shortPkt, Drop.IP_BAD_IHL);
    }

    @Test
    void totalLengthBeyondBufferDropped() {
        byte[] p = echoRequest();
        Bytes.put16(p, 2, p.length + 1);
        fixChecksum(p);
        assertDropped(p, Drop.IP_BAD_LENGTH);
    }

    @Test
    void totalLengthBelowHeaderDropped() {
        byte[] p = echoRequest();
        Bytes.put16(p, 2, 19);
        fixChecksum(p);
        assertDropped(p, Drop.IP_BAD_LENGTH);
    }

    @Test
    void badChecksumDropped() {
        byte[] p = echoRequest();
        p[10] ^= 0x01;
        assertDropped(p, Drop.IP_BAD_CHECKSUM);
    }

    @Test
    void truncatedPacketDropped() {
        byte[] p = echoRequest();
        assertDropped(java.util.Arrays.copyOf(p, 19), Drop.IP_TRUNCATED);
    }

    @Test
    void emptyPacketDropped() {
        assertDropped(new byte[0], Drop.IP_TRUNCATED);
    }

    @Test
    void broadcastSourceDropped() {
        byte[] p = Packets.ipv4(Ip4Addr.BROADCAST, ADDR, 1, 1, 0, 64, Packets.icmpEcho(8, 1, 1, new byte[4]));
        assertDropped(p, Drop.IP_BAD_SOURCE);
    }

    @Test
    void notForUsDroppedWhenNotForwarding() {
        byte[] p = Packets.ipv4(PEER, Ip4Addr.of(10, 0, 0, 9), 1, 1, 0, 64, Packets.icmpEcho(8, 1, 1, new byte[4]));
        assertDropped(p, Drop.IP_NOT_FOR_US);
    }

    @Test
    void loopbackDestinationFromOutsideDropped() {
        byte[] p = Packets.ipv4(PEER, Ip4Addr.LOOPBACK, 1, 1, 0, 64, Packets.icmpEcho(8, 1, 1, new byte[4]));
        assertDropped(p, Drop.IP_NOT_FOR_US);
    }

    @Test
    void optionsAreSkipped() {
        byte[] options = {1, 1, 1, 0}; // NOP NOP NOP EOL
        byte[] data = Packets.seq(20, 3);
        byte[] p = Packets.ipv4(PEER, ADDR, 1, 7, 0, 64, options, Packets.icmpEcho(8, 9, 10, data));
        t.link.inject(p);
        byte[] reply = t.link.take();
        assertEquals(20, Packets.ihl(reply));
        byte[] icmp = Packets.payload(reply);
        assertEquals(0, icmp[0]);
        assertArrayEquals(data, java.util.Arrays.copyOfRange(icmp, 8, icmp.length));
    }

    @Test
    void linkPaddingIsTrimmed() {
        byte[] p = echoRequest();
        byte[] padded = java.util.Arrays.copyOf(p, p.length + 10);
        t.link.inject(padded);
        byte[] reply = t.link.take();
        assertEquals(p.length, reply.length);
    }

    @Test
    void unknownProtocolGetsProtocolUnreachable() {
        byte[] p = Packets.ipv4(PEER, ADDR, 99, 1, 0, 64, Packets.seq(12, 0));
        t.link.inject(p);
        byte[] err = t.link.take();
        byte[] icmp = Packets.payload(err);
        assertEquals(IcmpHeader.TYPE_DEST_UNREACHABLE, icmp[0]);
        assertEquals(IcmpHeader.CODE_PROTOCOL_UNREACHABLE, icmp[1]);
        assertEquals(1, t.stack.stats().drops(Drop.IP_BAD_PROTOCOL));
    }

    @Test
    void randomGarbageNeverThrowsAndNeverLeaks() {
        Random r = new Random(42);
        byte[] good = echoRequest();
        for (int i = 0; i < 20000; i++) {
            byte[] p;
            if (r.nextBoolean()) {
                p = new byte[r.nextInt(80)];
                r.nextBytes(p);
                if (p.length > 0 && r.nextBoolean()) {
                    p[0] = 0x45;
                }
            } else {
                p = good.clone();
                int flips = 1 + r.nextInt(4);
                for (int f = 0; f < flips; f++) {
                    p[r.nextInt(p.length)] ^= (byte) (1 << r.nextInt(8));
                }
                if (r.nextBoolean()) {
                    fixChecksum(p);
                }
            }
            t.link.inject(p);
            t.link.clear();
        }
        t.advance(60_000); // let any fragment that got in time out
        t.link.clear();
    }

    static void fixChecksum(byte[] p) {
        int hlen = (p[0] & 0x0f) * 4;
        if (hlen < 20 || hlen > p.length) {
            hlen = 20;
        }
        Bytes.put16(p, 10, 0);
        Bytes.put16(p, 10, Checksum.of(p, 0, hlen));
    }
}
