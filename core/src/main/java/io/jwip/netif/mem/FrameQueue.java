package io.jwip.netif.mem;

import io.jwip.Err;
import io.jwip.buf.Pbuf;
import io.jwip.buf.PbufPool;
import io.jwip.netif.LinkUpper;

/**
 * One direction of an {@link InMemoryLink}: the frames in flight from one end to the other, in a fixed
 * set of {@code byte[]} slots made at construction, ordered by delivery time.
 *
 * <pre>
 *   slots:  frame[0..capacity-1]  each byte[maxFrame], with len[], due[], seq[] per slot
 *   order:  circular list of slot numbers, sorted by due; FIFO among equal due
 *           order[head], order[head+1], ... order[head+count-1]   (indices mod capacity)
 *   free:   stack of unused slot numbers, free[0..freeCount-1]
 * </pre>
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>Every slot is either in {@code order} or in {@code free}: {@code count + freeCount == capacity}.</li>
 *   <li>A queued frame holds no pbuf: its bytes were copied into the slot by {@link #enqueue}, so frames in
 *       flight never keep a stack's pool from being full. In <b>direct</b> mode ({@link #setDirect}) it is the
 *       other way round: the frame is copied once, at {@code enqueue}, straight into a buffer of the
 *       receiver's pool (as a NIC writes into its receive ring), and that buffer waits in
 *       {@code held[slot]} until delivered: one copy instead of two, and frames in flight hold the
 *       receiver's buffers.</li>
 *   <li>{@code due} along {@code order} never decreases; a frame enqueued with the same due as others goes
 *       after them, so a wire without faults is FIFO.</li>
 *   <li>{@code seq} is the send number of a frame (a duplicate shares its original's), so a frame delivered
 *       with a seq lower than one already delivered was overtaken: that is what {@link #reordered()}
 *       counts.</li>
 * </ul>
 * Nothing here allocates after construction.
 */
public final class FrameQueue {
    private final String name;
    private final int maxFrame;
    private final byte[][] frame;
    /** Direct mode: the receiver's buffer each slot holds, else null. */
    private final Pbuf[] held;
    private boolean direct;
    private final int[] len;
    private final long[] due;
    private final long[] seq;
    private final int[] order;
    private int head;
    private int count;
    private final int[] free;
    private int freeCount;
    /** Send number of the next frame accepted. */
    private long nextSeq;
    /** Highest send number delivered so far, -1 before the first. */
    private long maxDeliveredSeq = -1;

    /** Where delivered frames go: the receiving end's upper layer, set when that end is attached. */
    LinkUpper receiver;

    // Fault settings, copied from a Faults object (see there for their meaning).
    private final SplitMix64 rng = new SplitMix64(0);
    private boolean faulty;
    private double loss;
    private double duplicate;
    private double reorder;
    private long reorderDelayMs;
    private long delayMs;
    private int jitterMs;

    // Counters.
    private long accepted;
    private long delivered;
    private long deliveredBytes;
    private long lost;
    private long duplicated;
    private long heldBack;
    private long reordered;
    private long queueFull;
    private long tooBig;
    private long noBuffer;
    private long noReceiver;

    FrameQueue(String name, int capacity, int maxFrame) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1 (is " + capacity + ")");
        }
        if (maxFrame < 20) {
            throw new IllegalArgumentException("maxFrame must hold an IPv4 header (is " + maxFrame + ")");
        }
        this.name = name;
        this.maxFrame = maxFrame;
        this.frame = new byte[capacity][maxFrame];
        this.held = new Pbuf[capacity];
        this.len = new int[capacity];
        this.due = new long[capacity];
        this.seq = new long[capacity];
        this.order = new int[capacity];
        this.free = new int[capacity];
        for (int i = 0; i < capacity; i++) {
            free[i] = capacity - 1 - i;
        }
        this.freeCount = capacity;
    }

    /** Direct mode (see the class comment); only while nothing is in flight. */
    void setDirect(boolean on) {
        if (count > 0) {
            throw new IllegalStateException("frames in flight");
        }
        direct = on;
    }

    /** Installs fault settings; the direction's random sequence restarts from {@code seed}. */
    void setFaults(Faults f, long seed) {
        rng.reseed(seed);
        faulty = !f.isNone();
        loss = f.loss;
        duplicate = f.duplicate;
        reorder = f.reorder;
        reorderDelayMs = f.reorderDelayMs;
        delayMs = f.delayMs;
        jitterMs = (int) f.jitterMs;
    }

    /**
     * Copies {@code p} into a free slot, due at {@code now} plus whatever the faults add. Uses {@code p}.
     *
     * @return {@link Err#OK} (also when the faults lose the frame), {@link Err#MEM} when every slot is in
     *         flight, {@link Err#BUF} when the packet is larger than a slot
     */
    int enqueue(Pbuf p, long now) {
        int n = p.totalLength();
        if (n > maxFrame) {
            tooBig++;
            return Err.BUF;
        }
        if (freeCount == 0) {
            queueFull++;
            return Err.MEM;
        }
        long s = nextSeq++;
        accepted++;
        long when = now;
        if (faulty) {
            if (rng.chance(loss)) {
                lost++;
                return Err.OK;
            }
            when += delayMs;
            if (jitterMs > 0) {
                when += rng.nextInt(jitterMs + 1);
            }
            if (rng.chance(reorder)) {
                when += reorderDelayMs;
                heldBack++;
            }
        }
        if (direct) {
            return enqueueDirect(p, n, when, s);
        }
        int slot = free[--freeCount];
        p.copyOut(0, frame[slot], 0, n);
        insert(slot, n, when, s);
        if (faulty && rng.chance(duplicate) && freeCount > 0) {
            int dup = free[--freeCount];
            System.arraycopy(frame[slot], 0, frame[dup], 0, n);
            insert(dup, n, when, s);
            duplicated++;
        }
        return Err.OK;
    }

    /** Direct mode: copies {@code p} into a buffer of the receiver's pool, which waits in the slot. */
    private int enqueueDirect(Pbuf p, int n, long when, long s) {
        int copies = faulty && rng.chance(duplicate) && freeCount > 1 ? 2 : 1;
        for (int c = 0; c < copies; c++) {
            LinkUpper up = receiver;
            if (up == null) {
                noReceiver++;
                return Err.OK;
            }
            Pbuf q = up.allocInput(n);
            if (q == null) {
                noBuffer++; // the receiver counted it: no buffer for a received frame
                return Err.OK;
            }
            q.copyFrom(p, 0, 0, n);
            int slot = free[--freeCount];
            held[slot] = q;
            insert(slot, n, when, s);
            if (c == 1) {
                duplicated++;
            }
        }
        return Err.OK;
    }

    /** Puts a filled slot into {@code order} after every frame due at or before {@code when}. */
    private void insert(int slot, int n, long when, long s) {
        len[slot] = n;
        due[slot] = when;
        seq[slot] = s;
        int cap = order.length;
        int i = count;
        // Walk back from the tail past frames due later; usually none (no faults), so this is O(1).
        while (i > 0 && due[order[(head + i - 1) % cap]] > when) {
            order[(head + i) % cap] = order[(head + i - 1) % cap];
            i--;
        }
        order[(head + i) % cap] = slot;
        count++;
    }

    /**
     * Delivers the frames due at {@code now} that were queued before this call, oldest due first. Each is
     * copied into a buffer from the receiver's pool and handed to its {@code input}; anything the receiver
     * sends meanwhile is only queued, so nothing recurses.
     *
     * @return frames delivered
     */
    int deliver(long now) {
        long limit = nextSeq;
        int n = 0;
        int cap = order.length;
        while (count > 0) {
            int slot = order[head];
            if (due[slot] > now || seq[slot] >= limit) {
                break;
            }
            head = (head + 1) % cap;
            count--;
            int l = len[slot];
            long s = seq[slot];
            LinkUpper up = receiver;
            Pbuf q;
            if (direct) {
                q = held[slot];
                held[slot] = null;
            } else {
                q = up == null ? null : up.allocInput(l);
                if (q != null) {
                    q.copyIn(0, frame[slot], 0, l);
                }
            }
            // The bytes are out of the slot: free it before the upcall so a reply can use it.
            free[freeCount++] = slot;
            if (up == null) {
                noReceiver++;
                continue;
            }
            if (q == null) {
                noBuffer++;
                continue;
            }
            if (s < maxDeliveredSeq) {
                reordered++;
            } else {
                maxDeliveredSeq = s;
            }
            delivered++;
            deliveredBytes += l;
            n++;
            up.input(q);
        }
        return n;
    }

    /** Delivery time of the first frame in flight, or {@link Long#MAX_VALUE} when none is. */
    public long nextDeadline() {
        return count == 0 ? Long.MAX_VALUE : due[order[head]];
    }

    /** Discards every frame in flight (counted as nothing: they never happened). */
    void clear() {
        int cap = order.length;
        while (count > 0) {
            int slot = order[head];
            if (held[slot] != null) {
                PbufPool.free(held[slot]);
                held[slot] = null;
            }
            free[freeCount++] = slot;
            head = (head + 1) % cap;
            count--;
        }
    }

    /** A short name for messages, e.g. {@code "a to b"}. */
    public String name() { return name; }
    /** Frames in flight now. */
    public int inFlight() { return count; }
    /** Slots of this direction. */
    public int capacity() { return order.length; }
    /** Largest frame a slot holds. */
    public int maxFrame() { return maxFrame; }
    /** Frames taken by {@code output} (lost ones included, refused ones not). */
    public long accepted() { return accepted; }
    /** Frames handed to the receiver's {@code input} (duplicates included). */
    public long delivered() { return delivered; }
    /** Bytes handed to the receiver. */
    public long deliveredBytes() { return deliveredBytes; }
    /** Frames the faults lost. */
    public long lost() { return lost; }
    /** Extra copies the faults queued. */
    public long duplicated() { return duplicated; }
    /** Frames the faults held back to be overtaken. */
    public long heldBack() { return heldBack; }
    /** Frames delivered after a frame that was sent later. */
    public long reordered() { return reordered; }
    /** {@code output} calls refused because every slot was in flight ({@link Err#MEM}). */
    public long queueFull() { return queueFull; }
    /** {@code output} calls refused because the packet was larger than a slot ({@link Err#BUF}). */
    public long tooBig() { return tooBig; }
    /** Frames dropped at delivery because the receiver's pool was empty. */
    public long noBuffer() { return noBuffer; }
    /** Frames dropped at delivery because nothing was attached to the receiving end. */
    public long noReceiver() { return noReceiver; }

    @Override
    public String toString() {
        return name + ": accepted=" + accepted + " delivered=" + delivered + " lost=" + lost + " duplicated="
                + duplicated + " heldBack=" + heldBack + " reordered=" + reordered + " queueFull=" + queueFull
                + " tooBig=" + tooBig + " noBuffer=" + noBuffer + " inFlight=" + count;
    }
}
