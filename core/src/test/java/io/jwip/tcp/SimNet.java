package io.jwip.tcp;

import io.jwip.JwipOptions;
import io.jwip.netif.mem.Faults;
import io.jwip.netif.mem.InMemoryLink;
import io.jwip.stack.Stack;
import io.jwip.testutil.TwoStacks;

/**
 * TCP on the two-stack fixture: both stacks of a {@link TwoStacks} with TCP installed, the wire's faults set
 * in the simulation's terms, and a virtual-clock step that checks the liveness invariant as it goes.
 */
final class SimNet {
    static final int A_ADDR = TwoStacks.A;
    static final int B_ADDR = TwoStacks.B;
    /** Debugging: when set, stack a's trace goes here. */
    static StringBuilder TRACE;
    final TwoStacks pair;
    final InMemoryLink wire;
    final Stack sa;
    final Stack sb;
    final Tcp ta;
    final Tcp tb;
    private final long seed;
    long now = 1;
    private long steps;

    SimNet(JwipOptions o, long seed, int slots) {
        this.seed = seed;
        pair = new TwoStacks(o, slots, 1500);
        wire = pair.wire;
        sa = pair.a;
        sb = pair.b;
        ta = Tcp.install(sa);
        tb = Tcp.install(sb);
        if (TRACE != null) {
            ta.setTrace(new TcpTracePrinter(TRACE));
        }
        ta.setIsnSecret(seed, 1);
        tb.setIsnSecret(seed, 2);
        faults(0, 0, 0, 1, 1);
        sa.timers(now);
        sb.timers(now);
    }

    /**
     * The wire loses, duplicates and reorders (held back by twice the longest delay) frames in parts per
     * thousand, and delays each by {@code minDelay}..{@code maxDelay} ms; from this net's seed.
     */
    SimNet faults(int lossPermille, int dupPermille, int reorderPermille, int minDelay, int maxDelay) {
        wire.setFaults(new Faults().seed(seed).loss(lossPermille / 1000.0).duplicate(dupPermille / 1000.0)
                .reorder(reorderPermille / 1000.0).reorderDelayMs(2L * maxDelay).delayMs(minDelay)
                .jitterMs(maxDelay - minDelay));
        return this;
    }

    boolean poolsFull() {
        return pair.poolsFull();
    }

    /** Frames the wire lost, both directions. */
    long lost() {
        return wire.a().tx().lost() + wire.b().tx().lost();
    }

    long duplicated() {
        return wire.a().tx().duplicated() + wire.b().tx().duplicated();
    }

    /**
     * One step: the clock jumps to the next event (a packet due or a stack deadline), packets due are
     * delivered and timers run. Between steps both stacks' clocks equal {@link #now}, so application calls
     * made between steps see the right time. Returns false if nothing is scheduled.
     */
    boolean step() {
        if ((++steps & 15) == 0) {
            // the liveness invariant, every 16 steps: no connection with work to do lacks a timer
            String dead = TcpLiveness.check(ta);
            if (dead == null) {
                dead = TcpLiveness.check(tb);
            }
            if (dead != null) {
                throw new AssertionError("liveness at " + now + " ms: " + dead);
            }
        }
        long t1 = sa.timers(now);
        long t2 = sb.timers(now);
        long next = Math.min(Math.min(t1, t2), wire.nextDeadline());
        if (next == Stack.NO_DEADLINE) {
            return false;
        }
        now = next > now ? next : now + 1;
        wire.pump(now);
        sa.timers(now);
        sb.timers(now);
        return true;
    }
}
