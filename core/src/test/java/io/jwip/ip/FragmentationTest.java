package io.jwip.ip;

import io.jwip.JwipOptions;
import io.jwip.buf.Pbuf;
import io.jwip.buf.PbufPool;
import io.jwip.stats.Drop;
import io.jwip.testutil.Packets;
import io.jwip.testutil.TestStack;
import io.jwip.udp.UdpPcb;
import io.jwip.wire.IcmpHeader;
import io.jwip.wire.Ip4Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static io.jwip.testutil.TestStack.ADDR;
import static io.jwip.testutil.TestStack.PEER;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fragmentation on output and bounded reassembly on input (RFC 791 3.2, RFC 1122 3.3.2). */
class FragmentationTest {
    private TestStack t = new TestStack(new JwipOptions(), 576);
    private final List<byte[]> received = new ArrayList<>();
    private UdpPcb pcb;

    @AfterEach
    void poolsFull() {
        if (pcb != null) {
            t.stack.udp().remove(pcb);
        }
        t.assertPoolsFull();
    }

    private void listen() {
        pcb = t.stack.udp().newPcb();
        t.stack.udp().bind(pcb, 0, 7);
        pcb.recv((pc, p, a, s) -> {
            byte[] b = new byte[p.totalLength()];
            p.copyOut(0, b, 0, b.length);
            received.add(b);
            PbufPool.free(p);
        });
    }

    /** Splits an IP datagram into fragments of at most {@code mtu} bytes, as a router would. */
    static List<byte[]> fragment(byte[] dgram, int mtu) {
        int hlen = Packets.ihl(dgram);
        int payload = dgram.length - hlen;
        int max = (mtu - hlen) & ~7;
        List<byte[]> out = new ArrayList<>();
        for (int off = 0; off < payload; off += max) {
            int len = Math.min(max, payload - off);
            boolean last = off + len >= payload;
            byte[] data = Arrays.copyOfRange(dgram, hlen + off, hlen + off + len);
            out.add(Packets.ipv4(Packets.src(dgram), Packets.dst(dgram), Packets.proto(dgram),
                    (dgram[4] & 0xff) << 8 | (dgram[5] & 0xff), (last ? 0 : Ip4Header.FLAG_MF) | (off >> 3), 64, data));
        }
        return out;
    }

    @Test
    void udp4000BytesFragmentedOver576Mtu() {
        pcb = t.stack.udp().newPcb();
        byte[] data = Packets.seq(4000, 5);
        Pbuf p = t.stack.allocTransport(8, data.length);
        p.copyIn(0, data, 0, data.length);
        assertEquals(0, t.stack.udp().sendTo(pcb, p, PEER, 7));
        PbufPool.free(p);
        // 4008 bytes of UDP in 552-byte pieces: 8 fragments, the last 144 bytes.
        assertEquals(8, t.link.pending());
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        int expectOff = 0;
        int id = -1;
        for (int i = 0; i < 8; i++) {
            byte[] f = t.link.take();
            assertTrue(f.length <= 576);
            assertTrue(Packets.ipChecksumOk(f));
            int ff = Packets.flagsFrag(f);
            assertEquals(expectOff, (ff & Ip4Header.OFFSET_MASK) * 8);
            assertEquals(i < 7, (ff & Ip4Header.FLAG_MF) != 0);
            int fid = (f[4] & 0xff) << 8 | (f[5] & 0xff);
            if (id < 0) {
                id = fid;
            }
            assertEquals(id, fid, "all fragments share the identification");
            byte[] pl = Packets.payload(f);
            whole.write(pl, 0, pl.length);
            expectOff += pl.length;
        }
        byte[] udp = whole.toByteArray();
        assertEquals(4008, udp.length);
        assertArrayEquals(data, Arrays.copyOfRange(udp, 8, udp.length));
        assertEquals(8, t.stack.stats().frag.xmit);
    }

    @Test
    void reassemblyInAnyOrder() {
        listen();
        byte[] data = Packets.seq(4000, 6);
        byte[] dgram = Packets.ipv4(PEER, ADDR, 17, 99, 0, 64, Packets.udp(PEER, ADDR, 1000, 7, data, true));
        Random r = new Random(1);
        for (int round = 0; round < 20; round++) {
            List<byte[]> frags = fragment(dgram, 576);
            Collections.shuffle(frags, r);
            for (byte[] f : frags) {
                t.link.inject(f);
            }
            assertEquals(round + 1, received.size());
            assertArrayEquals(data, received.get(round));
            assertEquals(0, t.stack.ip().reassembly().inProgress());
        }
    }

    @Test
    void duplicateFragmentsDroppedAndDatagramStillCompletes() {
        listen();
        byte[] data = Packets.seq(2000, 7);
        List<byte[]> frags = fragment(Packets.ipv4(PEER, ADDR, 17, 5, 0, 64, Packets.udp(PEER, ADDR, 1000, 7, data, true)), 576);
        t.link.inject(frags.get(1));
        t.link.inject(frags.get(1));
        for (byte[] f : frags) {
            t.link.inject(f);
        }
        assertEquals(1, received.size());
        assertArrayEquals(data, received.get(0));
        assertEquals(2, t.stack.stats().drops(Drop.FRAG_OVERLAP));
    }

    @Test
    void incompleteReassemblyFreedByTimeout() {
        listen();
        List<byte[]> frags = fragment(Packets.ipv4(PEER, ADDR, 17, 5, 0, 64, Packets.udp(PEER, ADDR, 1000, 7, Packets.seq(3000, 1), true)), 576);
        t.link.inject(frags.get(0));
        t.link.inject(frags.get(2));
        assertEquals(1, t.stack.ip().reassembly().inProgress());
        assertTrue(t.stack.stats().pool("PBUF_POOL").used() > 0);
        long deadline = t.stack.timers(t.now);
        assertEquals(t.stack.options().ipReassTimeoutMs, deadline, "timers() reports the reassembly deadline");
        t.advance(t.stack.options().ipReassTimeoutMs - 1);
        assertEquals(1, t.stack.ip().reassembly().inProgress());
        t.advance(1);
        assertEquals(0, t.stack.ip().reassembly().inProgress());
        assertEquals(1, t.stack.stats().drops(Drop.FRAG_TIMEOUT));
        assertTrue(received.isEmpty());
        // The first fragment had come, so the sender is told (ICMP time exceeded, reassembly).
        byte[] err = t.link.take();
        byte[] icmp = Packets.payload(err);
        assertEquals(IcmpHeader.TYPE_TIME_EXCEEDED, icmp[0]);
        assertEquals(IcmpHeader.CODE_REASSEMBLY_EXCEEDED, icmp[1]);
    }

    @Test
    void tableFullEvictsOldest() {
        JwipOptions o = new JwipOptions();
        o.ipReassDatagrams = 2;
        t = new TestStack(o, 576);
        listen();
        for (int id = 1; id <= 3; id++) {
            List<byte[]> frags = fragment(Packets.ipv4(PEER, ADDR, 17, id, 0, 64,
                    Packets.udp(PEER, ADDR, 1000, 7, Packets.seq(1500, id), true)), 576);
            t.link.inject(frags.get(0));
        }
        assertEquals(2, t.stack.ip().reassembly().inProgress());
        assertEquals(1, t.stack.stats().drops(Drop.FRAG_EVICTED));
        t.advance(o.ipReassTimeoutMs);
        t.link.clear();
    }

    @Test
    void bufferCapBoundsHeldFragments() {
        JwipOptions o = new JwipOptions();
        o.ipReassMaxPbufs = 3;
        t = new TestStack(o, 576);
        listen();
        List<byte[]> frags = fragment(Packets.ipv4(PEER, ADDR, 17, 1, 0, 64,
                Packets.udp(PEER, ADDR, 1000, 7, Packets.seq(4000, 1), true)), 576);
        for (byte[] f : frags) {
            t.link.inject(f);
        }
        assertTrue(received.isEmpty(), "a datagram needing more buffers than the cap never completes");
        assertTrue(t.stack.ip().reassembly().heldBuffers() <= 3);
        t.advance(o.ipReassTimeoutMs);
        t.link.clear();
    }

    @Test
    void malformedFragmentsDropped() {
        listen();
        // MF set with a length that is not a multiple of 8
        t.link.inject(Packets.ipv4(PEER, ADDR, 17, 1, Ip4Header.FLAG_MF, 64, new byte[13]));
        // offset beyond 65535
        t.link.inject(Packets.ipv4(PEER, ADDR, 17, 2, 0x1fff, 64, new byte[100]));
        assertEquals(1, t.stack.stats().drops(Drop.FRAG_BAD));
        assertEquals(1, t.stack.stats().drops(Drop.FRAG_TOO_BIG));
        assertNull(t.link.poll());
        assertEquals(0, t.stack.ip().reassembly().inProgress());
    }

    @Test
    void dontFragmentTooBigIsRefused() {
        JwipOptions o = new JwipOptions();
        o.ipFrag = false;
        t = new TestStack(o, 576);
        pcb = t.stack.udp().newPcb();
        Pbuf p = t.stack.allocTransport(8, 1000);
        assertTrue(t.stack.udp().sendTo(pcb, p, PEER, 7) != 0);
        PbufPool.free(p);
        assertEquals(1, t.stack.stats().drops(Drop.IP_TOO_BIG_DF));
    }
}
