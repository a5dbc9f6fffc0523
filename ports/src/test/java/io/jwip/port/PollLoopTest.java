package io.jwip.port;

import io.jwip.JwipOptions;
import io.jwip.netif.Pollable;
import io.jwip.netif.Readiness;
import io.jwip.netif.Wakeup;
import io.jwip.stack.Stack;
import io.jwip.wire.Ip4Addr;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The single-threaded port: polls sources, runs timers, idles exactly until the next deadline or a wake. */
class PollLoopTest {
    /** A source that signals its work through the loop's wake-up, as a reader thread or a wire does. */
    static final class Signalling implements Pollable, Readiness {
        volatile Wakeup wakeup;
        volatile int work;
        volatile int polls;

        @Override
        public boolean poll() {
            polls++;
            boolean did = work > 0;
            work = 0;
            return did;
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

    @Test
    void idlesUntilTheStacksDeadlineOnAVirtualClock() throws InterruptedException {
        VirtualClock clock = new VirtualClock();
        Stack s = new Stack(new JwipOptions());
        PollLoop loop = new PollLoop(clock, Idler.virtual(clock), 1, 1).addStack(s).setMaxIdleMs(Long.MAX_VALUE);
        int[] polls = new int[1];
        loop.addSource(() -> {
            polls[0]++;
            return false;
        });
        // Nothing scheduled: no deadline.
        assertEquals(Long.MAX_VALUE, loop.untilNextDeadline());
        // A ping to ourselves over loopback is due at once; the loop delivers it without idling.
        int[] replies = new int[1];
        s.icmp().setEchoListener((src, id, seq, len, now) -> replies[0]++);
        s.icmp().sendEcho(Ip4Addr.LOOPBACK, 1, 1, 8);
        assertEquals(0, loop.untilNextDeadline());
        assertTrue(loop.runUntil(() -> replies[0] == 1, 10));
        assertEquals(0, clock.nowMillis(), "no time needed to pass");
        assertTrue(polls[0] >= 1);
    }

    @Test
    void maxIdleCapsTheSleepOnlyForASourceWithoutReadiness() throws InterruptedException {
        VirtualClock clock = new VirtualClock();
        PollLoop ticked = new PollLoop(clock, Idler.virtual(clock), 1, 1).addStack(new Stack(new JwipOptions()))
                .setMaxIdleMs(5).addSource(() -> false);
        assertEquals(1, ticked.tickedSources());
        ticked.runUntil(() -> false, 10);
        assertEquals(50, clock.nowMillis(), "a plain pollable is polled every 5 ms");

        VirtualClock clock2 = new VirtualClock();
        PollLoop woken = new PollLoop(clock2, Idler.virtual(clock2), 1, 1).addStack(new Stack(new JwipOptions()))
                .setMaxIdleMs(5).addSource(new Signalling());
        assertEquals(0, woken.tickedSources());
        woken.runUntil(() -> false, 10);
        assertEquals(0, clock2.nowMillis(), "nothing due and nothing signalled: no tick, time stands still");
    }

    @Test
    void aSignalRunsATurnAtOnceWithoutWaitingForADeadline() throws InterruptedException {
        VirtualClock clock = new VirtualClock();
        Signalling src = new Signalling();
        Timed in500 = () -> 500;
        PollLoop loop = new PollLoop(clock, Idler.virtual(clock), 1, 1).addStack(new Stack(new JwipOptions()))
                .addSource(src).addTimed(in500);
        // Without a signal the loop sleeps to the Timed deadline.
        loop.runUntil(() -> clock.nowMillis() >= 500, 100);
        assertEquals(500, clock.nowMillis());
        long turns = loop.turns();
        // Work signalled while the loop is busy: its next idle returns at once, and the turn after sees it.
        src.work = 1;
        src.wakeup.wake();
        loop.runUntil(() -> src.work == 0, 3);
        assertEquals(500, clock.nowMillis(), "the wake cost no time");
        assertTrue(loop.turns() - turns <= 2, "woken within a turn: " + (loop.turns() - turns));
    }

    @Test
    void aStopBeforeTheRunEndsItAtOnce() throws InterruptedException {
        VirtualClock clock = new VirtualClock();
        PollLoop loop = new PollLoop(clock, Idler.virtual(clock), 1, 1).addStack(new Stack(new JwipOptions()));
        loop.stop();
        loop.run(); // would never return if the stop were lost
        assertEquals(0, loop.turns());
    }

    @Test
    void aWakeFromAnotherThreadEndsAPollIdlersSleep() throws Exception {
        // No deadline at all: the idler sleeps in poll(2) with no timeout; only the eventfd can wake it.
        assertTrue(PollIdler.available(), "poll(2) through JNA on this Linux machine");
        VirtualClock clock = new VirtualClock();
        Signalling src = new Signalling();
        try (PollIdler idler = new PollIdler(4)) {
            PollLoop loop = new PollLoop(clock, idler, 1, 1).addStack(new Stack(new JwipOptions())).addSource(src);
            Thread t = new Thread(() -> {
                try {
                    loop.runUntil(() -> src.polls > 1, Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            t.start();
            // Wait (bounded) until the loop sleeps in poll(2).
            for (int i = 0; i < 10_000 && idler.waits() == 0; i++) {
                Thread.sleep(1);
            }
            assertEquals(1, idler.waits(), "asleep in poll(2)");
            long turns = loop.turns();
            assertEquals(1, src.polls, "one turn, then asleep");
            src.wakeup.wake(); // the loop's condition: a second poll
            t.join(10_000);
            assertTrue(!t.isAlive(), "the wake ended the sleep");
            assertEquals(0, clock.nowMillis(), "no deadline passed: the wake did it");
            assertTrue(loop.turns() > turns);
            assertEquals(1, idler.wakeWrites(), "one eventfd write for the sleeping loop");
        }
    }
}
