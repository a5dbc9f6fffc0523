package io.jwip.tests.reallink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwip.JwipOptions;
import io.jwip.netif.Netif;
import io.jwip.netif.tun.TunLink;
import io.jwip.port.Idler;
import io.jwip.port.PollIdler;
import io.jwip.port.PollLoop;
import io.jwip.port.VirtualClock;
import io.jwip.port.threaded.StackThread;
import io.jwip.stack.Stack;
import io.jwip.wire.Ip4Addr;
import org.junit.jupiter.api.Test;

/**
 * A packet written to a TUN device wakes an idle port. The ports run on a virtual clock that never moves,
 * so the stack has no deadline and the port's only way out of {@code poll(2)} is the device's descriptor:
 * every echo reply Linux gets proves a wake by the packet (no tick, no timeout). The turn count shows the
 * loop slept between pings.
 */
class TunWakeTest {
    static final String LINUX = "10.98.0.1";
    static final String JWIP = "10.98.0.2";

    interface Port {
        /** True while the port sleeps (in poll(2)), waiting for work. */
        boolean asleep();

        long turns();
    }

    private static void pingsWakeThePort(Netns ns, Port port) throws Exception {
        for (int i = 0; i < 5; i++) {
            // Wait (bounded) until the port is asleep again.
            for (int k = 0; k < 10_000 && !port.asleep(); k++) {
                Thread.sleep(1);
            }
            assertTrue(port.asleep(), "the port went to sleep before ping " + i);
            long turns = port.turns();
            RealPeer.Result r = ns.exec(20, "ping", "-n", "-c", "1", "-W", "5", JWIP);
            assertEquals(1, TunLinkTest.received(r.out), "ping " + i + " answered by a port woken by the packet:\n" + r.out);
            assertTrue(port.turns() > turns, "the packet ran a turn");
        }
    }

    @Test
    void aPacketWakesAPollLoopAsleepWithNoDeadline() throws Exception {
        RealPeer.requireTunAndNetns();
        RealPeer.requireTools("ping");
        assertTrue(PollIdler.available(), "poll(2) through JNA");
        try (Netns ns = new Netns();
                TunLink tun = TunLink.open(new TunLink.Config(Netns.tunName()).netns(ns.name).hostAddress(LINUX + "/24"));
                PollIdler idler = new PollIdler(4)) {
            VirtualClock clock = new VirtualClock();
            Stack stack = new Stack(new JwipOptions());
            stack.addNetif(new Netif("tun0", tun.mtu(), tun).configure(Ip4Addr.parse(JWIP, 0), Ip4Addr.maskOf(24), 0));
            PollLoop loop = new PollLoop(clock, idler, 1, 1).addStack(stack).addSource(tun);
            assertEquals(0, loop.tickedSources(), "the TUN descriptor is watched, nothing is ticked");
            assertEquals(1, idler.watched());
            Thread t = new Thread(() -> {
                try {
                    loop.run();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "tun-wake-loop");
            t.start();
            try {
                pingsWakeThePort(ns, new Port() {
                    public boolean asleep() { return idler.asleep(); }
                    public long turns() { return loop.turns(); }
                });
            } finally {
                loop.stop();
                t.join(10_000);
            }
            assertFalse(t.isAlive());
            assertEquals(0, clock.nowMillis(), "the clock never moved: packets did the waking");
            System.out.println("[tun-wake] PollLoop: " + loop.turns() + " turns, " + idler.waits() + " sleeps in poll(2), "
                    + stack.stats().icmp.xmit + " echo replies");
        }
    }

    @Test
    void aPacketWakesAStackThreadAsleepWithNoDeadline() throws Exception {
        RealPeer.requireTunAndNetns();
        RealPeer.requireTools("ping");
        try (Netns ns = new Netns();
                TunLink tun = TunLink.open(new TunLink.Config(Netns.tunName()).netns(ns.name).hostAddress(LINUX + "/24"))) {
            VirtualClock clock = new VirtualClock();
            Stack stack = new Stack(new JwipOptions());
            stack.addNetif(new Netif("tun0", tun.mtu(), tun).configure(Ip4Addr.parse(JWIP, 0), Ip4Addr.maskOf(24), 0));
            Idler idler = Idler.system();
            StackThread st = new StackThread(stack, clock, idler, 4, 1, 1).addSource(tun).start("tun-wake-thread");
            try {
                assertEquals(0, st.loop().tickedSources());
                pingsWakeThePort(ns, new Port() {
                    public boolean asleep() { return st.loop().idler().asleep(); }
                    public long turns() { return st.loop().turns(); }
                });
            } finally {
                st.shutdown();
            }
            assertEquals(null, st.failure());
            assertEquals(0, clock.nowMillis());
        }
    }
}
