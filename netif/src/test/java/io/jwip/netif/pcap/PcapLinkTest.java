package io.jwip.netif.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwip.Err;
import io.jwip.JwipOptions;
import io.jwip.stack.Stack;
import io.jwip.netif.Netif;
import io.jwip.netif.mem.InMemoryLink;
import io.jwip.wire.Ip4Addr;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class PcapLinkTest {
    @Test
    void recordsBothDirectionsAndForwardsUnchanged() {
        InMemoryLink wire = new InMemoryLink(8, 1500);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Stack a = new Stack(new JwipOptions());
        Stack b = new Stack(new JwipOptions());
        PcapWriter w = new PcapWriter(out, PcapClock.of(a));
        PcapLink cap = new PcapLink(wire.a(), w);
        a.addNetif(new Netif("mem0", 1500, cap).configure(Ip4Addr.of(10, 0, 0, 1), Ip4Addr.maskOf(24), 0));
        b.addNetif(new Netif("mem0", 1500, wire.b()).configure(Ip4Addr.of(10, 0, 0, 2), Ip4Addr.maskOf(24), 0));
        int[] replies = new int[1];
        a.icmp().setEchoListener((src, id, seq, len, now) -> replies[0]++);
        a.timers(10);
        assertEquals(Err.OK, a.icmp().sendEcho(Ip4Addr.of(10, 0, 0, 2), 9, 1, 32));
        wire.pump();
        assertEquals(1, replies[0]);
        assertEquals(1, cap.sent());
        assertEquals(1, cap.received());
        w.close();
        ByteBuffer bb = ByteBuffer.wrap(out.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(24 + 2 * (16 + 60), bb.remaining());
        // Request: A -> B, ICMP type 8; reply: B -> A, type 0. Timestamps are A's virtual 10 ms.
        int r1 = 24;
        int r2 = 24 + 16 + 60;
        assertEquals(0, bb.getInt(r1));
        assertEquals(10_000, bb.getInt(r1 + 4));
        assertEquals(0x45, bb.get(r1 + 16) & 0xff);
        assertEquals(1, bb.get(r1 + 16 + 9));
        assertEquals(8, bb.get(r1 + 16 + 20));
        assertEquals(0, bb.get(r2 + 16 + 20));
        assertTrue(a.stats().allPoolsFull() && b.stats().allPoolsFull());
    }
}
