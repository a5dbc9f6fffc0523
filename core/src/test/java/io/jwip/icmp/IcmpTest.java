package io.jwip.icmp;

import io.jwip.JwipOptions;
import io.jwip.stats.Drop;
import io.jwip.testutil.Packets;
import io.jwip.testutil.TestStack;
import io.jwip.wire.Bytes;
import io.jwip.wire.Checksum;
import io.jwip.wire.IcmpHeader;
import io.jwip.wire.Ip4Addr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static io.jwip.testutil.TestStack.ADDR;
import static io.jwip.testutil.TestStack.PEER;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ICMP (RFC 792, RFC 1122 3.2.2): echo, errors, and the rules that keep ICMP from answering itself. */
class IcmpTest {
    private TestStack t = new TestStack();

    @AfterEach
    void poolsFull() {
        t.assertPoolsFull();
    }

    @Test
    void echoReplyIsByteExact() {
        for (int size : new int[]{0, 1, 31, 56, 1000, 1472}) {
            byte[] data = Packets.seq(size, size);
            byte[] req = Packets.icmpEcho(IcmpHeader.TYPE_ECHO, 0x1234, size, data);
            t.link.inject(Packets.ipv4(PEER, ADDR, 1, 77, 0, 64, req));
            byte[] reply = t.link.take();
            assertTrue(Packets.ipChecksumOk(reply));
            assertEquals(ADDR, Packets.src(reply));
            assertEquals(PEER, Packets.dst(reply));
            assertEquals(1, Packets.proto(reply));
            byte[] icmp = Packets.payload(reply);
            assertEquals(IcmpHeader.TYPE_ECHO_REPLY, icmp[0]);
            assertEquals(0, icmp[1]);
            assertEquals(0, Checksum.of(icmp, 0, icmp.length), "ICMP checksum");
            // Everything after type and checksum is the request's, byte for byte.
            byte[] expect = req.clone();
            expect[0] = 0;
            Bytes.put16(expect, 2, 0);
            Bytes.put16(icmp, 2, 0);
            assertArrayEquals(expect, icmp);
        }
        assertEquals(0, t.link.pending());
    }

    @Test
    void echoToBroadcastIgnoredByDefault() {
        byte[] req = Packets.icmpEcho(8, 1, 1, new byte[8]);
        t.link.inject(Packets.ipv4(PEER, Ip4Addr.of(10, 0, 0, 255), 1, 1, 0, 64, req));
        t.link.inject(Packets.ipv4(PEER, Ip4Addr.BROADCAST, 1, 2, 0, 64, req));
        assertNull(t.link.poll());
        assertEquals(2, t.stack.stats().drops(Drop.ICMP_BROADCAST_ECHO));
    }

    @Test
    void echoToBroadcastAnsweredWhenEnabled() {
        JwipOptions o = new JwipOptions();
        o.icmpBroadcastEcho = true;
        t = new TestStack(o, 1500);
        t.link.inject(Packets.ipv4(PEER, Ip4Addr.BROADCAST, 1, 2, 0, 64, Packets.icmpEcho(8, 1, 1, new byte[8])));
        byte[] reply = t.link.take();
        assertEquals(ADDR, Packets.src(reply), "a reply to a broadcast comes from our unicast address");
    }

    @Test
    void badChecksumDropped() {
        byte[] req = Packets.icmpEcho(8, 1, 1, new byte[8]);
        req[9] ^= 1;
        t.link.inject(Packets.ipv4(PEER, ADDR, 1, 1, 0, 64, req));
        assertNull(t.link.poll());
        assertEquals(1, t.stack.stats().drops(Drop.ICMP_BAD_CHECKSUM));
    }

    @Test
    void truncatedDropped() {
        t.link.inject(Packets.ipv4(PEER, ADDR, 1, 1, 0, 64, new byte[]{8, 0, (byte) 0xf7, (byte) 0xff}));
        assertNull(t.link.poll());
        assertEquals(1, t.stack.stats().drops(Drop.ICMP_TRUNCATED));
    }

    @Test
    void noErrorAboutAnIcmpError() {
        // An ICMP port unreachable that itself is for an unknown protocol must not be answered.
        byte[] inner = Packets.ipv4(ADDR, PEER, 17, 1, 0, 64, new byte[8]);
        byte[] err = new byte[8 + 28];
        err[0] = 3;
        err[1] = 3;
        System.arraycopy(inner, 0, err, 8, 28);
        Bytes.put16(err, 2, Checksum.of(err, 0, err.length));
        t.link.inject(Packets.ipv4(PEER, ADDR, 1, 1, 0, 64, err));
        assertNull(t.link.poll());
        assertEquals(1, t.stack.stats().icmp.recv);
    }

    @Test
    void noErrorForNonFirstFragmentOrBroadcast() {
        // unknown protocol, broadcast destination: no protocol unreachable
        t.link.inject(Packets.ipv4(PEER, Ip4Addr.BROADCAST, 99, 1, 0, 64, new byte[8]));
        assertNull(t.link.poll());
    }

    @Test
    void errorsAreRateLimited() {
        JwipOptions o = new JwipOptions();
        o.icmpErrorsPerSecond = 3;
        t = new TestStack(o, 1500);
        for (int i = 0; i < 10; i++) {
            t.link.inject(Packets.ipv4(PEER, ADDR, 99, i, 0, 64, new byte[8]));
        }
        assertEquals(3, t.link.pending());
        assertEquals(7, t.stack.stats().drops(Drop.ICMP_RATE_LIMITED));
        t.link.clear();
        t.advance(1000);
        t.link.inject(Packets.ipv4(PEER, ADDR, 99, 11, 0, 64, new byte[8]));
        assertEquals(1, t.link.pending(), "a new second refills the budget");
        t.link.clear();
    }

    @Test
    void echoRequestAndReplyThroughOurOwnClient() {
        int[] got = new int[3];
        t.stack.icmp().setEchoListener((src, id, seq, len, now) -> {
            got[0] = src;
            got[1] = seq;
            got[2] = len;
        });
        t.stack.icmp().sendEcho(PEER, 5, 6, 56);
        byte[] req = t.link.take();
        byte[] icmp = Packets.payload(req);
        assertEquals(8, icmp[0]);
        assertEquals(0, Checksum.of(icmp, 0, icmp.length));
        // The peer answers.
        icmp[0] = 0;
        Bytes.put16(icmp, 2, 0);
        Bytes.put16(icmp, 2, Checksum.of(icmp, 0, icmp.length));
        t.link.inject(Packets.ipv4(PEER, ADDR, 1, 3, 0, 64, icmp));
        assertArrayEquals(new int[]{PEER, 6, 56}, got);
    }

    @Test
    void pingLoopbackAndOwnAddress() {
        int[] replies = new int[1];
        t.stack.icmp().setEchoListener((src, id, seq, len, now) -> replies[0]++);
        t.stack.icmp().sendEcho(Ip4Addr.LOOPBACK, 1, 1, 32);
        t.stack.icmp().sendEcho(ADDR, 1, 2, 32);
        for (int i = 0; i < 4; i++) {
            t.advance(0);
        }
        assertEquals(2, replies[0]);
        assertEquals(0, t.link.pending(), "loopback traffic never reaches the real link");
        assertTrue(Arrays.asList(t.stack.loopback().name()).contains("lo"));
    }
}
