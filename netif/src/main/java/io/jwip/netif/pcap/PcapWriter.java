package io.jwip.netif.pcap;

import io.jwip.buf.Pbuf;
import java.io.Closeable;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * Writes packets to a classic libpcap capture file that Wireshark and {@code tshark -r} open.
 *
 * <p>Format (all fields in the writer's byte order, little-endian here; readers detect it from the magic):
 * <pre>
 *   global header, 24 bytes, once:
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                 magic 0xa1b2c3d4 (microseconds)               |  0
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |     version major = 2         |     version minor = 4         |  4
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                 thiszone (GMT offset) = 0                     |  8
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                 sigfigs = 0                                   | 12
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                 snaplen = 65535                               | 16
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                 network = 101 (LINKTYPE_RAW: raw IPv4)        | 20
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 *   record header, 16 bytes, before each packet's bytes:
 *   |                 ts_sec                                        |  0
 *   |                 ts_usec                                       |  4
 *   |                 incl_len (bytes stored, at most snaplen)      |  8
 *   |                 orig_len (bytes on the wire)                  | 12
 * </pre>
 *
 * <h2>No allocation per packet</h2>
 * Records are copied into one staging buffer made here (the record header from a reused 16-byte scratch,
 * the packet straight from each pbuf's {@code buf}), which goes to the stream in one write when full, on
 * {@link #flush()} and on {@link #close()}. Timestamps come from the {@link PcapClock} given here.
 *
 * <h2>Errors never reach the stack</h2>
 * An {@link IOException} is counted ({@link #errors()}), remembered ({@link #lastError()}) and switches
 * the capture off ({@link #isEnabled()} false): the packet path carries on as if there were no capture.
 *
 * <p>Not thread-safe; it runs on the thread that owns the stack(s) whose packets it records.
 */
public final class PcapWriter implements Closeable {
    public static final int MAGIC_MICROS = 0xa1b2c3d4;
    public static final int VERSION_MAJOR = 2;
    public static final int VERSION_MINOR = 4;
    public static final int SNAPLEN = 65535;
    /** LINKTYPE_RAW: each packet begins with an IPv4 (or IPv6) header. */
    public static final int LINKTYPE_RAW = 101;
    /** LINKTYPE_ETHERNET: each packet begins with an Ethernet II header (a capture of TAP frames). */
    public static final int LINKTYPE_ETHERNET = 1;
    public static final int GLOBAL_HEADER_LENGTH = 24;
    public static final int RECORD_HEADER_LENGTH = 16;

    // Offsets in the record header.
    private static final int REC_TS_SEC = 0;
    private static final int REC_TS_USEC = 4;
    private static final int REC_INCL_LEN = 8;
    private static final int REC_ORIG_LEN = 12;

    /** Default staging buffer: a few full-size packets. */
    public static final int DEFAULT_BUFFER = 64 * 1024;

    private final OutputStream out;
    private final PcapClock clock;
    /** Record header scratch, reused for every packet. */
    private final byte[] rec = new byte[RECORD_HEADER_LENGTH];
    /** Staging buffer; {@code fill} bytes of it are waiting to be written. */
    private final byte[] stage;
    private int fill;
    private boolean enabled = true;
    private boolean closed;
    private long packets;
    private long bytes;
    private long errors;
    private IOException lastError;

    /**
     * Starts a capture on {@code out} and writes the global header (into the staging buffer). The writer
     * owns {@code out} from now on and closes it in {@link #close()}.
     *
     * @param bufferSize staging buffer bytes (at least 4096)
     */
    public PcapWriter(OutputStream out, PcapClock clock, int bufferSize) {
        this(out, clock, bufferSize, LINKTYPE_RAW);
    }

    /** As {@link #PcapWriter(OutputStream, PcapClock, int)}, for a link type: {@link #LINKTYPE_RAW} or {@link #LINKTYPE_ETHERNET}. */
    public PcapWriter(OutputStream out, PcapClock clock, int bufferSize, int linkType) {
        if (bufferSize < 4096) {
            throw new IllegalArgumentException("bufferSize must be at least 4096 (is " + bufferSize + ")");
        }
        this.out = out;
        this.clock = clock;
        this.stage = new byte[bufferSize];
        put32(stage, 0, MAGIC_MICROS);
        put16(stage, 4, VERSION_MAJOR);
        put16(stage, 6, VERSION_MINOR);
        put32(stage, 8, 0);
        put32(stage, 12, 0);
        put32(stage, 16, SNAPLEN);
        put32(stage, 20, linkType);
        fill = GLOBAL_HEADER_LENGTH;
    }

    public PcapWriter(OutputStream out, PcapClock clock) {
        this(out, clock, DEFAULT_BUFFER);
    }

    /** Creates (or truncates) {@code file} and starts a capture in it. */
    public static PcapWriter create(Path file, PcapClock clock) throws IOException {
        return new PcapWriter(new FileOutputStream(file.toFile()), clock);
    }

    /** Creates (or truncates) {@code file} and starts a capture of {@code linkType} in it. */
    public static PcapWriter create(Path file, PcapClock clock, int linkType) throws IOException {
        return new PcapWriter(new FileOutputStream(file.toFile()), clock, DEFAULT_BUFFER, linkType);
    }

    /** Records the packet {@code p} (from its offset, the whole chain). Uses {@code p}; never throws. */
    public void write(Pbuf p) {
        if (!enabled) {
            return;
        }
        int orig = p.totalLength();
        int incl = orig < SNAPLEN ? orig : SNAPLEN;
        if (!header(incl, orig)) {
            return;
        }
        int left = incl;
        for (Pbuf q = p; q != null && left > 0; q = q.next()) {
            int n = q.length() < left ? q.length() : left;
            if (!append(q.buf, q.offset(), n)) {
                return;
            }
            left -= n;
        }
        packets++;
        bytes += incl;
    }

    /** Records {@code len} bytes of {@code b} from {@code off} as one packet. Never throws. */
    public void write(byte[] b, int off, int len) {
        if (!enabled) {
            return;
        }
        int incl = len < SNAPLEN ? len : SNAPLEN;
        if (header(incl, len) && append(b, off, incl)) {
            packets++;
            bytes += incl;
        }
    }

    private boolean header(int incl, int orig) {
        long us = clock.nowMicros();
        long sec = Math.floorDiv(us, 1_000_000L);
        long usec = Math.floorMod(us, 1_000_000L);
        put32(rec, REC_TS_SEC, (int) sec);
        put32(rec, REC_TS_USEC, (int) usec);
        put32(rec, REC_INCL_LEN, incl);
        put32(rec, REC_ORIG_LEN, orig);
        return append(rec, 0, RECORD_HEADER_LENGTH);
    }

    /** Copies into the staging buffer, writing it out whenever it fills. False if the capture failed. */
    private boolean append(byte[] b, int off, int len) {
        while (len > 0) {
            if (fill == stage.length && !drain()) {
                return false;
            }
            int n = stage.length - fill < len ? stage.length - fill : len;
            System.arraycopy(b, off, stage, fill, n);
            fill += n;
            off += n;
            len -= n;
        }
        return true;
    }

    private boolean drain() {
        if (fill == 0) {
            return true;
        }
        try {
            out.write(stage, 0, fill);
            fill = 0;
            return true;
        } catch (IOException e) {
            fail(e);
            return false;
        }
    }

    private void fail(IOException e) {
        errors++;
        lastError = e;
        enabled = false;
        fill = 0;
    }

    /** Writes what is staged to the stream and flushes it. Never throws. */
    public void flush() {
        if (!enabled) {
            return;
        }
        if (drain()) {
            try {
                out.flush();
            } catch (IOException e) {
                fail(e);
            }
        }
    }

    /** Flushes and closes the stream; further packets are ignored. Never throws. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        flush();
        closed = true;
        enabled = false;
        try {
            out.close();
        } catch (IOException e) {
            errors++;
            lastError = e;
        }
    }

    /** True while packets are being recorded (false after an I/O error or {@link #close()}). */
    public boolean isEnabled() { return enabled; }
    /** Packets recorded. */
    public long packets() { return packets; }
    /** Packet bytes recorded (record headers not counted). */
    public long bytes() { return bytes; }
    /** I/O errors seen; the first one switched the capture off. */
    public long errors() { return errors; }
    /** The latest I/O error, or null. */
    public IOException lastError() { return lastError; }

    private static void put16(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
    }

    private static void put32(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }
}
