package io.jwip.tests;

import io.jwip.JwipOptions;
import io.jwip.stack.Stack;
import io.jwip.netif.Link;
import io.jwip.netif.Netif;
import io.jwip.netif.mem.InMemoryLink;
import io.jwip.wire.Ip4Addr;

/**
 * Two stacks, A = 10.0.0.1/24 and B = 10.0.0.2/24, each with one netif on an end of the same
 * {@link InMemoryLink}, driven on one virtual clock.
 */
final class StackPair {
    static final int A = Ip4Addr.of(10, 0, 0, 1);
    static final int B = Ip4Addr.of(10, 0, 0, 2);

    final InMemoryLink wire;
    final Stack a;
    final Stack b;
    final Netif na;
    final Netif nb;

    StackPair(int mtu) {
        this(new InMemoryLink(32, mtu), mtu);
    }

    StackPair(InMemoryLink wire, int mtu) {
        this(wire, wire.a(), wire.b(), mtu, new JwipOptions());
    }

    /** With the links given (e.g. a capture decorator around one end of {@code wire}). */
    StackPair(InMemoryLink wire, Link linkA, Link linkB, int mtu, JwipOptions opt) {
        this.wire = wire;
        this.a = new Stack(opt);
        this.b = new Stack(opt);
        this.na = new Netif("mem0", mtu, linkA).configure(A, Ip4Addr.maskOf(24), 0);
        this.nb = new Netif("mem0", mtu, linkB).configure(B, Ip4Addr.maskOf(24), 0);
        a.addNetif(na);
        b.addNetif(nb);
    }

    /** Delivers everything in flight, replies included. */
    int exchange() {
        return wire.pumpUntilIdle(64);
    }

    /** Runs the stacks' timers and the wire on one virtual clock until {@code until} (ms). */
    void runUntil(long until) {
        wire.runUntil(until, a, b);
    }

    boolean poolsFull() {
        return a.stats().allPoolsFull() && b.stats().allPoolsFull();
    }

    String poolsNotFull() {
        return "A: [" + a.stats().poolsNotFull() + "]  B: [" + b.stats().poolsNotFull() + "]";
    }
}
