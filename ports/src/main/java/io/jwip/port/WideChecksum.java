package io.jwip.port;

import io.jwip.wire.Checksum;
import io.jwip.wire.ChecksumEngine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The Internet checksum eight bytes per load: a {@link ChecksumEngine} for JVMs with {@link VarHandle}s
 * (Java 9 and later). RFC 1071 section 2: the one's complement sum may be computed in wider words and folded
 * at the end, and in either byte order. Each 64-bit word is split into its two 32-bit halves, which are added to a 64-bit
 * accumulator: no carry is lost for runs below 2^30 words, and folding gives the 16-bit sum of the
 * big-endian 16-bit words. The few bytes that do not fill a word go through the portable loop. No
 * allocation. Installed by {@link #install()}.
 */
public final class WideChecksum implements ChecksumEngine {
    /** Little-endian loads (the order of x86 and ARM, so no byte swap per load): the 16-bit lanes come out
     *  byte-swapped, and by RFC 1071 2(B) so does their sum, which is swapped back once at the end. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Makes every stack of this JVM use it. */
    public static void install() {
        Checksum.setEngine(new WideChecksum());
    }

    @Override
    public long add(long sum, byte[] b, int off, int len) {
        // Two words per turn into two accumulators: the adds of one do not wait for the other's (about a
        // third faster than one accumulator here).
        int end = off + (len & ~15);
        long a0 = 0;
        long a1 = 0;
        int i = off;
        for (; i < end; i += 16) {
            long v = (long) LONGS.get(b, i);
            long u = (long) LONGS.get(b, i + 8);
            a0 += (v >>> 32) + (v & 0xffffffffL);
            a1 += (u >>> 32) + (u & 0xffffffffL);
        }
        if ((len & 8) != 0) {
            long v = (long) LONGS.get(b, i);
            a0 += (v >>> 32) + (v & 0xffffffffL);
            i += 8;
        }
        long acc = a0 + a1;
        // fold to 16 bits before joining the caller's partial sum, which keeps that one small
        acc = (acc & 0xffffffffL) + (acc >>> 32);
        acc = (acc & 0xffffffffL) + (acc >>> 32);
        acc = (acc & 0xffff) + (acc >>> 16);
        acc = (acc & 0xffff) + (acc >>> 16);
        acc = (acc & 0xffff) + (acc >>> 16);
        acc = ((acc & 0xff) << 8) | (acc >>> 8); // back to big-endian lanes
        return Checksum.addBytes(sum + acc, b, i, off + len - i);
    }
}
