package io.jwip.netif.slip;

import io.jwip.Err;
import io.jwip.buf.Pbuf;
import io.jwip.netif.Link;
import io.jwip.netif.LinkUpper;
import io.jwip.netif.Pollable;
import io.jwip.netif.Readiness;
import io.jwip.netif.Wakeup;
import io.jwip.netif.Netif;
import io.jwip.slip.SlipCodec;
import io.jwip.stats.Drop;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A SLIP link (RFC 1055) over a {@link SlipLine}: a serial port through jssc ({@link #serial}), a TCP
 * connection ({@link #tcp}, the {@code slip-tcp:HOST:PORT} form), or any stream pair ({@link #stream}).
 *
 * <h2>Threads</h2>
 * Everything here runs on the stack's thread. The owner calls {@link #poll()} whenever it can (the
 * single-threaded port's loop does); it reads what the line has without blocking, feeds the
 * {@link SlipCodec} decoder, and the decoder delivers each complete packet into the stack before
 * {@code poll} returns. {@link #output(Pbuf)} encodes into a preallocated array and writes it to the line.
 * Lines that need a thread to read (streams) hand bytes over through a preallocated {@link ByteRing}.
 *
 * <h2>Link down</h2>
 * When the line reports it is down (hang-up, EOF, repeated errors), {@link #poll()} marks this link down,
 * tells its upper ({@link LinkUpper#linkDown}: the netif goes down, also behind a capture link) so the
 * stack stops routing to it, and
 * {@link #downReason()} says why. There is no automatic reopen.
 *
 * <h2>Memory</h2>
 * The receive chunk array, the decoder's frame array and the transmit array are made here, once; the
 * packet path allocates nothing (the jssc line's own per-read arrays aside, see {@link JsscLine}).
 */
public final class SlipLink implements Link, Pollable, Readiness, AutoCloseable {
    private final SlipLine line;
    private final SlipCodec codec;
    /** Receive chunk: what one poll reads from the line before decoding. */
    private final byte[] rx;
    /** Transmit frame: one encoded packet, END to END. */
    private final byte[] tx;
    private LinkUpper upper;
    private String down;
    private long writeErrors;

    /**
     * @param mtu     largest IPv4 packet the link carries (use the same value for the {@link Netif})
     * @param rxChunk bytes read from the line per {@link #poll()} at most
     */
    public SlipLink(SlipLine line, int mtu, int rxChunk) {
        this.line = line;
        this.codec = new SlipCodec(mtu);
        this.rx = new byte[rxChunk];
        this.tx = new byte[SlipCodec.maxEncodedLength(mtu)];
    }

    /** SLIP on a serial port through jssc, e.g. {@code serial("/dev/ttyUSB0", 115200, 1006)}. */
    public static SlipLink serial(String device, int baud, int mtu) throws IOException {
        return new SlipLink(new JsscLine(device, baud, SlipCodec.maxEncodedLength(mtu)), mtu, 4096);
    }

    /** SLIP over a TCP connection to {@code host:port} (a serial bridge, {@code socat}). */
    public static SlipLink tcp(String host, int port, int mtu) throws IOException {
        return new SlipLink(StreamLine.connect(host, port, 5000), mtu, 4096);
    }

    /** SLIP over a stream pair; {@code resource} (may be null) is closed with the link. */
    public static SlipLink stream(InputStream in, OutputStream out, AutoCloseable resource, int mtu) {
        return new SlipLink(new StreamLine(in, out, resource, 64 * 1024, "stream"), mtu, 4096);
    }

    @Override
    public void attach(LinkUpper upper) {
        this.upper = upper;
        codec.attach(upper);
    }

    /** The line's descriptor, if it has one (a serial port opened by descriptor). */
    @Override
    public int fd() {
        return line.fd();
    }

    /** The line's reader thread, if it has one, wakes the port when bytes arrive. */
    @Override
    public boolean signalWith(Wakeup w) {
        return line.signalWith(w);
    }

    /**
     * Reads what the line has (up to one receive chunk) without blocking and delivers every packet it
     * completes. Call from the stack's thread.
     *
     * @return true if bytes were read (work was done), false if the line was idle or is down
     */
    public boolean poll() {
        if (down != null) {
            return false;
        }
        int n = line.read(rx, 0, rx.length);
        if (n < 0) {
            goDown(line.downReason() != null ? line.downReason() : "line down");
            return false;
        }
        if (n == 0) {
            return false;
        }
        codec.decode(rx, 0, n);
        return true;
    }

    @Override
    public int output(Pbuf p) {
        if (down != null) {
            drop(Drop.LINK_DOWN);
            return Err.IF;
        }
        int n = codec.encode(p, tx, 0);
        if (n < 0) {
            drop(Drop.LINK_OVERSIZE);
            return Err.BUF;
        }
        try {
            line.write(tx, 0, n);
            return Err.OK;
        } catch (IOException e) {
            writeErrors++;
            drop(Drop.LINK_IO_ERROR);
            if (line.downReason() != null) {
                goDown(line.downReason());
            }
            return Err.IF;
        }
    }

    private void goDown(String why) {
        down = why;
        if (upper != null) {
            upper.linkDown(why);
        }
    }

    private void drop(int reason) {
        if (upper != null) {
            upper.drop(reason);
        }
    }

    /** True until the line went down or the link was closed. */
    public boolean isUp() {
        return down == null;
    }

    /** Why the link is down, or null. */
    public String downReason() {
        return down;
    }

    /** The framing codec and its counters. */
    public SlipCodec codec() {
        return codec;
    }

    /** The line under this link. */
    public SlipLine line() {
        return line;
    }

    /** Writes that failed. */
    public long writeErrors() {
        return writeErrors;
    }

    @Override
    public void close() {
        line.close();
        if (down == null) {
            down = "closed";
        }
    }

    @Override
    public String toString() {
        return codec.dump(new StringBuilder("SlipLink ")).append(" writeErrors=").append(writeErrors)
                .append(down != null ? " down: " + down : " up").toString();
    }
}
