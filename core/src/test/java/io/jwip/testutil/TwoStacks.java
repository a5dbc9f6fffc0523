package io.jwip.testutil;

import io.jwip.JwipOptions;
import io.jwip.netif.Link;
import io.jwip.netif.Netif;
import io.jwip.netif.mem.InMemoryLink;
import io.jwip.stack.Stack;
import io.jwip.wire.Ip4Addr;

/**
 * The two-stack fixture of every module's tests: stacks A = 10.0.0.1/24 and B = 10.0.0.2/24, each with one
 * netif on an end of the same {@link InMemoryLink} (with its faults, if set), driven on the wire's virtual
 * clock. A decorator (a capture, a tap) may sit between a netif and its end.
 */
public final class TwoStacks {
    public static final int A = Ip4Addr.of(10, 0, 0, 1);
    public static final int B = Ip4Addr.of(10, 0, 0, 2);

    public final InMemoryLink wire;
    public final Stack a;
    public final Stack b;
    public final Netif na;
    public final Netif nb;

    /** With default options on a wire of {@code capacity} frames per direction. */
    public TwoStacks(int capacity, int mtu) {
        this(new InMemoryLink(capacity, mtu), mtu);
    }

    public TwoStacks(InMemoryLink wire, int mtu) {
        this(wire, wire.a(), wire.b(), mtu, new JwipOptions());
    }

    /** With these options for both stacks. */
    public TwoStacks(JwipOptions opt, int capacity, int mtu) {
        this(new InMemoryLink(capacity, mtu), mtu, opt);
    }

    /** With options of their own for A and for B (e.g. a small server). */
    public TwoStacks(JwipOptions optA, JwipOptions optB, int capacity, int mtu) {
        this(new InMemoryLink(capacity, mtu), mtu, optA, optB);
    }

    private TwoStacks(InMemoryLink wire, int mtu, JwipOptions opt) {
        this(wire, mtu, opt, opt);
    }

    private TwoStacks(InMemoryLink wire, int mtu, JwipOptions optA, JwipOptions optB) {
        this(wire, wire.a(), wire.b(), mtu, optA, optB);
    }

    /** With the links given (e.g. a capture decorator around one end of {@code wire}). */
    public TwoStacks(InMemoryLink wire, Link la, Link lb, int mtu, JwipOptions opt) {
        this(wire, la, lb, mtu, opt, opt);
    }

    private TwoStacks(InMemoryLink wire, Link la, Link lb, int mtu, JwipOptions optA, JwipOptions optB) {
        this.wire = wire;
        a = new Stack(optA);
        b = new Stack(optB);
        na = new Netif("mem0", mtu, la).configure(A, Ip4Addr.maskOf(24), 0);
        nb = new Netif("mem0", mtu, lb).configure(B, Ip4Addr.maskOf(24), 0);
        a.addNetif(na);
        b.addNetif(nb);
    }

    /** Delivers everything in flight, replies included. */
    public int exchange() {
        return wire.pumpUntilIdle(64);
    }

    /** Runs the stacks' timers and the wire on one virtual clock until {@code until} (ms). */
    public void runUntil(long until) {
        wire.runUntil(until, a, b);
    }

    public boolean poolsFull() {
        return a.stats().allPoolsFull() && b.stats().allPoolsFull();
    }

    public String poolsNotFull() {
        return "A: [" + a.stats().poolsNotFull() + "]  B: [" + b.stats().poolsNotFull() + "]";
    }
}
