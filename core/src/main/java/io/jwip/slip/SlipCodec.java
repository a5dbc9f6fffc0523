package io.jwip.slip;

import io.jwip.buf.Pbuf;
import io.jwip.netif.LinkUpper;
import io.jwip.stats.Drop;

/**
 * SLIP framing (RFC 1055): an incremental decoder fed arbitrary chunks of a byte stream, and an encoder
 * that writes one framed packet into a caller's array. Neither allocates after construction.
 *
 * <pre>
 *   on the wire:   END | data with END and ESC escaped | END
 *
 *   byte in packet      sent as
 *   0xC0 (END)          0xDB 0xDC   (ESC ESC_END)
 *   0xDB (ESC)          0xDB 0xDD   (ESC ESC_ESC)
 *   anything else       itself
 * </pre>
 *
 * <h2>Decoder</h2>
 * A state machine over the bytes of {@link #decode}: data bytes are unescaped into {@link #frame}, a
 * preallocated array of MTU bytes, and at END the frame is checked, copied once into a pool buffer from the
 * {@link LinkUpper} and handed on. An END with nothing before it (the leading END of every frame, line
 * noise flushers) is no frame at all. A frame is dropped and counted when it
 * <ul>
 *   <li>grows past the MTU ({@link #oversize()}, {@link Drop#LINK_OVERSIZE}): the rest up to the next END
 *       is skipped;</li>
 *   <li>holds an ESC followed by anything but ESC_END / ESC_ESC ({@link #badFrames()},
 *       {@link Drop#LINK_BAD_FRAME}): RFC 1055 leaves this open; we treat it as line corruption;</li>
 *   <li>starts like an IPv4 header but is shorter than the header length it announces: garbage between
 *       frames, also a bad frame;</li>
 *   <li>cannot start an IPv4 header (version nibble not 4, or IHL below 5), e.g. a host tool's text
 *       probe such as "AT\r" or "CLIENT" ({@link #notIp()}, {@link Drop#LINK_NOT_IP}): dropped quietly,
 *       counted only.</li>
 * </ul>
 * Whether the IPv4 header is otherwise sane (lengths, checksum) is the IP layer's business.
 *
 * <h2>Encoder</h2>
 * {@link #encode(Pbuf, byte[], int)} writes END, the escaped bytes of a pbuf chain and END; the caller
 * sizes its array with {@link #maxEncodedLength(int)} once, at start-up.
 *
 * <p>Not thread-safe: the decoder belongs to the thread that feeds it (the stack thread), and so does the
 * encoder.
 */
public final class SlipCodec {
    public static final int END = 0xC0;
    public static final int ESC = 0xDB;
    public static final int ESC_END = 0xDC;
    public static final int ESC_ESC = 0xDD;

    /** Collecting data bytes of a frame (possibly none yet). */
    private static final int S_DATA = 0;
    /** The previous byte was ESC. */
    private static final int S_ESC = 1;
    /** The frame is already known to be bad: skip everything up to the next END. */
    private static final int S_SKIP = 2;

    /** The frame being assembled, unescaped; owned by the decoder, reused for every frame. */
    private final byte[] frame;
    /** Bytes of the current frame in {@link #frame}; 0 between frames. */
    private int len;
    private int state = S_DATA;
    /** Where complete frames go and drops are reported; null means frames are counted and dropped (tests,
     *  before attach). */
    private LinkUpper upper;

    private long framesIn;
    private long framesOut;
    private long bytesIn;
    private long bytesOut;
    private long badFrames;
    private long oversize;
    private long notIp;
    private long noBuffer;

    /**
     * @param mtu largest packet a frame may carry, in bytes (the netif's MTU)
     */
    public SlipCodec(int mtu) {
        if (mtu < 20) {
            throw new IllegalArgumentException("SLIP MTU must hold an IPv4 header, is " + mtu);
        }
        this.frame = new byte[mtu];
    }

    /** Sets where decoded frames go and drops are reported (the codec's own counters always count). */
    public void attach(LinkUpper upper) {
        this.upper = upper;
    }

    /** The MTU this codec was built for. */
    public int mtu() {
        return frame.length;
    }

    /** Bytes needed to encode a packet of {@code len} bytes in the worst case (every byte escaped). */
    public static int maxEncodedLength(int len) {
        return 2 * len + 2;
    }

    // ------------------------------------------------------------------------------------------ decoder

    /**
     * Feeds {@code n} received bytes; every frame they complete is handed to the {@link LinkUpper} before
     * this returns. Chunk boundaries may fall anywhere, including between ESC and its second byte.
     *
     * @return the number of frames handed on
     */
    public int decode(byte[] b, int off, int n) {
        bytesIn += n;
        int delivered = 0;
        int end = off + n;
        for (int i = off; i < end; i++) {
            int c = b[i] & 0xff;
            if (c == END) {
                if (state == S_DATA) {
                    if (len > 0 && frameEnd()) {
                        delivered++;
                    }
                } else if (state == S_ESC) {
                    // ESC END: the sender aborted, or a byte was lost; either way the frame is damaged.
                    bad(Drop.LINK_BAD_FRAME);
                }
                // S_SKIP: the bad frame was counted when it went bad.
                len = 0;
                state = S_DATA;
                continue;
            }
            switch (state) {
                case S_DATA:
                    if (c == ESC) {
                        state = S_ESC;
                    } else {
                        put(c);
                    }
                    break;
                case S_ESC:
                    if (c == ESC_END) {
                        state = S_DATA;
                        put(END);
                    } else if (c == ESC_ESC) {
                        state = S_DATA;
                        put(ESC);
                    } else {
                        bad(Drop.LINK_BAD_FRAME);
                        state = S_SKIP;
                    }
                    break;
                default:
                    break; // S_SKIP
            }
        }
        return delivered;
    }

    /** Appends one unescaped byte, or turns the frame into an oversize one. */
    private void put(int c) {
        if (len == frame.length) {
            bad(Drop.LINK_OVERSIZE);
            state = S_SKIP;
            return;
        }
        frame[len++] = (byte) c;
    }

    private void bad(int reason) {
        if (reason == Drop.LINK_OVERSIZE) {
            oversize++;
        } else {
            badFrames++;
        }
        if (upper != null) {
            upper.drop(reason);
        }
    }

    /** A frame of {@link #len} bytes ended cleanly: check it and hand it on. */
    private boolean frameEnd() {
        int first = frame[0] & 0xff;
        if ((first >>> 4) != 4 || (first & 0x0f) < 5) {
            // Cannot start an IPv4 header: a modem probe ("AT", "CLIENT": 'A'..'D' are 0x41..0x44, version
            // 4 with an impossible IHL), a login prompt, a terminal's echo, an IPv6 packet. Quiet, but
            // counted. Text starting with 'E'..'O' passes this test and fails the length test below or
            // the IP layer's checksum.
            notIp++;
            if (upper != null) {
                upper.drop(Drop.LINK_NOT_IP);
            }
            return false;
        }
        if (len < ((first & 0x0f) << 2)) {
            // Shorter than the header it announces: line noise or a fragment of a frame we joined late.
            bad(Drop.LINK_BAD_FRAME);
            return false;
        }
        if (upper == null) {
            noBuffer++;
            return false;
        }
        Pbuf p = upper.allocInput(len);
        if (p == null) {
            noBuffer++; // allocInput counted the drop
            return false;
        }
        p.copyIn(0, frame, 0, len);
        framesIn++;
        upper.input(p);
        return true;
    }

    /** Forgets a partly received frame (e.g. after the line was reopened). */
    public void reset() {
        len = 0;
        state = S_DATA;
    }

    // ------------------------------------------------------------------------------------------ encoder

    /**
     * Writes END, the escaped packet {@code p} (the whole chain) and END into {@code out} from
     * {@code outOff}. Uses {@code p}: it is not changed.
     *
     * @return bytes written, or -1 if {@code out} is too small (nothing meaningful was written) or the
     *         packet is longer than the MTU
     */
    public int encode(Pbuf p, byte[] out, int outOff) {
        if (p.totalLength() > frame.length) {
            oversize++;
            return -1;
        }
        int limit = out.length;
        int o = outOff;
        if (o >= limit) {
            return -1;
        }
        out[o++] = (byte) END;
        for (Pbuf q = p; q != null; q = q.next()) {
            byte[] b = q.buf;
            int end = q.offset() + q.length();
            for (int i = q.offset(); i < end; i++) {
                int c = b[i] & 0xff;
                if (c == END || c == ESC) {
                    if (o + 2 > limit) {
                        return -1;
                    }
                    out[o++] = (byte) ESC;
                    out[o++] = (byte) (c == END ? ESC_END : ESC_ESC);
                } else {
                    if (o >= limit) {
                        return -1;
                    }
                    out[o++] = (byte) c;
                }
            }
        }
        if (o >= limit) {
            return -1;
        }
        out[o++] = (byte) END;
        framesOut++;
        bytesOut += o - outOff;
        return o - outOff;
    }

    // ------------------------------------------------------------------------------------------ counters

    /** Frames decoded and handed to the stack. */
    public long framesIn() { return framesIn; }
    /** Frames encoded. */
    public long framesOut() { return framesOut; }
    /** Raw bytes fed to the decoder. */
    public long bytesIn() { return bytesIn; }
    /** Raw bytes produced by the encoder, ENDs and escapes included. */
    public long bytesOut() { return bytesOut; }
    /** Frames dropped for a bad escape or for being too short to be IPv4 (garbage). */
    public long badFrames() { return badFrames; }
    /** Frames longer than the MTU (received, or refused by the encoder). */
    public long oversize() { return oversize; }
    /** Frames that were not IPv4 (first nibble not 4), dropped quietly. */
    public long notIp() { return notIp; }
    /** Good frames dropped because the stack had no buffer (or nothing was attached). */
    public long noBuffer() { return noBuffer; }

    /** Appends the counters as one line. */
    public StringBuilder dump(StringBuilder sb) {
        sb.append("slip in=").append(framesIn).append(" out=").append(framesOut)
                .append(" bytesIn=").append(bytesIn).append(" bytesOut=").append(bytesOut)
                .append(" bad=").append(badFrames).append(" oversize=").append(oversize)
                .append(" notIp=").append(notIp).append(" noBuffer=").append(noBuffer);
        return sb;
    }
}
