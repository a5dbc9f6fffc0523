package io.jwip.port;

import io.jwip.netif.Batching;
import io.jwip.netif.Pollable;
import io.jwip.netif.Readiness;
import io.jwip.stack.Stack;

/**
 * The single-threaded port for bare constrained JVMs (lwIP's NO_SYS mode): one thread, no other threads
 * and no java.util.concurrent. Each turn it polls every registered {@link Pollable} (links, applications)
 * and runs the stacks' timers with the current time; a turn that found no work waits in its {@link Idler}
 * until the earliest deadline of the stacks and of the {@link Timed} sources, or until work comes.
 *
 * <h2>How it learns of work</h2>
 * A source that is a {@link Readiness} tells the loop how: its descriptor is {@link Idler#watch watched}
 * (TUN, a serial line: {@code poll(2)} returns when a packet is there), or it signals the idler's
 * {@link io.jwip.netif.Wakeup} itself (a SLIP reader thread, an in-memory wire, a mailbox of calls). Only
 * a source that can do neither is polled on a tick: then, and only then, the wait is capped by
 * {@link #setMaxIdleMs(long)} (1 ms by default). {@link #tickedSources()} says how many such sources there
 * are; with none, an idle loop sleeps until its next deadline and uses no CPU.
 *
 * <p>A source that is {@link Batching} (a TUN device with offload) is flushed at the end of every turn.
 *
 * <p>Several stacks may share one loop (e.g. a device and a gateway in one process); they all run on
 * the loop's thread. Allocation-free per turn.
 */
public final class PollLoop {
    private final Clock clock;
    private final Idler idler;
    private final Stack[] stacks;
    private final Pollable[] sources;
    private final Timed[] timed;
    private final Batching[] batching;
    private int batchingCount;
    private int stackCount;
    private int sourceCount;
    private int timedCount;
    private int ticked;
    private long maxIdleMs = 1;
    private volatile boolean stopped;
    private long turns;
    private long idles;

    /**
     * @param maxStacks  how many stacks may be added
     * @param maxSources how many pollables (and as many {@link Timed}s, plus 4) may be added
     */
    public PollLoop(Clock clock, Idler idler, int maxStacks, int maxSources) {
        this.clock = clock;
        this.idler = idler;
        this.stacks = new Stack[maxStacks];
        this.sources = new Pollable[maxSources];
        this.timed = new Timed[maxSources + 4];
        this.batching = new Batching[maxSources];
    }

    /** Adds a stack; its TCP's ISN secret is set from {@link java.security.SecureRandom} if unset. */
    public PollLoop addStack(Stack s) {
        stacks[stackCount++] = s;
        IsnKeys.ensure(s);
        s.timers(clock.nowMillis());
        return this;
    }

    /** True if {@code s} was added to this loop. */
    public boolean hasStack(Stack s) {
        for (int i = 0; i < stackCount; i++) {
            if (stacks[i] == s) {
                return true;
            }
        }
        return false;
    }

    /**
     * Adds a source, polled every turn, and registers how it announces work (see the class comment). A
     * source that is also {@link Timed} is added as one.
     */
    public PollLoop addSource(Pollable p) {
        sources[sourceCount++] = p;
        boolean known = false;
        if (p instanceof Readiness) {
            Readiness r = (Readiness) p;
            int fd = r.fd();
            known = fd >= 0 && idler.watch(fd) || r.signalWith(idler);
        }
        if (!known) {
            ticked++;
        }
        if (p instanceof Timed) {
            addTimed((Timed) p);
        }
        if (p instanceof Batching) {
            batching[batchingCount++] = (Batching) p;
        }
        return this;
    }

    /** Adds something with deadlines of its own (a service's timeouts, a stats printer). */
    public PollLoop addTimed(Timed t) {
        timed[timedCount++] = t;
        return this;
    }

    /**
     * Longest wait between turns when a source can announce no work ({@link #tickedSources()} &gt; 0;
     * default 1 ms). Without such sources the loop waits for its deadline or a wake, whatever this says.
     */
    public PollLoop setMaxIdleMs(long ms) {
        this.maxIdleMs = ms;
        return this;
    }

    /** Sources polled on the tick because they offer no readiness (0 on the default path). */
    public int tickedSources() {
        return ticked;
    }

    /** The clock the loop runs the stacks' timers on. */
    public Clock clock() {
        return clock;
    }

    /** The idler, also the loop's {@link io.jwip.netif.Wakeup}: from any thread, {@code wake()} runs a turn soon. */
    public Idler idler() {
        return idler;
    }

    /** Makes the loop run a turn at once (from any thread). */
    public void wake() {
        idler.wake();
    }

    /**
     * One turn: poll every source, run due timers.
     *
     * @return true if a source did work (the caller should not idle)
     */
    public boolean turn() {
        if (turns++ == 0) {
            for (int i = 0; i < stackCount; i++) {
                IsnKeys.ensure(stacks[i]); // TCP may have been installed after addStack
            }
        }
        boolean work = false;
        long before = clock.nowMillis();
        for (int i = 0; i < stackCount; i++) {
            stacks[i].advanceTime(before); // what arrives now is timed from now, not from before the sleep
        }
        for (int i = 0; i < sourceCount; i++) {
            if (sources[i].poll()) {
                work = true;
            }
        }
        long now = clock.nowMillis();
        for (int i = 0; i < stackCount; i++) {
            stacks[i].timers(now);
        }
        flush();
        return work;
    }

    /** Sends what batching links hold back (see {@link Batching}). */
    private void flush() {
        for (int i = 0; i < batchingCount; i++) {
            batching[i].flushTx();
        }
    }

    /** Milliseconds until the earliest deadline of any stack or {@link Timed}, from now (0 if one is due). */
    public long untilNextDeadline() {
        long now = clock.nowMillis();
        long next = Stack.NO_DEADLINE;
        for (int i = 0; i < stackCount; i++) {
            long d = stacks[i].timers(now);
            if (d < next) {
                next = d;
            }
        }
        for (int i = 0; i < timedCount; i++) {
            long d = timed[i].nextDeadline();
            if (d < next) {
                next = d;
            }
        }
        return next == Stack.NO_DEADLINE ? Long.MAX_VALUE : Math.max(0, next - now);
    }

    private void idle() throws InterruptedException {
        long wait = untilNextDeadline();
        flush(); // the timers may just have sent
        if (ticked > 0 && wait > maxIdleMs) {
            wait = maxIdleMs;
        }
        idles++;
        idler.idle(wait);
    }

    /**
     * Runs turns until {@link #stop()} (from this thread, e.g. in a callback, or another; a stop that came
     * before the run ends it at once, and is then used up).
     */
    public void run() throws InterruptedException {
        try {
            while (!stopped) {
                if (!turn() && !stopped) {
                    idle();
                }
            }
        } finally {
            stopped = false;
        }
    }

    /**
     * Runs until {@code done} says so, {@link #stop()} is called, or {@code maxTurns} pass. {@code done} is
     * asked before each turn and before each wait; what it waits for must come as work, a wake or a
     * deadline ({@link #addTimed}).
     *
     * @return true if {@code done} became true
     */
    public boolean runUntil(Condition done, long maxTurns) throws InterruptedException {
        try {
            for (long t = 0; t < maxTurns && !stopped; t++) {
                if (done.holds()) {
                    return true;
                }
                if (!turn() && !done.holds() && !stopped) {
                    idle();
                }
            }
            return done.holds();
        } finally {
            stopped = false;
        }
    }

    /** Makes {@link #run()} or {@link #runUntil} return after the current turn; wakes the loop. */
    public void stop() {
        stopped = true;
        idler.wake();
    }

    /** Turns run so far. */
    public long turns() {
        return turns;
    }

    /** Times a turn found no work and the loop waited. */
    public long idles() {
        return idles;
    }

    /** A condition polled between turns. */
    public interface Condition {
        boolean holds();
    }
}
