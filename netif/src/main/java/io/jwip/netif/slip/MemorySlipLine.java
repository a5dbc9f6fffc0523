package io.jwip.netif.slip;

import io.jwip.netif.Wakeup;

/**
 * An in-memory serial line: {@link #pair(int)} makes two ends joined crosswise by byte rings, so two
 * stacks in one JVM can talk SLIP to each other exactly as over a null-modem cable (the demo does). Like
 * a UART with a full FIFO, a write that does not fit is cut and the lost bytes are counted; SLIP then
 * drops the damaged frame and TCP retransmits. Each write wakes the other end's port (if one listens),
 * so a loop that owns both ends never sleeps on bytes in a ring. Nothing allocates after the pair is made.
 */
public final class MemorySlipLine implements SlipLine {
    private final ByteRing in;
    private ByteRing out;
    private MemorySlipLine peer;
    private Wakeup wakeup;
    private long overrun;
    private boolean closed;

    private MemorySlipLine(ByteRing in) {
        this.in = in;
    }

    /** Two joined ends, each direction buffering {@code capacity} bytes. */
    public static MemorySlipLine[] pair(int capacity) {
        MemorySlipLine a = new MemorySlipLine(new ByteRing(capacity));
        MemorySlipLine b = new MemorySlipLine(new ByteRing(capacity));
        a.out = b.in;
        b.out = a.in;
        a.peer = b;
        b.peer = a;
        return new MemorySlipLine[]{a, b};
    }

    @Override
    public int read(byte[] b, int off, int n) {
        if (closed) {
            return -1;
        }
        return in.take(b, off, n);
    }

    @Override
    public void write(byte[] b, int off, int n) {
        if (closed) {
            return;
        }
        int put = out.put(b, off, n);
        overrun += n - put;
        Wakeup w = peer.wakeup;
        if (w != null && put > 0) {
            w.wake();
        }
    }

    @Override
    public boolean signalWith(Wakeup w) {
        wakeup = w;
        return true;
    }

    /** Bytes lost because the other end had not read enough yet. */
    public long overrun() {
        return overrun;
    }

    @Override
    public String downReason() {
        return closed ? "closed" : null;
    }

    @Override
    public void close() {
        closed = true;
    }
}
