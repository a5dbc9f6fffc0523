package io.jwip.wire;

import io.jwip.buf.Pbuf;
import io.jwip.buf.PbufPool;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The Internet checksum over arrays and over chains with odd-length buffers (RFC 1071). */
class ChecksumTest {
    @Test
    void rfc1071Example() {
        byte[] b = {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7};
        assertEquals(~0xddf2 & 0xffff, Checksum.of(b, 0, b.length));
    }

    @Test
    void chainSumEqualsFlatSum() {
        Random r = new Random(7);
        PbufPool pool = new PbufPool("T", 64, 131);
        for (int i = 0; i < 500; i++) {
            int len = r.nextInt(2000);
            int head = r.nextInt(100);
            byte[] data = new byte[len];
            r.nextBytes(data);
            Pbuf p = pool.alloc(head, len);
            p.copyIn(0, data, 0, len);
            int from = len == 0 ? 0 : r.nextInt(len);
            int n = len - from;
            long pre = r.nextInt(1 << 20);
            assertEquals(Checksum.finish(Checksum.add(pre, data, from, n)), Checksum.finish(Checksum.add(pre, p, from, n)),
                    "len=" + len + " head=" + head + " from=" + from);
            PbufPool.free(p);
        }
    }

    @Test
    void addressesRoundTrip() {
        int a = Ip4Addr.parse("192.168.1.254", 0);
        assertEquals(Ip4Addr.of(192, 168, 1, 254), a);
        assertEquals("192.168.1.254", Ip4Addr.toString(a));
        assertEquals(-1, Ip4Addr.parse("1.2.3", -1));
        assertEquals(-1, Ip4Addr.parse("1.2.3.256", -1));
        assertEquals(-1, Ip4Addr.parse("a.b.c.d", -1));
        assertEquals(0xffffff00, Ip4Addr.maskOf(24));
    }
}
