package io.jwip.netif.tun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import io.jwip.buf.Pbuf;
import io.jwip.buf.PbufPool;
import io.jwip.netif.LinkUpper;
import io.jwip.netif.Netif;
import io.jwip.wire.Bytes;
import io.jwip.wire.Checksum;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The virtio-net header rules of {@link TunOffload}, without a TUN device: super-packets put into its
 * receive buffer by hand are split as the kernel would have sent them, and what it writes goes into a datagram
 * socket the test reads back.
 */
class TunOffloadTest {
    /** pipe(2) and friends for the test. */
    static final class C {
        static {
            Native.register(NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
        }

        static native int socketpair(int domain, int type, int protocol, int[] fds);

        static native long read(int fd, byte[] b, long n);

        static native int close(int fd);

        static native int fcntl(int fd, int cmd, int arg);
    }

    static final int SRC = 0x0a000001;
    static final int DST = 0x0a000002;

    final PbufPool pool = new PbufPool("test", 256, 1536);
    final List<Pbuf> got = new ArrayList<>();
    final List<Integer> verified = new ArrayList<>();
    final int[] drops = new int[64];
    final LinkUpper upper = new LinkUpper() {
        @Override
        public Pbuf allocInput(int len) {
            return pool.alloc(0, len);
        }

        @Override
        public void input(Pbuf p) {
            input(p, 0);
        }

        @Override
        public void input(Pbuf p, int checksumsVerified) {
            got.add(p);
            verified.add(checksumsVerified);
        }

        @Override
        public void drop(int reason) {
            drops[reason]++;
        }

        @Override
        public void linkDown(String reason) {
        }
    };
    int[] pipe = new int[2];
    TunOffload off;

    @BeforeEach
    void open() {
        // Datagram sockets keep each write apart, as a TUN device keeps packets apart (a pipe would not).
        assertEquals(0, C.socketpair(1 /* AF_UNIX */, 2 /* SOCK_DGRAM */, 0, pipe));
        C.fcntl(pipe[0], 4 /* F_SETFL */, 0x800 /* O_NONBLOCK */);
        off = new TunOffload(pipe[1]);
    }

    @AfterEach
    void close() {
        for (Pbuf p : got) {
            PbufPool.free(p);
        }
        C.close(pipe[0]);
        C.close(pipe[1]);
        assertEquals(pool.pool().capacity(), pool.pool().avail(), "every buffer back");
    }

    /** An IPv4 + TCP packet (20 + 20 bytes of headers) with {@code payload}; checksums valid. */
    static byte[] tcp(int seq, int ack, int flags, byte[] payload, int id) {
        byte[] b = new byte[40 + payload.length];
        b[0] = 0x45;
        Bytes.put16(b, 2, b.length);
        Bytes.put16(b, 4, id);
        b[6] = 0x40; // DF
        b[8] = 64;
        b[9] = 6;
        Bytes.put32(b, 12, SRC);
        Bytes.put32(b, 16, DST);
        Bytes.put16(b, 10, Checksum.of(b, 0, 20));
        Bytes.put16(b, 20, 80);
        Bytes.put16(b, 22, 4000);
        Bytes.put32(b, 24, seq);
        Bytes.put32(b, 28, ack);
        b[32] = 5 << 4;
        b[33] = (byte) flags;
        Bytes.put16(b, 34, 65535);
        System.arraycopy(payload, 0, b, 40, payload.length);
        return b;
    }

    static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    /** Puts a virtio header and {@code packet} into the receive buffer; returns the bytes "read". */
    int received(int flags, int gso, int mss, byte[] packet) {
        Memory rx = off.rx();
        rx.clear(TunOffload.HDR);
        rx.setByte(0, (byte) flags);
        rx.setByte(1, (byte) gso);
        rx.setShort(4, (short) mss);
        rx.write(TunOffload.HDR, packet, 0, packet.length);
        return TunOffload.HDR + packet.length;
    }

    static byte[] copy(Pbuf p) {
        byte[] b = new byte[p.totalLength()];
        p.copyOut(0, b, 0, b.length);
        return b;
    }

    /** The next packet written into the pipe (virtio header included), or null. */
    byte[] written() {
        byte[] b = new byte[70000];
        long n = C.read(pipe[0], b, b.length);
        if (n <= 0) {
            return null;
        }
        byte[] r = new byte[(int) n];
        System.arraycopy(b, 0, r, 0, r.length);
        return r;
    }

    static Pbuf pbuf(PbufPool pool, byte[] b) {
        Pbuf p = pool.alloc(0, b.length);
        p.copyIn(0, b, 0, b.length);
        return p;
    }

    static int le16(byte[] b, int o) {
        return (b[o] & 0xff) | (b[o + 1] & 0xff) << 8;
    }

    // ------------------------------------------------------------------ receive

    @Test
    void aSuperPacketIsSplitIntoSegmentsAsTheKernelWouldHaveSentThem() {
        byte[] data = bytes(3500, 7);
        int flags = 0x10 | 0x08 | 0x01 | 0x80; // ACK PSH FIN CWR
        int n = received(TunOffload.F_NEEDS_CSUM, TunOffload.GSO_TCPV4, 1000, tcp(1000, 77, flags, data, 500));
        assertEquals(4, off.deliver(n, upper));
        assertEquals(4, got.size());
        int at = 0;
        for (int i = 0; i < 4; i++) {
            byte[] s = copy(got.get(i));
            int len = Math.min(1000, 3500 - at);
            assertEquals(40 + len, s.length);
            assertEquals(40 + len, Bytes.u16(s, 2), "total length");
            assertEquals(500 + i, Bytes.u16(s, 4), "identification");
            assertEquals(0, Checksum.of(s, 0, 20), "IPv4 header checksum made again");
            assertEquals(1000 + at, Bytes.i32(s, 24), "sequence number");
            int f = s[33] & 0xff;
            assertEquals(i == 3, (f & 0x01) != 0, "FIN on the last only");
            assertEquals(i == 3, (f & 0x08) != 0, "PSH on the last only");
            assertEquals(i == 0, (f & 0x80) != 0, "CWR on the first only");
            byte[] payload = new byte[len];
            System.arraycopy(s, 40, payload, 0, len);
            byte[] want = new byte[len];
            System.arraycopy(data, at, want, 0, len);
            assertArrayEquals(want, payload, "segment " + i);
            assertEquals(Netif.CSUM_TCP | Netif.CSUM_UDP, verified.get(i), "partial TCP checksum: verified (the remade IPv4 header is checked)");
            at += len;
        }
    }

    @Test
    void aPacketWithoutGsoIsHandedOverAsItIsAndOnlyVouchedForWhenFlagged() {
        byte[] pkt = tcp(1, 2, 0x10, bytes(100, 1), 9);
        assertEquals(1, off.deliver(received(0, TunOffload.GSO_NONE, 0, pkt), upper));
        assertEquals(1, off.deliver(received(TunOffload.F_DATA_VALID, TunOffload.GSO_NONE, 0, pkt), upper));
        assertArrayEquals(pkt, copy(got.get(0)));
        assertEquals(0, verified.get(0), "no flag: the stack verifies");
        assertEquals(Netif.CSUM_TCP | Netif.CSUM_UDP, verified.get(1), "DATA_VALID: checked by the kernel");
    }

    @Test
    void aSuperPacketOfAnotherKindIsDroppedAndCounted() {
        int n = received(TunOffload.F_NEEDS_CSUM, 3 /* UDP */, 1000, tcp(1, 2, 0x10, bytes(3000, 1), 9));
        assertEquals(0, off.deliver(n, upper));
        assertEquals(1, drops[io.jwip.stats.Drop.LINK_OFFLOAD_UNSUPPORTED]);
        assertEquals(1, off.unsupported);
    }

    // ------------------------------------------------------------------ transmit

    @Test
    void contiguousSegmentsOfATurnLeaveAsOneSuperPacket() {
        byte[] a = bytes(1000, 1);
        byte[] b = bytes(1000, 2);
        byte[] c = bytes(500, 3);
        for (byte[][] s : new byte[][][] {{a, {0}}, {b, {1}}, {c, {2}}}) {
            int at = 1000 * s[1][0];
            Pbuf p = pbuf(pool, tcp(5000 + at, 9, 0x18, s[0], 100 + s[1][0]));
            assertEquals(0, off.output(p));
            PbufPool.free(p);
        }
        assertEquals(null, written(), "held back until the turn ends");
        assertEquals(0, off.flush());
        byte[] w = written();
        assertEquals(TunOffload.HDR + 40 + 2500, w.length);
        assertEquals(TunOffload.F_NEEDS_CSUM, w[0]);
        assertEquals(TunOffload.GSO_TCPV4, w[1]);
        assertEquals(40, le16(w, 2), "hdr_len");
        assertEquals(1000, le16(w, 4), "gso_size");
        assertEquals(20, le16(w, 6), "csum_start");
        assertEquals(16, le16(w, 8), "csum_offset");
        int ip = TunOffload.HDR;
        assertEquals(2540, Bytes.u16(w, ip + 2), "total length of the super-packet");
        assertEquals(0, Checksum.of(w, ip, 20), "its IPv4 header checksum");
        assertEquals(5000, Bytes.i32(w, ip + 24), "the first sequence number");
        assertEquals(Checksum.fold(Checksum.addPseudoHeader(0, SRC, DST, 6, 2520)), Bytes.u16(w, ip + 36),
                "the pseudo-header sum for the kernel to complete");
        byte[] payload = new byte[2500];
        System.arraycopy(w, ip + 40, payload, 0, 2500);
        byte[] want = new byte[2500];
        System.arraycopy(a, 0, want, 0, 1000);
        System.arraycopy(b, 0, want, 1000, 1000);
        System.arraycopy(c, 0, want, 2000, 500);
        assertArrayEquals(want, payload);
        assertEquals(1, off.superOut);
        assertEquals(3, off.segmentsOut);
    }

    @Test
    void aGapInTheSequenceOrAShortSegmentEndsTheBatch() {
        Pbuf p1 = pbuf(pool, tcp(0, 9, 0x10, bytes(1000, 1), 1));
        Pbuf p2 = pbuf(pool, tcp(2000, 9, 0x10, bytes(1000, 2), 2)); // not 1000: a gap
        Pbuf p3 = pbuf(pool, tcp(3000, 9, 0x10, bytes(400, 3), 3));
        Pbuf p4 = pbuf(pool, tcp(3400, 9, 0x10, bytes(400, 4), 4)); // after a short one
        for (Pbuf p : new Pbuf[] {p1, p2, p3, p4}) {
            assertEquals(0, off.output(p));
            PbufPool.free(p);
        }
        off.flush();
        assertEquals(TunOffload.HDR + 1040, written().length, "alone: the next one did not follow on");
        byte[] w2 = written();
        assertEquals(TunOffload.HDR + 40 + 1400, w2.length, "1000 and the short 400 together");
        assertEquals(TunOffload.HDR + 440, written().length, "nothing after a short segment joins");
        assertEquals(null, written());
    }

    @Test
    void aLaterAckReplacesTheOneHeldButADuplicateAckIsNeverFolded() {
        Pbuf a1 = pbuf(pool, tcp(1, 100, 0x10, new byte[0], 1));
        Pbuf a2 = pbuf(pool, tcp(1, 200, 0x10, new byte[0], 2));
        Pbuf a3 = pbuf(pool, tcp(1, 200, 0x10, new byte[0], 3)); // a duplicate: signals a loss
        for (Pbuf p : new Pbuf[] {a1, a2, a3}) {
            assertEquals(0, off.output(p));
            PbufPool.free(p);
        }
        off.flush();
        assertEquals(200, Bytes.i32(written(), TunOffload.HDR + 28), "the later ACK went instead of the first");
        assertEquals(200, Bytes.i32(written(), TunOffload.HDR + 28), "the duplicate went too");
        assertEquals(null, written());
        assertEquals(1, off.acksReplaced);
    }

    @Test
    void anythingElseFlushesWhatIsHeldAndKeepsTheOrder() {
        Pbuf d = pbuf(pool, tcp(0, 9, 0x10, bytes(1000, 1), 1));
        byte[] icmp = tcp(0, 0, 0, new byte[8], 2);
        icmp[9] = 1; // ICMP
        Bytes.put16(icmp, 10, 0);
        Bytes.put16(icmp, 10, Checksum.of(icmp, 0, 20));
        Pbuf i = pbuf(pool, icmp);
        assertEquals(0, off.output(d));
        assertEquals(0, off.output(i));
        PbufPool.free(d);
        PbufPool.free(i);
        byte[] first = written();
        assertEquals(TunOffload.HDR + 1040, first.length, "the data went first");
        byte[] second = written();
        assertEquals(1, second[TunOffload.HDR + 9], "then the ICMP message");
        assertEquals(0, second[0], "no checksum offload for ICMP");
        assertTrue(off.flush() == 0 && written() == null);
    }
}
