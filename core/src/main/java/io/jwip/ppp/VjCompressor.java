package io.jwip.ppp;

import io.jwip.wire.Bytes;

/**
 * The sending half of Van Jacobson TCP/IP header compression (RFC 1144): a TCP/IP header whose
 * connection we have sent before is replaced by the fields that changed, usually 3 to 6 bytes instead of
 * 40. Each connection (source, destination and the two ports) owns one of a fixed number of slots holding
 * the last header sent; the least recently used slot is taken for a new connection.
 *
 * <pre>
 *   compressed header (RFC 1144 3.2.2, protocol 0x002d):
 *     +-+-+-+-+-+-+-+-+
 *     |0|C|I|P|S|A|W|U|   change mask
 *     +-+-+-+-+-+-+-+-+
 *     |  connection   |   (C set)
 *     +---------------+
 *     | TCP checksum  |   2 bytes, always
 *     +---------------+
 *     | urgent, window delta, ack delta, seq delta, IP ID delta: each present when its bit is set;
 *     | one byte 1..255, or 0 and two bytes
 *     +---------------
 *   S|W|U (SPECIAL_I): seq and ack both grew by the last segment's data (echoed interactive traffic);
 *   S|A|W|U (SPECIAL_D): seq grew by the last segment's data (one-way bulk data).
 * </pre>
 *
 * What cannot be compressed goes as it is ({@link #TYPE_IP}: not TCP, a fragment, SYN/FIN/RST or no ACK,
 * options or TTL changed, a jump over 64 KiB) or as "uncompressed TCP" ({@link #TYPE_UNCOMPRESSED}: the
 * full packet with its IP protocol byte replaced by the slot number, so the far end learns the header).
 * Slots are arrays made in the constructor; compressing allocates nothing.
 */
public final class VjCompressor {
    /** Send the packet as plain IPv4 (0x0021). */
    public static final int TYPE_IP = 0;
    /** Send the packet as uncompressed TCP (0x002f): its protocol byte now holds the slot number. */
    public static final int TYPE_UNCOMPRESSED = 1;
    /** Send {@link #headerLength()} bytes of {@link #header()} and then the packet's data from {@link #consumed()} (0x002d). */
    public static final int TYPE_COMPRESSED = 2;

    static final int NEW_C = 0x40;
    static final int NEW_I = 0x20;
    static final int PUSH = 0x10;
    static final int NEW_S = 0x08;
    static final int NEW_A = 0x04;
    static final int NEW_W = 0x02;
    static final int NEW_U = 0x01;
    static final int SPECIAL_I = NEW_S | NEW_W | NEW_U;
    static final int SPECIAL_D = NEW_S | NEW_A | NEW_W | NEW_U;
    static final int SPECIALS = 0x0f;
    /** The longest TCP/IP header a slot holds (RFC 1144's MAX_HDR): 60 bytes of IP and 60 of TCP fit. */
    public static final int MAX_HEADER = 128;

    static final int FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10, URG = 0x20;

    private final int capacity;
    private final byte[] saved;
    private final int[] savedLen;
    private final long[] lastUse;
    private final byte[] out = new byte[4 + 15];
    private final byte[] deltas = new byte[16];
    private int slots;
    private boolean compressSlotId;
    private int lastSlot = -1;
    private long clock;
    private int outLen;
    private int consumed;
    private long compressed, uncompressed, plain, bytesSaved;

    /** @param capacity the most slots this end will ever use (1..256) */
    public VjCompressor(int capacity) {
        if (capacity < 1 || capacity > 256) {
            throw new IllegalArgumentException("VJ slots must be 1..256: " + capacity);
        }
        this.capacity = capacity;
        this.saved = new byte[capacity * MAX_HEADER];
        this.savedLen = new int[capacity];
        this.lastUse = new long[capacity];
    }

    /**
     * Starts compressing for a peer that takes {@code peerSlots} slots (its Max-Slot-Id + 1) and may
     * ({@code mayOmitSlotId}: its Comp-Slot-Id) receive packets without the connection number; every slot
     * is forgotten. {@code peerSlots} 0 stops compression.
     */
    public void start(int peerSlots, boolean mayOmitSlotId) {
        slots = Math.min(peerSlots, capacity);
        compressSlotId = mayOmitSlotId;
        lastSlot = -1;
        for (int i = 0; i < capacity; i++) {
            savedLen[i] = 0;
            lastUse[i] = 0;
        }
    }

    /** True while the peer takes compressed packets. */
    public boolean active() { return slots > 0; }

    public int slots() { return slots; }
    public byte[] header() { return out; }
    public int headerLength() { return outLen; }
    /** Bytes of the original packet the compressed header stands for (its IP and TCP headers). */
    public int consumed() { return consumed; }
    public long compressedPackets() { return compressed; }
    public long uncompressedPackets() { return uncompressed; }
    public long plainPackets() { return plain; }
    /** Header bytes not sent thanks to compression. */
    public long bytesSaved() { return bytesSaved; }

    /**
     * Looks at the IPv4 packet of {@code len} bytes whose first {@code min(len, MAX_HEADER)} bytes (its
     * headers) are at {@code off} of {@code p}, and says how to send it:
     * {@link #TYPE_IP}, {@link #TYPE_UNCOMPRESSED} (the protocol byte was changed in {@code p}) or
     * {@link #TYPE_COMPRESSED} (see {@link #header()}).
     */
    public int compress(byte[] p, int off, int len) {
        if (slots == 0 || len < 40 || (p[off] & 0xf0) != 0x40 || Bytes.u8(p, off + 9) != 6
                || (Bytes.u16(p, off + 6) & 0x3fff) != 0 || Bytes.u16(p, off + 2) != len) {
            return plain();
        }
        int ihl = (p[off] & 0x0f) * 4;
        int t = off + ihl;
        if (ihl < 20 || ihl + 20 > len) {
            return plain();
        }
        int doff = (Bytes.u8(p, t + 12) >>> 4) * 4;
        int hl = ihl + doff;
        int flags = Bytes.u8(p, t + 13);
        if (doff < 20 || hl > len || hl > MAX_HEADER || (flags & (SYN | FIN | RST | ACK)) != ACK) {
            return plain();
        }
        int s = find(p, off, t);
        if (s < 0) {
            return sendUncompressed(p, off, hl, lru());
        }
        int o = s * MAX_HEADER;
        int ot = o + ihl;
        // What the encoding cannot express: any change but ID, length, checksums, seq, ack, window, urgent, PSH.
        if (saved[o] != p[off] || saved[o + 1] != p[off + 1] || !same(p, off + 6, o + 6, 4)
                || saved[ot + 12] != p[t + 12] || !same(p, off + 20, o + 20, ihl - 20)
                || !same(p, t + 20, ot + 20, doff - 20) || savedLen[s] != hl) {
            return sendUncompressed(p, off, hl, s);
        }
        int changes = 0;
        int d = 0;
        if ((flags & URG) != 0) {
            d = encode(d, Bytes.u16(p, t + 18));
            changes |= NEW_U;
        } else if (Bytes.u16(p, t + 18) != Bytes.u16(saved, ot + 18)) {
            return sendUncompressed(p, off, hl, s);
        }
        int dw = (Bytes.u16(p, t + 14) - Bytes.u16(saved, ot + 14)) & 0xffff;
        if (dw != 0) {
            d = encode(d, dw);
            changes |= NEW_W;
        }
        long da = (Bytes.i32(p, t + 8) - Bytes.i32(saved, ot + 8)) & 0xffffffffL;
        if (da != 0) {
            if (da > 0xffff) {
                return sendUncompressed(p, off, hl, s);
            }
            d = encode(d, (int) da);
            changes |= NEW_A;
        }
        long ds = (Bytes.i32(p, t + 4) - Bytes.i32(saved, ot + 4)) & 0xffffffffL;
        if (ds != 0) {
            if (ds > 0xffff) {
                return sendUncompressed(p, off, hl, s);
            }
            d = encode(d, (int) ds);
            changes |= NEW_S;
        }
        int lastData = Bytes.u16(saved, o + 2) - hl;
        switch (changes) {
            case 0:
                // Nothing moved: only the first data after a pure ACK may go compressed; a retransmission
                // or a repeated ACK goes whole so that the far end sees it unchanged.
                if (!(len != Bytes.u16(saved, o + 2) && lastData == 0)) {
                    return sendUncompressed(p, off, hl, s);
                }
                break;
            case SPECIAL_I:
            case SPECIAL_D:
                return sendUncompressed(p, off, hl, s); // these masks mean the special cases below
            case NEW_S | NEW_A:
                if (ds == da && ds == lastData) {
                    changes = SPECIAL_I;
                    d = 0;
                }
                break;
            case NEW_S:
                if (ds == lastData) {
                    changes = SPECIAL_D;
                    d = 0;
                }
                break;
            default:
                break;
        }
        int di = (Bytes.u16(p, off + 4) - Bytes.u16(saved, o + 4)) & 0xffff;
        if (di != 1) {
            d = encode(d, di);
            changes |= NEW_I;
        }
        if ((flags & PSH) != 0) {
            changes |= PUSH;
        }
        System.arraycopy(p, off, saved, o, hl);
        lastUse[s] = ++clock;
        int w = 0;
        if (!compressSlotId || lastSlot != s) {
            out[w++] = (byte) (changes | NEW_C);
            out[w++] = (byte) s;
            lastSlot = s;
        } else {
            out[w++] = (byte) changes;
        }
        out[w++] = p[t + 16];
        out[w++] = p[t + 17];
        System.arraycopy(deltas, 0, out, w, d);
        outLen = w + d;
        consumed = hl;
        compressed++;
        bytesSaved += hl - outLen;
        return TYPE_COMPRESSED;
    }

    private int plain() {
        plain++;
        return TYPE_IP;
    }

    private int sendUncompressed(byte[] p, int off, int hl, int s) {
        int o = s * MAX_HEADER;
        System.arraycopy(p, off, saved, o, hl);
        savedLen[s] = hl;
        lastUse[s] = ++clock;
        p[off + 9] = (byte) s;
        lastSlot = s;
        uncompressed++;
        return TYPE_UNCOMPRESSED;
    }

    /** The slot of this packet's connection (addresses and ports), or -1. */
    private int find(byte[] p, int off, int t) {
        for (int s = 0; s < slots; s++) {
            int o = s * MAX_HEADER;
            if (savedLen[s] != 0 && same(p, off + 12, o + 12, 8)
                    && same(p, t, o + (saved[o] & 0x0f) * 4, 4)) {
                return s;
            }
        }
        return -1;
    }

    /** A free slot, or the least recently used one. */
    private int lru() {
        int best = 0;
        for (int s = 0; s < slots; s++) {
            if (savedLen[s] == 0) {
                return s;
            }
            if (lastUse[s] < lastUse[best]) {
                best = s;
            }
        }
        return best;
    }

    private boolean same(byte[] p, int at, int savedAt, int n) {
        for (int i = 0; i < n; i++) {
            if (p[at + i] != saved[savedAt + i]) {
                return false;
            }
        }
        return true;
    }

    /** A delta: one byte 1..255, else (0 and 256..65535) a 0 byte and two bytes. */
    private int encode(int d, int v) {
        if (v >= 256 || v == 0) {
            deltas[d++] = 0;
            deltas[d++] = (byte) (v >>> 8);
            deltas[d++] = (byte) v;
        } else {
            deltas[d++] = (byte) v;
        }
        return d;
    }
}
