package io.jwip.examples;

import io.jwip.Err;
import io.jwip.JwipOptions;
import io.jwip.stack.Stack;
import io.jwip.buf.Pbuf;
import io.jwip.buf.PbufPool;
import io.jwip.netif.Netif;
import io.jwip.netif.mem.Faults;
import io.jwip.netif.mem.InMemoryLink;
import io.jwip.tcp.Tcp;
import io.jwip.tcp.TcpAccept;
import io.jwip.tcp.TcpConnected;
import io.jwip.tcp.TcpErr;
import io.jwip.tcp.TcpPcb;
import io.jwip.tcp.TcpRecv;
import io.jwip.tcp.TcpSent;
import io.jwip.wire.Ip4Addr;

import java.lang.management.ManagementFactory;

/**
 * A bulk TCP transfer between two stacks in one JVM over the in-memory wire (optionally faulty), run on
 * the calling thread with a virtual protocol clock: deterministic for a given seed, and as fast as the
 * machine allows. Every received byte is checked against the sender's pattern. Used by {@code transfer}
 * and by the benchmarks.
 */
public final class BulkTransfer {
    /** The byte stream's pattern repeats with a prime period, so no segment boundary lines up with it. */
    static final int PERIOD = 65521;
    static final byte[] PATTERN = new byte[PERIOD + 65536];
    /** Allocation is measured in this many windows of equal byte counts after warm-up. */
    public static final int WINDOWS = 10;

    static {
        long x = 0x9E3779B97F4A7C15L;
        for (int i = 0; i < PERIOD; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            PATTERN[i] = (byte) x;
        }
        // Forward, byte by byte: the extension (64 KiB) is longer than the period, so it repeats bytes it has
        // just written (an arraycopy would copy the 15 bytes past PERIOD as they were before, zeros).
        for (int i = PERIOD; i < PATTERN.length; i++) {
            PATTERN[i] = PATTERN[i - PERIOD];
        }
    }

    /** What a run measured. */
    public static final class Result {
        public long bytes;
        public long received;
        public boolean verified;
        public long mismatchAt = -1;
        public double seconds;
        public long segmentsSent;
        public long segmentsReceived;
        public long retransmissions;
        public long allocatedBytes;
        public long measuredSegments;
        /** Bytes allocated in each of the measurement windows after warm-up. */
        public long[] windowBytes = new long[WINDOWS];
        /** Segments (both directions) in each window. */
        public long[] windowSegments = new long[WINDOWS];
        public long virtualMs;
        /** Virtual time when the last byte arrived (virtualMs also counts the close and TIME_WAIT). */
        public long dataVirtualMs = -1;
        public boolean poolsFull;
        public String error;

        public double mbPerSecond() {
            return seconds == 0 ? 0 : bytes / 1e6 / seconds;
        }

        public double allocPerSegment() {
            return measuredSegments == 0 ? 0 : (double) allocatedBytes / measuredSegments;
        }

        /**
         * Bytes per segment in the median window: a real per-segment allocation shows in every window,
         * a one-off (a class's first compilation) in one.
         */
        public double medianWindowPerSegment() {
            double[] per = new double[WINDOWS];
            for (int i = 0; i < WINDOWS; i++) {
                per[i] = windowSegments[i] == 0 ? 0 : (double) windowBytes[i] / windowSegments[i];
            }
            java.util.Arrays.sort(per);
            return per[WINDOWS / 2];
        }
    }

    /** Told of progress about once a second of wall time. */
    public interface Progress {
        void update(long received, long total, double seconds);
    }

    private final Stack a;
    private final Stack b;
    private final Tcp ta;
    private final Tcp tb;
    private final InMemoryLink wire;
    private final Netif na;
    private final Netif nb;
    private long now;

    // sender (stack a)
    private TcpPcb sender;
    private long sent;
    private long total;
    private boolean senderClosed;
    // receiver (stack b)
    private TcpPcb receiver;
    private long received;
    private boolean receiverDone;
    private long mismatchAt = -1;
    private int error = Err.OK;

    /**
     * @param o      options for both stacks (mss, wnd, snd-buf...)
     * @param faults faults on the wire (both directions), or null
     */
    public BulkTransfer(JwipOptions o, Faults faults) {
        io.jwip.port.WideChecksum.install();
        int mtu = Math.max(576, Math.min(65535, o.tcpMss + 40));
        if (o.pbufSize < mtu + o.linkHeadroom + 64) {
            o.pbufSize = Math.max(o.pbufSize, Math.min(65535, mtu + 64));
        }
        a = new Stack(o);
        b = new Stack(o);
        ta = Tcp.install(a);
        tb = Tcp.install(b);
        ta.setIsnSecret(1, 2);
        tb.setIsnSecret(3, 4);
        wire = new InMemoryLink(Math.max(64, o.pbufs), mtu);
        if (faults != null && !faults.isNone()) {
            wire.setFaults(faults);
        } else {
            // One copy per frame, straight into the receiver's buffer. Not with faults: delayed frames would
            // hold the receiver's buffers, which its own ACKs need.
            wire.setDirect(true);
        }
        na = new Netif("mem0", mtu, wire.a()).configure(Ip4Addr.of(10, 0, 0, 1), Ip4Addr.maskOf(24), 0);
        nb = new Netif("mem0", mtu, wire.b()).configure(Ip4Addr.of(10, 0, 0, 2), Ip4Addr.maskOf(24), 0);
        a.addNetif(na);
        b.addNetif(nb);
    }

    /**
     * Whether the stacks compute and verify checksums on the wire (default true). The wire is memory copied
     * inside one JVM, which nothing corrupts (Linux's loopback skips checksums for the same reason), so
     * {@code transfer} skips them by default ({@link Netif#setChecksumOffload}).
     */
    public BulkTransfer checksums(boolean compute) {
        int rx = compute ? 0 : Netif.CSUM_ALL;
        int tx = compute ? 0 : Netif.CSUM_TCP | Netif.CSUM_UDP;
        na.setChecksumOffload(rx, tx);
        nb.setChecksumOffload(rx, tx);
        return this;
    }

    /**
     * The options of a bulk run ({@code transfer}'s and the benchmarks'): 256 buffers and segment
     * descriptors, 64 KiB windows and send buffer; everything else as {@link JwipOptions}' defaults.
     */
    public static JwipOptions defaults() {
        JwipOptions o = new JwipOptions();
        o.pbufs = 256;
        o.tcpSegs = 256;
        o.tcpWnd = 65535;
        o.tcpSndBuf = 65535;
        o.tcpOooMaxBytes = 65535;
        o.tcpOooMaxSegs = 64;
        return o;
    }

    public Stack sender() { return a; }
    public Stack receiver() { return b; }

    private final TcpSent onSent = new TcpSent() {
        @Override
        public void sent(TcpPcb p, int len) {
            fill();
        }
    };

    private final TcpConnected onConnected = new TcpConnected() {
        @Override
        public void connected(TcpPcb p) {
            fill();
        }
    };

    private final TcpErr onErr = new TcpErr() {
        @Override
        public void err(Object arg, int e) {
            error = e;
            sender = null;
            senderClosed = true;
        }
    };

    private final TcpErr onRecvErr = new TcpErr() {
        @Override
        public void err(Object arg, int e) {
            error = e;
            receiver = null;
            receiverDone = true;
        }
    };

    private final TcpRecv onRecv = new TcpRecv() {
        @Override
        public void recv(TcpPcb p, Pbuf data) {
            if (data == null) {
                receiverDone = true;
                tb.close(p);
                receiver = null;
                return;
            }
            int n = data.totalLength();
            for (Pbuf q = data; q != null; q = q.next()) {
                verify(q.buf, q.offset(), q.length());
            }
            tb.recved(p, n);
            PbufPool.free(data);
        }
    };

    private final TcpAccept onAccept = new TcpAccept() {
        @Override
        public int accept(TcpPcb l, TcpPcb pcb) {
            receiver = pcb;
            tb.recv(pcb, onRecv);
            tb.err(pcb, onRecvErr);
            return Err.OK;
        }
    };

    private void verify(byte[] buf, int off, int len) {
        // PATTERN repeats its first 64 KiB past PERIOD, so any run of up to 64 KiB from any position is
        // one slice of it: a vectorised Arrays.mismatch does the byte-exact check (a byte loop here cost as
        // much as the whole stack did).
        int done = 0;
        while (done < len && mismatchAt < 0) {
            int pos = (int) ((received + done) % PERIOD);
            int n = Math.min(len - done, 65536);
            int m = java.util.Arrays.mismatch(buf, off + done, off + done + n, PATTERN, pos, pos + n);
            if (m >= 0) {
                mismatchAt = received + done + m;
            }
            done += n;
        }
        received += len;
    }

    private void fill() {
        TcpPcb p = sender;
        if (p == null || senderClosed) {
            return;
        }
        while (sent < total) {
            int room = ta.sndBuf(p);
            if (room <= 0) {
                break;
            }
            int pos = (int) (sent % PERIOD);
            long n = Math.min(Math.min(room, total - sent), 65536);
            if (ta.write(p, PATTERN, pos, (int) n) != Err.OK) {
                break;
            }
            sent += n;
        }
        ta.output(p);
        if (sent == total && !senderClosed) {
            senderClosed = true;
            if (ta.close(p) != Err.OK) {
                ta.abort(p);
            }
            sender = null;
        }
    }

    /** Runs a transfer of {@code bytes}; measures allocation after {@code warmupBytes}. */
    public Result run(long bytes, long warmupBytes, Progress progress) {
        Result r = new Result();
        r.bytes = bytes;
        total = bytes;
        TcpPcb l = tb.newListener();
        tb.bind(l, 0, 9);
        tb.listen(l, 1);
        tb.accept(l, onAccept);
        sender = ta.newPcb();
        ta.sent(sender, onSent);
        ta.err(sender, onErr);
        int e = ta.connect(sender, Ip4Addr.of(10, 0, 0, 2), 9, onConnected);
        if (e != Err.OK) {
            r.error = "connect: " + Err.text(e);
            return r;
        }
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        mx.getCurrentThreadAllocatedBytes();
        long allocStart = -1;
        long segStart = 0;
        long start = System.nanoTime();
        long nextProgress = start + 1_000_000_000L;
        int idleRounds = 0;
        long loops = 0;
        int window = 0;
        while (true) {
            int moved = wire.pump(now);
            long da = a.timers(now);
            long db = b.timers(now);
            if (r.dataVirtualMs < 0 && received >= total) {
                r.dataVirtualMs = now;
            }
            if (allocStart < 0 && received >= warmupBytes) {
                allocStart = mx.getCurrentThreadAllocatedBytes();
                segStart = a.stats().tcp.xmit + b.stats().tcp.xmit;
            }
            if (allocStart >= 0 && window < WINDOWS && received >= warmupBytes + (total - warmupBytes) * (window + 1) / WINDOWS) {
                // Windows end with the last data byte: what follows (close, TIME_WAIT) is not bulk.
                long nowAlloc = mx.getCurrentThreadAllocatedBytes();
                long seg = a.stats().tcp.xmit + b.stats().tcp.xmit;
                r.windowBytes[window] = nowAlloc - allocStart;
                r.windowSegments[window] = seg - segStart;
                r.allocatedBytes += nowAlloc - allocStart;
                r.measuredSegments += seg - segStart;
                allocStart = nowAlloc;
                segStart = seg;
                window++;
            }
            if (progress != null && (++loops & 1023) == 0) {
                long t = System.nanoTime();
                if (t >= nextProgress) {
                    nextProgress = t + 1_000_000_000L;
                    // The caller's progress line (formatting, printing) allocates; that is not the transfer's,
                    // so it is left out of the measurement.
                    long before = allocStart >= 0 ? mx.getCurrentThreadAllocatedBytes() : 0;
                    progress.update(received, total, (t - start) / 1e9);
                    if (allocStart >= 0) {
                        allocStart += mx.getCurrentThreadAllocatedBytes() - before;
                    }
                }
            }
            if (receiverDone && senderClosed && ta.stats().timeWaitCount() == 0 && tb.stats().timeWaitCount() == 0
                    && openConnections() == 0 && wire.idle()) {
                break;
            }
            if (moved == 0) {
                long next = Math.min(wire.nextDeadline(), Math.min(da, db));
                if (next == Stack.NO_DEADLINE || next <= now) {
                    if (++idleRounds > 1000) {
                        r.error = "transfer stalled at " + received + " of " + total + " bytes";
                        break;
                    }
                } else {
                    idleRounds = 0;
                    now = next;
                }
            }
        }
        r.seconds = (System.nanoTime() - start) / 1e9;
        tb.close(l);
        a.timers(now);
        b.timers(now);
        r.received = received;
        r.mismatchAt = mismatchAt;
        r.verified = mismatchAt < 0 && received == total && error == Err.OK;
        if (error != Err.OK && r.error == null) {
            r.error = "connection failed: " + Err.text(error);
        }
        r.segmentsSent = a.stats().tcp.xmit;
        r.segmentsReceived = b.stats().tcp.recv;
        r.retransmissions = ta.stats().retransmits() + tb.stats().retransmits();
        r.virtualMs = now;
        r.poolsFull = a.stats().allPoolsFull() && b.stats().allPoolsFull();
        return r;
    }

    private int openConnections() {
        int n = 0;
        for (int s = io.jwip.tcp.TcpState.SYN_SENT; s <= io.jwip.tcp.TcpState.LAST_ACK; s++) {
            n += ta.stats().count(s) + tb.stats().count(s);
        }
        return n;
    }
}
