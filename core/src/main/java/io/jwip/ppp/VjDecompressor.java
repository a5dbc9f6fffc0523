package io.jwip.ppp;

import io.jwip.wire.Bytes;
import io.jwip.wire.Checksum;

/**
 * The receiving half of Van Jacobson TCP/IP header compression (RFC 1144): rebuilds the TCP/IP header
 * of a compressed packet (0x002d) from the slot of its connection, and learns a slot from each
 * uncompressed-TCP packet (0x002f). The encoding is described on {@link VjCompressor}.
 *
 * <p>Everything here comes from the line, so it is checked: a slot number beyond the slots we offered, a
 * slot never learned, a header cut short or a learned header that is not TCP/IPv4 make the packet an
 * error ({@link #errors()}); the changes are applied to a copy and kept only when the packet was whole,
 * so a bad packet never damages a slot. After an error, and after the framing dropped a frame
 * ({@link #toss()}), compressed packets that do not name their slot are tossed until one does
 * (RFC 1144 4.2): their deltas would apply to a header we may not have. The rebuilt header still carries
 * the sender's TCP checksum, so a wrong reconstruction is caught by TCP. Allocates nothing.
 */
public final class VjDecompressor {
    private final int capacity;
    private final byte[] saved;
    private final int[] savedLen;
    private final byte[] header = new byte[VjCompressor.MAX_HEADER];
    private int slots;
    private int lastSlot = -1;
    private boolean tossing;
    private int consumed;
    private long compressed, uncompressed, errors, tossed;

    /** @param capacity the most slots this end offers (1..256) */
    public VjDecompressor(int capacity) {
        if (capacity < 1 || capacity > 256) {
            throw new IllegalArgumentException("VJ slots must be 1..256: " + capacity);
        }
        this.capacity = capacity;
        this.saved = new byte[capacity * VjCompressor.MAX_HEADER];
        this.savedLen = new int[capacity];
    }

    /** Starts taking packets in {@code offered} slots (our Max-Slot-Id + 1; 0: none); forgets every slot. */
    public void start(int offered) {
        slots = Math.min(offered, capacity);
        lastSlot = -1;
        tossing = false;
        for (int i = 0; i < capacity; i++) {
            savedLen[i] = 0;
        }
    }

    public boolean active() { return slots > 0; }
    public int slots() { return slots; }
    /** The rebuilt header of the last {@link #decompress} (its length is what decompress returned). */
    public byte[] header() { return header; }
    /** Bytes of the compressed packet its compressed header took (the data follows). */
    public int consumed() { return consumed; }
    public long compressedPackets() { return compressed; }
    public long uncompressedPackets() { return uncompressed; }
    public long errors() { return errors; }
    public long tossed() { return tossed; }

    /** The line lost a frame: deltas may now apply to the wrong header until a packet names its slot. */
    public void toss() {
        tossing = true;
    }

    /**
     * An uncompressed-TCP packet of {@code len} bytes at {@code off}: learns its header into the slot
     * named by its protocol byte. True if it is good; the caller then sets the protocol byte back to 6
     * (TCP) in its own copy and delivers it.
     */
    public boolean uncompressed(byte[] b, int off, int len) {
        int s = len >= 40 ? Bytes.u8(b, off + 9) : -1;
        int hl = s >= 0 && s < slots ? tcpHeaderLength(b, off, len) : -1;
        if (hl < 0) {
            fail();
            return false;
        }
        int o = s * VjCompressor.MAX_HEADER;
        System.arraycopy(b, off, saved, o, hl);
        saved[o + 9] = 6;
        savedLen[s] = hl;
        lastSlot = s;
        tossing = false;
        uncompressed++;
        return true;
    }

    /**
     * A compressed packet of {@code len} bytes at {@code off}: returns the length of the rebuilt TCP/IP
     * header in {@link #header()} (the data is the packet from {@link #consumed()} on), or -1 when it was
     * dropped (an error or tossed).
     */
    public int decompress(byte[] b, int off, int len) {
        if (slots == 0 || len < 3) {
            return fail();
        }
        int end = off + len;
        int i = off;
        int changes = Bytes.u8(b, i++);
        int s;
        if ((changes & VjCompressor.NEW_C) != 0) {
            s = Bytes.u8(b, i++);
            if (s >= slots || savedLen[s] == 0) {
                return fail();
            }
            tossing = false;
        } else {
            if (tossing) {
                tossed++;
                return -1;
            }
            s = lastSlot;
            if (s < 0) {
                return fail();
            }
        }
        if ((changes & 0x80) != 0 || i + 2 > end) {
            return fail();
        }
        int hl = savedLen[s];
        int o = s * VjCompressor.MAX_HEADER;
        System.arraycopy(saved, o, header, 0, hl);
        int ihl = (header[0] & 0x0f) * 4;
        int lastData = Bytes.u16(header, 2) - hl;
        header[ihl + 16] = b[i++];
        header[ihl + 17] = b[i++];
        int flags = Bytes.u8(header, ihl + 13);
        flags = (changes & VjCompressor.PUSH) != 0 ? flags | VjCompressor.PSH : flags & ~VjCompressor.PSH;
        switch (changes & VjCompressor.SPECIALS) {
            case VjCompressor.SPECIAL_I:
                add32(ihl + 8, lastData);
                add32(ihl + 4, lastData);
                break;
            case VjCompressor.SPECIAL_D:
                add32(ihl + 4, lastData);
                break;
            default:
                if ((changes & VjCompressor.NEW_U) != 0) {
                    flags |= VjCompressor.URG;
                    if ((i = delta(b, i, end)) < 0) {
                        return fail();
                    }
                    Bytes.put16(header, ihl + 18, value);
                } else {
                    flags &= ~VjCompressor.URG;
                }
                if ((changes & VjCompressor.NEW_W) != 0) {
                    if ((i = delta(b, i, end)) < 0) {
                        return fail();
                    }
                    Bytes.put16(header, ihl + 14, Bytes.u16(header, ihl + 14) + value);
                }
                if ((changes & VjCompressor.NEW_A) != 0) {
                    if ((i = delta(b, i, end)) < 0) {
                        return fail();
                    }
                    add32(ihl + 8, value);
                }
                if ((changes & VjCompressor.NEW_S) != 0) {
                    if ((i = delta(b, i, end)) < 0) {
                        return fail();
                    }
                    add32(ihl + 4, value);
                }
        }
        header[ihl + 13] = (byte) flags;
        if ((changes & VjCompressor.NEW_I) != 0) {
            if ((i = delta(b, i, end)) < 0) {
                return fail();
            }
            Bytes.put16(header, 4, Bytes.u16(header, 4) + value);
        } else {
            Bytes.put16(header, 4, Bytes.u16(header, 4) + 1);
        }
        int total = hl + (end - i);
        if (total > 0xffff) {
            return fail();
        }
        Bytes.put16(header, 2, total);
        Bytes.put16(header, 10, 0);
        Bytes.put16(header, 10, Checksum.of(header, 0, ihl));
        System.arraycopy(header, 0, saved, o, hl);
        lastSlot = s;
        consumed = i - off;
        compressed++;
        return hl;
    }

    private int value;

    /** Reads one delta into {@link #value}; the index after it, or -1 if the packet ends first. */
    private int delta(byte[] b, int i, int end) {
        if (i >= end) {
            return -1;
        }
        int v = Bytes.u8(b, i++);
        if (v == 0) {
            if (i + 2 > end) {
                return -1;
            }
            v = Bytes.u16(b, i);
            i += 2;
        }
        value = v;
        return i;
    }

    private void add32(int at, int v) {
        Bytes.put32(header, at, Bytes.i32(header, at) + v);
    }

    /** The TCP/IPv4 header length of the packet at {@code off}, or -1 if it is not one a slot can hold. */
    private static int tcpHeaderLength(byte[] b, int off, int len) {
        if ((b[off] & 0xf0) != 0x40 || Bytes.u16(b, off + 2) != len || (Bytes.u16(b, off + 6) & 0x3fff) != 0) {
            return -1;
        }
        int ihl = (b[off] & 0x0f) * 4;
        if (ihl < 20 || ihl + 20 > len) {
            return -1;
        }
        int hl = ihl + (Bytes.u8(b, off + ihl + 12) >>> 4) * 4;
        return hl >= ihl + 20 && hl <= len && hl <= VjCompressor.MAX_HEADER ? hl : -1;
    }

    /** Counts an error and tosses until a packet names its slot; -1, for decompress to return. */
    private int fail() {
        errors++;
        tossing = true;
        return -1;
    }
}
