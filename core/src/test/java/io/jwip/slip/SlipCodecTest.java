package io.jwip.slip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwip.buf.Pbuf;
import io.jwip.buf.PbufPool;
import io.jwip.netif.LinkUpper;
import io.jwip.stats.Drop;
import io.jwip.stats.Stats;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SlipCodecTest {
    static final int END = 0xC0, ESC = 0xDB, ESC_END = 0xDC, ESC_ESC = 0xDD;

    final PbufPool pool = new PbufPool("PBUF_POOL", 8, 512);
    final Stats stats = new Stats(4);
    final List<byte[]> got = new ArrayList<>();
    final LinkUpper collector = new LinkUpper() {
        @Override public Pbuf allocInput(int len) { return pool.alloc(0, len); }
        @Override public void drop(int reason) { stats.drop(reason); }
        @Override public void linkDown(String reason) { }
        @Override public void input(Pbuf p, int checksumsVerified) { input(p); }
        @Override public void input(Pbuf p) {
            byte[] b = new byte[p.totalLength()];
            p.copyOut(0, b, 0, b.length);
            got.add(b);
            PbufPool.free(p);
        }
    };

    {
        stats.addPool(pool.pool());
    }

    SlipCodec codec(int mtu) {
        SlipCodec c = new SlipCodec(mtu);
        c.attach(collector);
        return c;
    }

    @AfterEach
    void poolsFull() {
        assertTrue(stats.allPoolsFull(), stats.poolsNotFull());
    }

    /** An IPv4-looking packet of {@code n} bytes with the given filler bytes after a 20-byte header. */
    static byte[] packet(int n, int... fill) {
        byte[] b = new byte[n];
        b[0] = 0x45;
        for (int i = 1; i < n; i++) {
            b[i] = (byte) (fill.length == 0 ? i * 7 : fill[i % fill.length]);
        }
        return b;
    }

    static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) b[i] = (byte) v[i];
        return b;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) o.writeBytes(p);
        return o.toByteArray();
    }

    /** Reference encoder (straight from RFC 1055), independent of the codec under test. */
    static byte[] frame(byte[] pkt) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write(END);
        for (byte x : pkt) {
            int c = x & 0xff;
            if (c == END) { o.write(ESC); o.write(ESC_END); }
            else if (c == ESC) { o.write(ESC); o.write(ESC_ESC); }
            else o.write(c);
        }
        o.write(END);
        return o.toByteArray();
    }

    Pbuf pbufOf(byte[] data, int firstLen) {
        Pbuf p = pool.alloc(0, firstLen);
        p.copyIn(0, data, 0, firstLen);
        if (firstLen < data.length) {
            Pbuf q = pool.alloc(0, data.length - firstLen);
            q.copyIn(0, data, firstLen, data.length - firstLen);
            p.cat(q);
        }
        return p;
    }

    @Test
    void plainFrameWithAndWithoutLeadingEnd() {
        SlipCodec c = codec(256);
        byte[] p = packet(40);
        byte[] f = frame(p);
        assertEquals(1, c.decode(f, 0, f.length));
        // RFC 1055's original sender sends no leading END: the trailing END alone ends a frame.
        byte[] noLead = java.util.Arrays.copyOfRange(f, 1, f.length);
        assertEquals(1, c.decode(noLead, 0, noLead.length));
        // Many ENDs in a row are empty frames: nothing, not even a count.
        byte[] ends = bytes(END, END, END, END);
        assertEquals(0, c.decode(ends, 0, ends.length));
        assertEquals(2, got.size());
        assertArrayEquals(p, got.get(0));
        assertArrayEquals(p, got.get(1));
        assertEquals(2, c.framesIn());
        assertEquals(0, c.badFrames() + c.oversize() + c.notIp());
    }

    @Test
    void everyEscapeCase() {
        SlipCodec c = codec(256);
        // END and ESC inside, at the start of the data, at the end, adjacent, and ESC_END/ESC_ESC values
        // that are plain data when not after ESC.
        byte[] p = packet(32, END, ESC, ESC_END, ESC_ESC, END, END, ESC, ESC, 0x00, 0xff);
        p[31] = (byte) END;
        byte[] f = frame(p);
        c.decode(f, 0, f.length);
        assertEquals(1, got.size());
        assertArrayEquals(p, got.get(0));

        // The wire form of a known packet, written by hand.
        byte[] q = packet(20);
        q[5] = (byte) END;
        q[6] = (byte) ESC;
        byte[] wire = frame(q);
        assertEquals(22 + 2, wire.length);
        assertEquals(ESC, wire[6] & 0xff);
        assertEquals(ESC_END, wire[7] & 0xff);
        assertEquals(ESC, wire[8] & 0xff);
        assertEquals(ESC_ESC, wire[9] & 0xff);
        c.decode(wire, 0, wire.length);
        assertArrayEquals(q, got.get(1));
    }

    @Test
    void encoderMatchesReferenceAndRoundTrips() {
        SlipCodec c = codec(512);
        Random r = new Random(5);
        byte[] out = new byte[SlipCodec.maxEncodedLength(512)];
        for (int i = 0; i < 200; i++) {
            int n = 20 + r.nextInt(480);
            byte[] p = new byte[n];
            r.nextBytes(p);
            p[0] = 0x45;
            if (i % 3 == 0) { // dense specials
                for (int k = 1; k < n; k += 2) p[k] = (byte) (r.nextBoolean() ? END : ESC);
            }
            Pbuf pb = pbufOf(p, n > 300 ? 300 : n);
            int w = c.encode(pb, out, 0);
            assertEquals(n, pb.totalLength(), "encode uses the pbuf, does not change it");
            PbufPool.free(pb);
            byte[] ref = frame(p);
            assertEquals(ref.length, w);
            assertArrayEquals(ref, java.util.Arrays.copyOf(out, w));
            c.decode(out, 0, w);
            assertArrayEquals(p, got.get(got.size() - 1));
        }
        assertEquals(200, c.framesOut());
        assertEquals(200, c.framesIn());
    }

    @Test
    void encoderRefusesWhatDoesNotFit() {
        SlipCodec c = codec(100);
        byte[] p = packet(60, END);
        Pbuf pb = pbufOf(p, 60);
        assertEquals(-1, c.encode(pb, new byte[100], 0), "0x45 + 59 escaped bytes + 2 ENDs need 121");
        assertEquals(-1, c.encode(pb, new byte[200], 80));
        assertEquals(121, c.encode(pb, new byte[200], 79));
        PbufPool.free(pb);
        Pbuf big = pool.alloc(0, 101);
        big.buf[0] = 0x45;
        assertEquals(-1, c.encode(big, new byte[1000], 0));
        assertEquals(1, c.oversize());
        PbufPool.free(big);
    }

    @Test
    void splitAcrossRandomChunkBoundaries() {
        Random r = new Random(1055);
        SlipCodec c = codec(512);
        List<byte[]> sent = new ArrayList<>();
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (int i = 0; i < 300; i++) {
            byte[] p = new byte[20 + r.nextInt(490)];
            r.nextBytes(p);
            p[0] = 0x45;
            for (int k = 1; k < p.length; k++) {
                if (r.nextInt(8) == 0) p[k] = (byte) (r.nextBoolean() ? END : ESC);
            }
            sent.add(p);
            byte[] f = frame(p);
            // sometimes omit the leading END (previous trailing END ends it), sometimes add extra ENDs
            int from = r.nextInt(4) == 0 ? 1 : 0;
            stream.write(f, from, f.length - from);
            if (r.nextInt(5) == 0) stream.write(END);
        }
        byte[] all = stream.toByteArray();
        int frames = 0;
        for (int i = 0; i < all.length; ) {
            int n = r.nextInt(4) == 0 ? 1 : 1 + r.nextInt(r.nextBoolean() ? 7 : 700);
            if (i + n > all.length) n = all.length - i;
            frames += c.decode(all, i, n);
            i += n;
        }
        assertEquals(sent.size(), frames);
        assertEquals(sent.size(), got.size());
        for (int i = 0; i < sent.size(); i++) assertArrayEquals(sent.get(i), got.get(i), "frame " + i);
        assertEquals(0, c.badFrames() + c.oversize() + c.notIp());
        assertEquals(all.length, c.bytesIn());
    }

    @Test
    void escAtChunkEndEveryOffset() {
        byte[] p = packet(24, ESC, END);
        byte[] f = frame(p);
        for (int cut = 0; cut <= f.length; cut++) {
            SlipCodec c = codec(64);
            got.clear();
            c.decode(f, 0, cut);
            c.decode(f, cut, f.length - cut);
            assertEquals(1, got.size(), "cut at " + cut);
            assertArrayEquals(p, got.get(0));
        }
    }

    @Test
    void oversizeFrameIsDroppedAndNextFrameSurvives() {
        SlipCodec c = codec(64);
        byte[] big = frame(packet(65));
        byte[] ok = frame(packet(64));
        byte[] all = concat(big, ok, frame(packet(300)), ok);
        c.decode(all, 0, all.length);
        assertEquals(2, got.size());
        assertEquals(2, c.oversize());
        assertEquals(2, stats.drops(Drop.LINK_OVERSIZE));
        assertEquals(0, c.badFrames());
        // An escaped byte as the 65th byte also counts as too much.
        byte[] p = packet(65);
        p[64] = (byte) END;
        byte[] f = frame(p);
        c.decode(f, 0, f.length);
        assertEquals(3, c.oversize());
        assertEquals(2, got.size());
    }

    @Test
    void badEscapeDropsTheFrameOnly() {
        SlipCodec c = codec(128);
        byte[] p = packet(30);
        byte[] f = frame(p);
        byte[] bad1 = concat(bytes(END, 0x45, 1, 2, ESC, 0x41), new byte[30], bytes(END)); // ESC then 'A'
        byte[] bad2 = concat(bytes(END, 0x45), new byte[25], bytes(ESC, END));            // ESC then END
        byte[] bad3 = concat(bytes(END, 0x45, ESC, ESC, 3), new byte[25], bytes(END));     // ESC ESC
        byte[] all = concat(f, bad1, f, bad2, f, bad3, f);
        c.decode(all, 0, all.length);
        assertEquals(4, got.size());
        for (byte[] g : got) assertArrayEquals(p, g);
        assertEquals(3, c.badFrames());
        assertEquals(3, stats.drops(Drop.LINK_BAD_FRAME));
    }

    @Test
    void garbageBetweenFramesIsDroppedAndCounted() {
        SlipCodec c = codec(128);
        byte[] p = packet(28);
        byte[] f = frame(p);
        // line noise that looks like the start of an IPv4 header but is far too short
        byte[] all = concat(bytes(0x45, 0x00, 0x12), f, bytes(0x4f, 7, END), f, bytes(END, 0x40, END));
        c.decode(all, 0, all.length);
        assertEquals(2, got.size());
        assertEquals(2, c.badFrames(), "0x45.. and 0x4f.. are shorter than the header they announce");
        assertEquals(1, c.notIp(), "0x40: IHL 0 cannot be IPv4");
    }

    @Test
    void textProbeIsNotIpQuietly() {
        SlipCodec c = codec(128);
        byte[] p = packet(28);
        byte[] f = frame(p);
        byte[] probe = "AT\r\nCLIENT\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] v6 = bytes(END, 0x60, 0, 0, 0, 0, 8, 17, 64, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, END);
        byte[] all = concat(probe, f, probe, bytes(END), v6, f);
        c.decode(all, 0, all.length);
        assertEquals(2, got.size());
        assertEquals(3, c.notIp(), "each text probe up to its END, and the IPv6 frame");
        assertEquals(3, stats.drops(Drop.LINK_NOT_IP));
        assertEquals(0, c.badFrames());
    }

    @Test
    void noBufferIsCountedAndTheDecoderCarriesOn() {
        PbufPool tiny = new PbufPool("TINY", 1, 512);
        SlipCodec c = new SlipCodec(128);
        List<Pbuf> held = new ArrayList<>();
        c.attach(new LinkUpper() {
            @Override public Pbuf allocInput(int len) { return tiny.alloc(0, len); }
            @Override public void input(Pbuf p, int checksumsVerified) { input(p); }
            @Override public void input(Pbuf p) { held.add(p); }
            @Override public void drop(int reason) { }
            @Override public void linkDown(String reason) { }
        });
        byte[] f = frame(packet(40));
        byte[] all = concat(f, f);
        assertEquals(1, c.decode(all, 0, all.length));
        assertEquals(1, c.noBuffer());
        PbufPool.free(held.get(0));
        assertEquals(1, c.decode(f, 0, f.length));
        PbufPool.free(held.get(1));
        assertTrue(tiny.pool().isFull());
    }

    @Test
    void zeroAllocationPerFrameAfterWarmUp() {
        com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        PbufPool pp = new PbufPool("P", 4, 1536);
        Stats st = new Stats(2);
        long[] sum = new long[1];
        SlipCodec c = new SlipCodec(1500);
        c.attach(new LinkUpper() {
            @Override public Pbuf allocInput(int len) { return pp.alloc(0, len); }
            @Override public void input(Pbuf p, int checksumsVerified) { input(p); }
            @Override public void input(Pbuf p) { sum[0] += p.totalLength(); PbufPool.free(p); }
            @Override public void drop(int reason) { st.drop(reason); }
            @Override public void linkDown(String reason) { }
        });
        byte[] pkt = packet(1500, 1, END, 2, ESC, 3);
        Pbuf pb = pp.alloc(0, pkt.length);
        pb.copyIn(0, pkt, 0, pkt.length);
        byte[] wire = new byte[SlipCodec.maxEncodedLength(1500) * 3];
        byte[] junk = "AT\r\n".getBytes(StandardCharsets.US_ASCII);
        int frames = 20_000;
        // Round 0 warms up (class loading, C1, C2). While C2 is still installing code a round can show a
        // few hundred bytes once (seen under load: 280 B in 20000 frames; never with -Xint or C1 only),
        // so up to four more rounds are measured and one of them must allocate exactly nothing.
        StringBuilder rounds = new StringBuilder();
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 5 && best != 0; round++) {
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < frames; i++) {
                int w = c.encode(pb, wire, 0);
                System.arraycopy(junk, 0, wire, w, junk.length); // a not-IP frame follows, counted
                int n = w + junk.length;
                for (int k = 0; k < n; k += 97) { // odd chunks, across escapes
                    c.decode(wire, k, Math.min(97, n - k));
                }
            }
            long bytes = mx.getCurrentThreadAllocatedBytes() - before;
            rounds.append(" round ").append(round).append(": ").append(bytes).append(" B");
            if (round > 0) {
                best = Math.min(best, bytes);
            }
        }
        System.out.println("SLIP codec, " + frames + " frames encoded+decoded per round:" + rounds);
        assertEquals(0, best, "bytes allocated per " + frames + " frames after warm-up:" + rounds);
        long total = sum[0];
        PbufPool.free(pb);
        assertTrue(pp.pool().isFull());
        assertEquals(0, total % (frames * 1500L));
    }
}
