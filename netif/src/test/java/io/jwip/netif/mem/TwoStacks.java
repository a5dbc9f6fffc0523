package io.jwip.netif.mem;

import io.jwip.JwipOptions;
import io.jwip.stack.Stack;
import io.jwip.netif.Link;
import io.jwip.netif.Netif;
import io.jwip.wire.Ip4Addr;

/** Two stacks, 10.0.0.1/24 and 10.0.0.2/24, on the two ends of one in-memory wire. */
final class TwoStacks {
    static final int A_ADDR = Ip4Addr.of(10, 0, 0, 1);
    static final int B_ADDR = Ip4Addr.of(10, 0, 0, 2);

    final InMemoryLink wire;
    final Stack a;
    final Stack b;
    final Netif na;
    final Netif nb;

    TwoStacks(int capacity, int mtu) {
        this(new InMemoryLink(capacity, mtu), mtu);
    }

    TwoStacks(InMemoryLink wire, int mtu) {
        this(wire, wire.a(), wire.b(), mtu, new JwipOptions());
    }

    TwoStacks(InMemoryLink wire, Link la, Link lb, int mtu, JwipOptions opt) {
        this.wire = wire;
        a = new Stack(opt);
        b = new Stack(opt);
        na = new Netif("mem0", mtu, la).configure(A_ADDR, Ip4Addr.maskOf(24), 0);
        nb = new Netif("mem0", mtu, lb).configure(B_ADDR, Ip4Addr.maskOf(24), 0);
        a.addNetif(na);
        b.addNetif(nb);
    }

    /** Runs the stacks' timers and the wire on one virtual clock until {@code until}. */
    void runUntil(long until) {
        wire.runUntil(until, a, b);
    }

    boolean poolsFull() {
        return a.stats().allPoolsFull() && b.stats().allPoolsFull();
    }

    String pools() {
        return "A: [" + a.stats().poolsNotFull() + "] B: [" + b.stats().poolsNotFull() + "]";
    }
}
