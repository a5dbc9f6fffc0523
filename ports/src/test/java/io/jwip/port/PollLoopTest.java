package io.jwip.port;

import io.jwip.JwipOptions;
import io.jwip.stack.Stack;
import io.jwip.wire.Ip4Addr;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The single-threaded port: polls sources, runs timers, idles exactly until the next deadline. */
class PollLoopTest {
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
    void maxIdleCapsTheSleepForLinksWithoutWakeUps() throws InterruptedException {
        VirtualClock clock = new VirtualClock();
        Stack s = new Stack(new JwipOptions());
        PollLoop loop = new PollLoop(clock, Idler.virtual(clock), 1, 0).addStack(s).setMaxIdleMs(5);
        loop.runUntil(() -> false, 10);
        assertEquals(50, clock.nowMillis());
        assertEquals(10, loop.turns());
    }
}
