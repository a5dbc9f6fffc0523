package io.jwip.ppp;

import io.jwip.buf.Pbuf;
import io.jwip.stats.Drop;

/**
 * PPP in HDLC-like framing (RFC 1662) for asynchronous serial lines: an incremental decoder fed any
 * chunks of the byte stream, and an encoder into a caller's array. Neither allocates after construction.
 *
 * <pre>
 *   on the wire:  7E | FF 03 | protocol (1-2) | information | FCS (2, least significant first) | 7E
 *
 *   byte in the frame            sent as
 *   7E (flag), 7D (escape)       7D, byte ^ 0x20
 *   below 0x20, in the tx ACCM   7D, byte ^ 0x20
 *   anything else                itself
 * </pre>
 *
 * <ul>
 *   <li>The FCS is RFC 1662's FCS-16 (x^16 + x^12 + x^5 + 1, reflected, initial FFFF, sent complemented);
 *       a frame whose FCS over everything between the flags is not {@link #GOOD_FCS} is dropped and
 *       counted ({@link Drop#PPP_BAD_FCS}), never delivered. Once LCP agreed on it (RFC 1570's
 *       FCS-Alternatives), each direction may use the 32-bit FCS of RFC 1662 appendix C.3 instead
 *       ({@link #setFcs32}; good residue {@link #GOOD_FCS32}).</li>
 *   <li>Address-and-control field compression (ACFC): a received frame may omit FF 03; {@link #setAcfc}
 *       omits them on transmit (never for LCP, RFC 1661 6.6).</li>
 *   <li>Protocol field compression (PFC): a protocol with an odd first byte is one byte long;
 *       {@link #setPfc} sends protocols below 0x100 in one byte (never LCP's).</li>
 *   <li>The async control character map (ACCM): bytes below 0x20 flagged in the receive map are line
 *       noise inserted by modems and are removed before the FCS (RFC 1662 7.1); those flagged in the
 *       transmit map are escaped. Both start as FFFFFFFF, as RFC 1662 requires until LCP agrees.</li>
 *   <li>7D 7E aborts the frame ({@link Drop#PPP_ABORTED}); a frame longer than the MRU is dropped
 *       ({@link Drop#PPP_OVERSIZE}) and the rest up to the next flag skipped.</li>
 * </ul>
 */
public final class HdlcFraming {
    public static final int FLAG = 0x7e;
    public static final int ESCAPE = 0x7d;
    public static final int ADDRESS = 0xff;
    public static final int CONTROL = 0x03;
    /** The FCS-16 of a good frame, computed over its bytes and its FCS (RFC 1662 C.2). */
    public static final int GOOD_FCS = 0xf0b8;
    /** FCS-16's initial value. */
    public static final int INIT_FCS = 0xffff;
    /** FCS-32's initial value and the residue of a good frame (RFC 1662 C.3). */
    public static final int INIT_FCS32 = 0xffffffff;
    public static final int GOOD_FCS32 = 0xdebb20e3;
    /** Header (FF 03 and a 2-byte protocol) and the longest FCS: what a frame adds to its information field. */
    public static final int OVERHEAD = 4 + 4;

    /** Where decoded frames go. */
    public interface Receiver {
        /**
         * A good frame: {@code protocol} and its information field, {@code len} bytes at {@code off} of
         * {@code frame} (the decoder's own array, valid during the call).
         */
        void frame(int protocol, byte[] frame, int off, int len);

        /** A frame was dropped for {@code reason} (a {@link Drop} reason). */
        void dropped(int reason);
    }

    private static final int[] FCS_TABLE = new int[256];
    private static final int[] FCS32_TABLE = new int[256];

    static {
        for (int b = 0; b < 256; b++) {
            int v = b;
            for (int i = 0; i < 8; i++) {
                v = (v & 1) != 0 ? (v >>> 1) ^ 0xedb88320 : v >>> 1;
            }
            FCS32_TABLE[b] = v;
        }
        for (int b = 0; b < 256; b++) {
            int v = b;
            for (int i = 0; i < 8; i++) {
                v = (v & 1) != 0 ? (v >>> 1) ^ 0x8408 : v >>> 1;
            }
            FCS_TABLE[b] = v;
        }
    }

    /** FCS-16 of {@code len} bytes at {@code off}, continuing from {@code fcs}. */
    public static int fcs(int fcs, byte[] b, int off, int len) {
        for (int i = 0; i < len; i++) {
            fcs = (fcs >>> 8) ^ FCS_TABLE[(fcs ^ b[off + i]) & 0xff];
        }
        return fcs;
    }

    private static int fcs(int fcs, int b) {
        return (fcs >>> 8) ^ FCS_TABLE[(fcs ^ b) & 0xff];
    }

    /** FCS-32 of {@code len} bytes at {@code off}, continuing from {@code fcs}. */
    public static int fcs32(int fcs, byte[] b, int off, int len) {
        for (int i = 0; i < len; i++) {
            fcs = (fcs >>> 8) ^ FCS32_TABLE[(fcs ^ b[off + i]) & 0xff];
        }
        return fcs;
    }

    private final byte[] frame;
    private final int mru;
    private int len;
    private boolean escaped;
    private boolean skipping;
    private int rxAccm = 0xffffffff;
    private int txAccm = 0xffffffff;
    private boolean acfc;
    private boolean pfc;
    private boolean rxFcs32;
    private boolean txFcs32;
    private Receiver receiver;
    private long framesIn, framesOut, badFcs, oversize, aborted, runts, badHeader;

    /** @param mru largest information field accepted (and the decoder's array: MRU plus header and FCS) */
    public HdlcFraming(int mru) {
        this.mru = mru;
        this.frame = new byte[mru + OVERHEAD];
    }

    public void setReceiver(Receiver r) { this.receiver = r; }

    /** Bytes below 0x20 flagged here are removed on receive (RFC 1662 7.1). */
    public void setRxAccm(int accm) { this.rxAccm = accm; }

    /** Bytes below 0x20 flagged here are escaped on transmit. */
    public void setTxAccm(int accm) { this.txAccm = accm; }

    /** Omit FF 03 on transmit (except in LCP frames). */
    public void setAcfc(boolean on) { this.acfc = on; }

    /** Send protocols below 0x100 in one byte (except LCP's). */
    public void setPfc(boolean on) { this.pfc = on; }

    /** The 32-bit FCS on frames received ({@code rx}) and sent ({@code tx}); both start as FCS-16. */
    public void setFcs32(boolean rx, boolean tx) {
        this.rxFcs32 = rx;
        this.txFcs32 = tx;
    }

    public boolean rxFcs32() { return rxFcs32; }
    public boolean txFcs32() { return txFcs32; }

    public long framesIn() { return framesIn; }
    public long framesOut() { return framesOut; }
    public long badFcs() { return badFcs; }
    public long oversize() { return oversize; }
    public long aborted() { return aborted; }
    public long runts() { return runts; }
    public long badHeader() { return badHeader; }

    // ================================================================ decoder

    /** Feeds {@code n} bytes of the line; complete frames go to the receiver as they end. */
    public void decode(byte[] b, int off, int n) {
        for (int i = 0; i < n; i++) {
            int c = b[off + i] & 0xff;
            if (c == FLAG) {
                if (escaped) {
                    aborted++;
                    drop(Drop.PPP_ABORTED);
                } else if (!skipping && len > 0) {
                    end();
                }
                len = 0;
                escaped = false;
                skipping = false;
                continue;
            }
            if (skipping) {
                continue;
            }
            if (c < 0x20 && (rxAccm & (1 << c)) != 0) {
                continue; // inserted by the line, not part of the frame
            }
            if (c == ESCAPE) {
                escaped = true;
                continue;
            }
            if (escaped) {
                c ^= 0x20;
                escaped = false;
            }
            if (len == frame.length) {
                oversize++;
                drop(Drop.PPP_OVERSIZE);
                skipping = true;
                len = 0;
                continue;
            }
            frame[len++] = (byte) c;
        }
    }

    /** A flag ended a frame of {@link #len} bytes: check, strip and hand it on. */
    private void end() {
        int fcsLen = rxFcs32 ? 4 : 2;
        if (len < 2 + fcsLen) { // at least a one-byte protocol, one more byte and the FCS: below this, noise
            runts++;
            drop(Drop.PPP_RUNT);
            return;
        }
        if (rxFcs32 ? fcs32(INIT_FCS32, frame, 0, len) != GOOD_FCS32 : fcs(INIT_FCS, frame, 0, len) != GOOD_FCS) {
            badFcs++;
            drop(Drop.PPP_BAD_FCS);
            return;
        }
        int at = 0;
        int end = len - fcsLen;
        if ((frame[0] & 0xff) == ADDRESS) {
            if (end < 2 || (frame[1] & 0xff) != CONTROL) {
                badHeader++;
                drop(Drop.PPP_BAD_HEADER);
                return;
            }
            at = 2;
        }
        if (at >= end) {
            runts++;
            drop(Drop.PPP_RUNT);
            return;
        }
        int protocol = frame[at] & 0xff;
        if ((protocol & 1) == 0) { // two bytes; the second must be odd (RFC 1661 2)
            if (at + 1 >= end || (frame[at + 1] & 1) == 0) {
                badHeader++;
                drop(Drop.PPP_BAD_HEADER);
                return;
            }
            protocol = (protocol << 8) | (frame[at + 1] & 0xff);
            at += 2;
        } else {
            at += 1;
        }
        if (end - at > mru) {
            oversize++;
            drop(Drop.PPP_OVERSIZE);
            return;
        }
        framesIn++;
        if (receiver != null) {
            receiver.frame(protocol, frame, at, end - at);
        }
    }

    private void drop(int reason) {
        if (receiver != null) {
            receiver.dropped(reason);
        }
    }

    // ================================================================ encoder

    /** Bytes a frame of {@code infoLen} information bytes may need on the wire at most (everything escaped). */
    public static int maxEncodedLength(int infoLen) {
        return 2 + 2 * (infoLen + OVERHEAD);
    }

    /** Encodes a frame whose information field is the chain {@code p} (used, not taken); returns its length. */
    public int encode(int protocol, Pbuf p, byte[] out, int at) {
        return finish(out, chain(p, 0, out, begin(protocol, out, at))) - at;
    }

    /**
     * A frame whose information field is {@code an} bytes of {@code a} and then the chain {@code p} from
     * its byte {@code from} on (a rewritten header before the packet's own data, with no copy of the data).
     */
    public int encode(int protocol, byte[] a, int aoff, int an, Pbuf p, int from, byte[] out, int at) {
        return finish(out, chain(p, from, out, body(a, aoff, an, out, begin(protocol, out, at)))) - at;
    }

    /** As {@link #encode(int, Pbuf, byte[], int)} for an information field in an array. */
    public int encode(int protocol, byte[] info, int off, int n, byte[] out, int at) {
        return finish(out, body(info, off, n, out, begin(protocol, out, at))) - at;
    }

    /** The running FCS of the frame being encoded. */
    private int txFcs;

    /** The opening flag, address and control (unless compressed) and the protocol. */
    private int begin(int protocol, byte[] out, int at) {
        int w = at;
        out[w++] = (byte) FLAG;
        txFcs = txFcs32 ? INIT_FCS32 : INIT_FCS;
        boolean lcp = protocol == PppProtocol.LCP;
        if (!acfc || lcp) {
            w = putFcs(out, w, ADDRESS);
            w = putFcs(out, w, CONTROL);
        }
        if (!pfc || lcp || protocol > 0xff) {
            w = putFcs(out, w, protocol >>> 8);
        }
        return putFcs(out, w, protocol & 0xff);
    }

    /** The bytes of the chain {@code p} from its byte {@code from} on. */
    private int chain(Pbuf p, int from, byte[] out, int w) {
        for (Pbuf q = p; q != null; q = q.next()) {
            int n = q.length();
            if (from >= n) {
                from -= n;
                continue;
            }
            w = body(q.buf, q.offset() + from, n - from, out, w);
            from = 0;
        }
        return w;
    }

    private int body(byte[] b, int off, int n, byte[] out, int w) {
        for (int i = 0; i < n; i++) {
            w = putFcs(out, w, b[off + i] & 0xff);
        }
        return w;
    }

    /** The FCS (complemented, least significant byte first) and the closing flag. */
    private int finish(byte[] out, int w) {
        if (txFcs32) {
            int fcs = ~txFcs;
            for (int k = 0; k < 4; k++) {
                w = put(out, w, (fcs >>> (8 * k)) & 0xff);
            }
        } else {
            int fcs = txFcs ^ 0xffff;
            w = put(out, w, fcs & 0xff);
            w = put(out, w, fcs >>> 8);
        }
        out[w++] = (byte) FLAG;
        framesOut++;
        return w;
    }

    private int putFcs(byte[] out, int w, int c) {
        txFcs = txFcs32 ? (txFcs >>> 8) ^ FCS32_TABLE[(txFcs ^ c) & 0xff] : fcs(txFcs, c);
        return put(out, w, c);
    }

    private int put(byte[] out, int w, int c) {
        if (c == FLAG || c == ESCAPE || c < 0x20 && (txAccm & (1 << c)) != 0) {
            out[w++] = (byte) ESCAPE;
            out[w++] = (byte) (c ^ 0x20);
        } else {
            out[w++] = (byte) c;
        }
        return w;
    }
}
