package io.jwip.wire;

/**
 * A faster way to sum bytes for the Internet checksum, supplied by a port (lwIP lets the port define an
 * optimised {@code LWIP_CHKSUM} in its {@code arch/cc.h}; this is the same hook at run time). Core itself
 * may only read bytes one at a time (java.lang, Java 8); a port on a modern JVM can read 8 bytes per load.
 * Installed once with {@link Checksum#setEngine} before stacks run.
 */
public interface ChecksumEngine {
    /**
     * Adds {@code len} bytes of {@code b} from {@code off} to the partial sum {@code sum}, as big-endian
     * 16-bit words (a last odd byte is the high byte of a word padded with zero). Must return a value that
     * folds ({@link Checksum#fold}) to the same 16 bits as {@link Checksum#addBytes}, must not allocate
     * and must leave {@code sum}'s upper bits room: the result must stay below 2^62 for sums below 2^48.
     */
    long add(long sum, byte[] b, int off, int len);
}
