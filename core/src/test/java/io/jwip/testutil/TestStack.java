package io.jwip.testutil;

import io.jwip.JwipOptions;
import io.jwip.stack.Stack;
import io.jwip.netif.Netif;
import io.jwip.wire.Ip4Addr;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A stack with one capture netif (10.0.0.1/24 by default) and a virtual clock. */
public final class TestStack {
    public static final int ADDR = Ip4Addr.of(10, 0, 0, 1);
    public static final int PEER = Ip4Addr.of(10, 0, 0, 2);
    public static final int MASK = Ip4Addr.maskOf(24);

    public final Stack stack;
    public final CaptureLink link = new CaptureLink();
    public final Netif netif;
    public long now;

    public TestStack() {
        this(new JwipOptions(), 1500);
    }

    public TestStack(JwipOptions o, int mtu) {
        stack = new Stack(o);
        netif = new Netif("t0", mtu, link).configure(ADDR, MASK, 0);
        stack.addNetif(netif);
        stack.timers(0);
    }

    /** Advances the virtual clock by {@code ms} and runs the timers. */
    public void advance(long ms) {
        now += ms;
        stack.timers(now);
    }

    public void assertPoolsFull() {
        assertTrue(stack.stats().allPoolsFull(), () -> "pools not full: " + stack.stats().poolsNotFull()
                + "\n" + stack.stats());
    }
}
