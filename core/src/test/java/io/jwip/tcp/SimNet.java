package io.jwip.tcp;

import io.jwip.JwipOptions;
import io.jwip.stack.Stack;
import io.jwip.netif.Netif;
import io.jwip.wire.Ip4Addr;

/** Two stacks with TCP joined by a {@link SimWire}, and a virtual-clock loop that drives them. */
final class SimNet {
    static final int A_ADDR = Ip4Addr.of(10, 0, 0, 1);
    static final int B_ADDR = Ip4Addr.of(10, 0, 0, 2);
    final SimWire wire;
    final Stack sa;
    final Stack sb;
    /** Debugging: when set, stack a's trace goes here. */
    static StringBuilder TRACE;
    final Tcp ta;
    final Tcp tb;
    long now = 1;
    private long steps;

    SimNet(JwipOptions o, long seed, int slots) {
        wire = new SimWire(seed, slots);
        sa = new Stack(o);
        sb = new Stack(o);
        ta = Tcp.install(sa);
        tb = Tcp.install(sb);
        if (TRACE != null) {
            ta.setTrace(new TcpTracePrinter(TRACE));
        }
        ta.setIsnSecret(seed, 1);
        tb.setIsnSecret(seed, 2);
        Netif na = new Netif("sim0", 1500, wire.a);
        na.configure(A_ADDR, Ip4Addr.maskOf(24), 0);
        sa.addNetif(na);
        Netif nb = new Netif("sim0", 1500, wire.b);
        nb.configure(B_ADDR, Ip4Addr.maskOf(24), 0);
        sb.addNetif(nb);
        sa.timers(now);
        sb.timers(now);
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
        long next = Math.min(Math.min(t1, t2), wire.nextDue());
        if (next == Stack.NO_DEADLINE || next == Long.MAX_VALUE) {
            return false;
        }
        now = next > now ? next : now + 1;
        wire.deliver(now);
        sa.timers(now);
        sb.timers(now);
        return true;
    }

    boolean poolsFull() {
        return sa.stats().allPoolsFull() && sb.stats().allPoolsFull();
    }
}
