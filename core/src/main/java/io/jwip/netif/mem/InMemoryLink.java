package io.jwip.netif.mem;

import io.jwip.stack.Stack;
import io.jwip.buf.Pbuf;
import io.jwip.netif.Link;
import io.jwip.netif.LinkUpper;
import io.jwip.netif.Pollable;
import io.jwip.netif.Readiness;
import io.jwip.netif.Wakeup;

/**
 * A wire joining two stacks in one JVM: two {@link End}s, each the {@link Link} of a netif on a different
 * stack. What one end sends, the other receives, when the owner of the wire says so.
 *
 * <pre>
 *   stack A                                           stack B
 *   Netif --output--&gt; End a --[ FrameQueue a-&gt;b ]--&gt; End b --input--&gt; Netif
 *   Netif &lt;--input--- End a &lt;--[ FrameQueue b-&gt;a ]-- End b &lt;--output- Netif
 * </pre>
 *
 * <h2>Delivery is explicit</h2>
 * {@code output} only copies the packet into a slot of the direction's fixed ring ({@link FrameQueue}) and
 * returns; nothing is delivered from inside {@code output}, so a reply can never recurse into the sender.
 * {@link #pump()} delivers: first everything due from a to b, then everything due from b to a (so a request
 * and its reply cross in one call). Each direction delivers only frames queued when its turn began.
 *
 * <h2>Time and faults</h2>
 * The wire has a virtual clock ({@link #now()}), moved only by {@link #pump(long)} or {@link #advanceTo}. A
 * frame is delivered when {@code now >= due}; without faults it is due when sent. With {@link Faults} a
 * frame can be lost, duplicated, held back or delayed, all drawn from seeded generators, so the same seed
 * and the same calls give the same run. {@link #nextDeadline()} tells a test loop when the next frame is
 * due, so it can advance its clock straight there (together with the stacks' {@code timers}).
 *
 * <h2>Memory</h2>
 * Each direction owns {@code capacity} frames of {@code maxFrame} bytes, made here; afterwards nothing
 * allocates. A full ring refuses the packet with {@code Err.MEM} (counted in {@link FrameQueue#queueFull()}).
 * Received frames are copied into buffers the receiving netif allocates ({@link LinkUpper#allocInput}).
 *
 * <h2>In a port</h2>
 * A port that owns both stacks on one thread (a poll loop, a stack thread) polls {@link #pumpedByPort()}:
 * each poll pumps, and each frame queued wakes the port's loop, so the loop never sleeps on a frame in
 * flight (a retransmission queued by a timer included). Delays and held-back frames need the virtual clock
 * ({@link #pump(long)}); a port's pump delivers what is due at the wire's own time.
 *
 * <p>Not thread-safe: the thread that owns both stacks drives the wire.
 */
public final class InMemoryLink {
    /** Returned by {@link #nextDeadline()} when nothing is in flight (same value as {@code Stack.NO_DEADLINE}). */
    public static final long NO_DEADLINE = Long.MAX_VALUE;

    /** Mixed into the seed for the b-to-a direction so the two directions draw different sequences. */
    private static final long REVERSE_SEED_SALT = 0x5deece66dL;

    /** One end of the wire: the {@link Link} to give a netif. */
    public final class End implements Link {
        private final String name;
        /** Frames this end sends. */
        private final FrameQueue tx;
        /** Frames this end receives. */
        private final FrameQueue rx;
        private LinkUpper upper;

        End(String name, FrameQueue tx, FrameQueue rx) {
            this.name = name;
            this.tx = tx;
            this.rx = rx;
        }

        @Override
        public void attach(LinkUpper upper) {
            this.upper = upper;
            rx.receiver = upper;
        }

        /**
         * Queues a copy of {@code p} for the other end. Uses {@code p}.
         *
         * @return {@code Err.OK}, {@code Err.MEM} when the ring is full, {@code Err.BUF} when {@code p} is
         *         larger than {@code maxFrame}
         */
        @Override
        public int output(Pbuf p) {
            int err = tx.enqueue(p, now);
            if (wakeup != null) {
                wakeup.wake();
            }
            return err;
        }

        /** The direction this end sends on, with its counters. */
        public FrameQueue tx() { return tx; }
        /** The direction this end receives from, with its counters. */
        public FrameQueue rx() { return rx; }
        /** What received frames are handed to, or null before a netif is made on this end. */
        public LinkUpper upper() { return upper; }
        /** The wire this end belongs to. */
        public InMemoryLink wire() { return InMemoryLink.this; }

        @Override
        public String toString() {
            return name;
        }
    }

    private final FrameQueue aToB;
    private final FrameQueue bToA;
    private final End a;
    private final End b;
    private long now;
    /** Told of every frame queued, when a port drives the wire; else null. */
    private Wakeup wakeup;
    private final Pumper pumper = new Pumper();

    /** The wire as a port's source: {@code poll} pumps; the wire signals each frame queued. */
    private final class Pumper implements Pollable, Readiness {
        @Override
        public boolean poll() {
            return pump() > 0;
        }

        @Override
        public int fd() {
            return NO_FD;
        }

        @Override
        public boolean signalWith(Wakeup w) {
            wakeup = w;
            return true;
        }
    }

    /**
     * @param capacity frames each direction can hold in flight
     * @param maxFrame largest packet in bytes (at least the MTU of the netifs on it)
     */
    public InMemoryLink(int capacity, int maxFrame) {
        this.aToB = new FrameQueue("a to b", capacity, maxFrame);
        this.bToA = new FrameQueue("b to a", capacity, maxFrame);
        this.a = new End("a", aToB, bToA);
        this.b = new End("b", bToA, aToB);
    }

    /** The end for the first stack. */
    public End a() { return a; }
    /** The end for the second stack. */
    public End b() { return b; }

    /** This wire as a source for a port that owns both stacks (see the class comment). */
    public Pollable pumpedByPort() {
        return pumper;
    }

    /**
     * Direct mode for both directions: each frame is copied once, at {@code output}, straight into a buffer
     * of the receiving stack's pool, which it holds while in flight (see {@link FrameQueue}). What
     * {@code transfer} runs; the default (off) keeps frames in the wire's own slots, so a stack's pool is
     * full whenever its own work is done, whatever is in flight.
     */
    public InMemoryLink setDirect(boolean on) {
        aToB.setDirect(on);
        bToA.setDirect(on);
        return this;
    }

    /** Sets the same faults for both directions (each with its own generator derived from the seed). */
    public InMemoryLink setFaults(Faults f) {
        return setFaults(f, f);
    }

    /**
     * Sets faults per direction. The values are copied.
     *
     * @throws IllegalArgumentException naming a bad value
     */
    public InMemoryLink setFaults(Faults aToBFaults, Faults bToAFaults) {
        String bad = aToBFaults.validate();
        if (bad == null) {
            bad = bToAFaults.validate();
        }
        if (bad != null) {
            throw new IllegalArgumentException(bad);
        }
        aToB.setFaults(aToBFaults, aToBFaults.seed);
        bToA.setFaults(bToAFaults, bToAFaults.seed ^ REVERSE_SEED_SALT);
        return this;
    }

    /** The wire's virtual time in milliseconds. */
    public long now() { return now; }

    /** Moves the virtual clock forward (never back) without delivering. */
    public void advanceTo(long t) {
        if (t > now) {
            now = t;
        }
    }

    /**
     * Delivers what is due at the current virtual time: a to b first, then b to a.
     *
     * @return frames delivered
     */
    public int pump() {
        int n = aToB.deliver(now);
        n += bToA.deliver(now);
        return n;
    }

    /** Advances the clock to {@code t} (if later), then {@link #pump()}s. */
    public int pump(long t) {
        advanceTo(t);
        return pump();
    }

    /**
     * Pumps until nothing due is left in flight (replies to replies included), at most {@code maxRounds}
     * times, without moving the clock.
     *
     * @return frames delivered
     */
    public int pumpUntilIdle(int maxRounds) {
        int total = 0;
        for (int i = 0; i < maxRounds; i++) {
            int n = pump();
            if (n == 0 && aToB.nextDeadline() > now && bToA.nextDeadline() > now) {
                break;
            }
            total += n;
        }
        return total;
    }

    /**
     * Drives the two stacks at this wire's ends and the wire itself on the wire's virtual clock until
     * {@code until} (ms): timers run when due, frames are delivered when due, and the clock jumps to the
     * next deadline of either. Deterministic; for tests and simulations on one thread.
     *
     * @throws IllegalStateException if the clock cannot advance (a timer due again and again at once)
     */
    public void runUntil(long until, Stack a, Stack b) {
        long t = now;
        for (int guard = 0; guard < 1_000_000; guard++) {
            long due = Math.min(a.timers(t), b.timers(t));
            pumpUntilIdle(64);
            long next = Math.min(due, nextDeadline());
            if (next <= t) {
                continue;
            }
            if (next > until) {
                advanceTo(until);
                a.timers(until);
                b.timers(until);
                pumpUntilIdle(64);
                return;
            }
            t = next;
            advanceTo(t);
        }
        throw new IllegalStateException("virtual clock stuck at " + t);
    }

    /** When the next frame in flight is due, or {@link #NO_DEADLINE}. */
    public long nextDeadline() {
        long x = aToB.nextDeadline();
        long y = bToA.nextDeadline();
        return x < y ? x : y;
    }

    /** True when no frame is in flight in either direction. */
    public boolean idle() {
        return aToB.inFlight() == 0 && bToA.inFlight() == 0;
    }

    /** Drops every frame in flight. */
    public void clear() {
        aToB.clear();
        bToA.clear();
    }

    @Override
    public String toString() {
        return "InMemoryLink{now=" + now + ", " + aToB + "; " + bToA + "}";
    }
}
