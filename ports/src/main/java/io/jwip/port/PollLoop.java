package io.jwip.port;

import io.jwip.stack.Stack;
import io.jwip.netif.Pollable;

/**
 * The single-threaded port for bare constrained JVMs (lwIP's NO_SYS mode): one thread, no other threads
 * and no java.util.concurrent. Each turn it polls every registered {@link Pollable} (links, applications),
 * runs the stacks' timers with the current time and, if nothing happened, idles until the earliest
 * deadline the stacks reported, capped by {@link #setMaxIdleMs(long) the poll interval} so that links
 * without a wake-up signal are still read.
 *
 * <p>Several stacks may share one loop (e.g. a device and a gateway in one process); they all run on
 * the loop's thread. Allocation-free per turn.
 */
public final class PollLoop {
    private final Clock clock;
    private final Idler idler;
    private final Stack[] stacks;
    private final Pollable[] sources;
    private int stackCount;
    private int sourceCount;
    private long maxIdleMs = 1;
    private volatile boolean stopped;
    private long turns;

    /**
     * @param maxStacks  how many stacks may be added
     * @param maxSources how many pollables may be added
     */
    public PollLoop(Clock clock, Idler idler, int maxStacks, int maxSources) {
        this.clock = clock;
        this.idler = idler;
        this.stacks = new Stack[maxStacks];
        this.sources = new Pollable[maxSources];
    }

    /** Adds a stack; its TCP's ISN secret is set from {@link java.security.SecureRandom} if unset. */
    public PollLoop addStack(Stack s) {
        stacks[stackCount++] = s;
        IsnKeys.ensure(s);
        s.timers(clock.nowMillis());
        return this;
    }

    public PollLoop addSource(Pollable p) {
        sources[sourceCount++] = p;
        return this;
    }

    /** Longest idle between polls when no deadline is nearer (default 1 ms). */
    public PollLoop setMaxIdleMs(long ms) {
        this.maxIdleMs = ms;
        return this;
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
        for (int i = 0; i < sourceCount; i++) {
            if (sources[i].poll()) {
                work = true;
            }
        }
        long now = clock.nowMillis();
        for (int i = 0; i < stackCount; i++) {
            stacks[i].timers(now);
        }
        return work;
    }

    /** Milliseconds until the earliest deadline of any stack, from now (0 if one is due). */
    public long untilNextDeadline() {
        long now = clock.nowMillis();
        long next = Stack.NO_DEADLINE;
        for (int i = 0; i < stackCount; i++) {
            long d = stacks[i].timers(now);
            if (d < next) {
                next = d;
            }
        }
        return next == Stack.NO_DEADLINE ? Long.MAX_VALUE : Math.max(0, next - now);
    }

    /** Runs turns until {@link #stop()} (from this thread, e.g. in a callback, or another). */
    public void run() throws InterruptedException {
        stopped = false;
        while (!stopped) {
            if (!turn()) {
                long wait = Math.min(untilNextDeadline(), maxIdleMs);
                idler.idle(wait);
            }
        }
    }

    /**
     * Runs until {@code done} says so or {@code maxTurns} pass.
     *
     * @return true if {@code done} became true
     */
    public boolean runUntil(Condition done, long maxTurns) throws InterruptedException {
        stopped = false;
        for (long t = 0; t < maxTurns && !stopped; t++) {
            if (done.holds()) {
                return true;
            }
            if (!turn() && !done.holds()) {
                long wait = Math.min(untilNextDeadline(), maxIdleMs);
                idler.idle(wait);
            }
        }
        return done.holds();
    }

    /** Makes {@link #run()} or {@link #runUntil} return after the current turn. */
    public void stop() {
        stopped = true;
    }

    /** Turns run so far. */
    public long turns() {
        return turns;
    }

    /** A condition polled between turns. */
    public interface Condition {
        boolean holds();
    }
}
