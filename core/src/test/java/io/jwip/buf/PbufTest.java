package io.jwip.buf;

import io.jwip.mem.Pool;
import io.jwip.testutil.Packets;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Packet buffers and their pool: headroom, chains, reference counts, exhaustion. */
class PbufTest {
    private final PbufPool pool = new PbufPool("T", 8, 256);

    @Test
    void headroomMovesTheStart() {
        Pbuf p = pool.alloc(40, 100);
        assertEquals(40, p.offset());
        assertEquals(100, p.totalLength());
        assertTrue(p.addHeader(20));
        assertEquals(120, p.totalLength());
        assertFalse(p.addHeader(21), "only 20 bytes of headroom left");
        assertTrue(p.removeHeader(120));
        assertFalse(p.removeHeader(1));
        PbufPool.free(p);
        assertTrue(pool.pool().isFull());
    }

    @Test
    void largePacketsAreChained() {
        byte[] data = Packets.seq(1000, 3);
        Pbuf p = pool.alloc(56, data.length);
        assertEquals(5, p.chainLength()); // 200 + 256 + 256 + 256 + 32
        assertEquals(pool.buffersFor(56, 1000), p.chainLength());
        assertEquals(data.length, p.copyIn(0, data, 0, data.length));
        byte[] back = new byte[data.length];
        assertEquals(data.length, p.copyOut(0, back, 0, back.length));
        assertArrayEquals(data, back);
        assertEquals(data[777] & 0xff, p.getByte(777));
        byte[] mid = new byte[300];
        p.copyOut(150, mid, 0, 300);
        assertArrayEquals(Arrays.copyOfRange(data, 150, 450), mid);
        assertEquals(5, PbufPool.free(p));
        assertTrue(pool.pool().isFull());
    }

    @Test
    void truncateFreesTheTail() {
        Pbuf p = pool.alloc(0, 1000);
        p.truncate(300);
        assertEquals(300, p.totalLength());
        assertEquals(2, p.chainLength());
        assertEquals(2, pool.pool().used());
        p.truncate(256);
        assertEquals(1, p.chainLength());
        p.truncate(10);
        assertEquals(10, p.length());
        PbufPool.free(p);
        assertTrue(pool.pool().isFull());
    }

    @Test
    void referencesKeepBuffersAlive() {
        Pbuf a = pool.alloc(0, 10);
        Pbuf b = pool.alloc(0, 10);
        b.ref();
        a.cat(b);
        assertEquals(20, a.totalLength());
        assertEquals(1, PbufPool.free(a), "b still has an owner");
        assertEquals(1, b.refCount());
        PbufPool.free(b);
        assertTrue(pool.pool().isFull());
        assertThrows(IllegalStateException.class, () -> PbufPool.free(b));
    }

    @Test
    void exhaustionIsNullAndCounted() {
        Pbuf big = pool.alloc(0, 8 * 256);
        assertEquals(8, big.chainLength());
        assertNull(pool.alloc(0, 1));
        assertEquals(1, pool.pool().err());
        assertEquals(8, pool.pool().max());
        PbufPool.free(big);
        Pbuf tooBig = pool.alloc(0, 9 * 256);
        assertNull(tooBig, "a chain that cannot be completed gives back what it took");
        assertTrue(pool.pool().isFull());
    }

    @Test
    void copyFromAcrossChains() {
        byte[] data = Packets.seq(700, 1);
        Pbuf src = pool.alloc(100, 700);
        src.copyIn(0, data, 0, 700);
        Pbuf dst = pool.alloc(30, 600);
        assertEquals(600, dst.copyFrom(src, 50, 0, 600));
        byte[] back = new byte[600];
        dst.copyOut(0, back, 0, 600);
        assertArrayEquals(Arrays.copyOfRange(data, 50, 650), back);
        PbufPool.free(src);
        PbufPool.free(dst);
    }

    @Test
    void poolRejectsForeignAndDoubleGive() {
        Pool a = new Pool("A", 0);
        Pool b = new Pool("B", 0);
        Pbuf x = pool.alloc(0, 1);
        assertThrows(IllegalStateException.class, () -> a.add(x));
        assertThrows(IllegalStateException.class, () -> b.give(x));
        PbufPool.free(x);
    }
}
