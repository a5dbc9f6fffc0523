package io.jwip.netif.slip;

import io.jwip.netif.Wakeup;
import io.jwip.netif.LinkException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.locks.LockSupport;

/**
 * A SLIP line over an {@link InputStream}/{@link OutputStream} pair, e.g. a TCP connection to a host-side
 * serial bridge ({@code slip-tcp:HOST:PORT}) or a socat-exposed serial line.
 *
 * <p>An {@code InputStream} has no reliable non-blocking read and reports EOF only to a read, so a daemon
 * reader thread blocks in {@code read} into its own scratch array and hands the bytes to the stack thread
 * through a preallocated {@link ByteRing}, then wakes the port ({@link #signalWith}), so the stack thread
 * runs at once instead of on a tick. When the ring is full the reader waits (the line is
 * back-pressured; nothing is dropped here). EOF or an I/O error marks the line down once the ring is
 * drained. Writes happen on the stack thread, straight into the {@code OutputStream}; a peer that stops
 * reading eventually blocks the stack thread there (TCP flow control), as a serial line with hardware
 * flow control would.
 */
public final class StreamLine implements SlipLine {
    private final InputStream in;
    private final OutputStream out;
    private final AutoCloseable resource;
    private final ByteRing ring;
    private final Thread reader;
    /** Set by the reader thread when the stream ended; read by the stack thread. */
    private volatile String down;
    private volatile boolean closed;
    /** The port's wake-up, set once the line's link is added to a loop; else null. */
    private volatile Wakeup wakeup;

    /**
     * @param resource  closed with the line (the socket), or null to close the two streams
     * @param ringBytes capacity of the hand-over ring
     */
    public StreamLine(InputStream in, OutputStream out, AutoCloseable resource, int ringBytes, String name) {
        this.in = in;
        this.out = out;
        this.resource = resource;
        this.ring = new ByteRing(ringBytes);
        this.reader = new Thread(this::readLoop, "slip-reader-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /** Connects to {@code host:port} (a TCP-exposed serial line) with TCP_NODELAY. */
    public static StreamLine connect(String host, int port, int timeoutMs) throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(host, port), timeoutMs);
            return new StreamLine(s.getInputStream(), s.getOutputStream(), s, 64 * 1024,
                    host + ":" + port);
        } catch (java.net.UnknownHostException e) {
            s.close();
            throw new LinkException(LinkException.Reason.NOT_FOUND, "slip-tcp " + host + ":" + port
                    + ": unknown host " + host, e);
        } catch (java.net.SocketTimeoutException e) {
            s.close();
            throw new LinkException(LinkException.Reason.REFUSED, "slip-tcp " + host + ":" + port
                    + ": no answer within " + timeoutMs + " ms (is the host up?)", e);
        } catch (java.net.ConnectException e) {
            s.close();
            throw new LinkException(LinkException.Reason.REFUSED, "slip-tcp " + host + ":" + port
                    + ": connection refused (is a SLIP server listening there?)", e);
        } catch (IOException e) {
            s.close();
            throw new LinkException(LinkException.Reason.FAILED, "slip-tcp " + host + ":" + port + ": "
                    + e.getMessage(), e);
        }
    }

    private void readLoop() {
        byte[] scratch = new byte[4096];
        try {
            while (!closed) {
                int n = in.read(scratch, 0, scratch.length);
                if (n < 0) {
                    down = "end of stream (peer closed)";
                    wake();
                    return;
                }
                int done = 0;
                while (done < n && !closed) {
                    int k = ring.put(scratch, done, n - done);
                    done += k;
                    wake();
                    if (k == 0) {
                        LockSupport.parkNanos(200_000L); // stack thread is behind: wait, do not drop
                    }
                }
            }
        } catch (IOException e) {
            down = closed ? "closed" : "read error: " + e.getMessage();
            wake();
        }
    }

    private void wake() {
        Wakeup w = wakeup;
        if (w != null) {
            w.wake();
        }
    }

    @Override
    public boolean signalWith(Wakeup w) {
        wakeup = w;
        if (ring.size() > 0 || down != null) {
            w.wake(); // bytes (or the end) came before the port listened
        }
        return true;
    }

    @Override
    public int read(byte[] b, int off, int n) {
        int k = ring.take(b, off, n);
        if (k == 0 && down != null && ring.size() == 0) {
            return -1;
        }
        return k;
    }

    @Override
    public void write(byte[] b, int off, int n) throws IOException {
        out.write(b, off, n);
        out.flush();
    }

    @Override
    public String downReason() {
        return ring.size() == 0 ? down : null;
    }

    /** Bytes waiting in the hand-over ring. */
    public int buffered() {
        return ring.size();
    }

    @Override
    public void close() {
        closed = true;
        try {
            if (resource != null) {
                resource.close();
            } else {
                in.close();
                out.close();
            }
        } catch (Exception e) {
            // closing anyway
        }
        reader.interrupt();
    }
}
