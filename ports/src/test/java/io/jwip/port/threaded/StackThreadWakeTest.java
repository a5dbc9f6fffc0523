package io.jwip.port.threaded;

import io.jwip.JwipOptions;
import io.jwip.port.Idler;
import io.jwip.port.PollIdler;
import io.jwip.port.VirtualClock;
import io.jwip.stack.Stack;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The threaded port sleeps until a call comes and runs it at once: on a virtual clock with nothing
 * scheduled the stack thread would sleep forever, so a call that completes was woken by its post, not by a
 * tick or a deadline.
 */
class StackThreadWakeTest {
    static final class Echo extends Call {
        int value;

        @Override
        protected void execute() {
            complete(value + 1);
        }
    }

    private static void callsWakeAnIdleThread(Idler idler) throws Exception {
        VirtualClock clock = new VirtualClock();
        Stack stack = new Stack(new JwipOptions());
        StackThread st = new StackThread(stack, clock, idler, 4, 0, 1).start("jwip-wake-test");
        try {
            Echo c = new Echo();
            for (int i = 0; i < 1000; i++) {
                // Let the thread go back to sleep between calls now and then, so some posts find it asleep.
                if (i % 100 == 0) {
                    for (int k = 0; k < 10_000 && !st.loop().idler().asleep(); k++) {
                        Thread.sleep(1);
                    }
                    assertTrue(st.loop().idler().asleep(), "the stack thread went to sleep");
                }
                c.value = i;
                assertEquals(i + 1, st.call(c, 10_000), "call " + i + " completed");
            }
            assertEquals(0, clock.nowMillis(), "no deadline passed: every call woke the thread");
            assertTrue(st.loop().idles() >= 10, "the thread slept between calls: " + st.loop().idles());
        } finally {
            st.shutdown();
        }
        assertEquals(null, st.failure());
    }

    @Test
    void aCallWakesAThreadAsleepInPoll() throws Exception {
        assertTrue(PollIdler.available());
        callsWakeAnIdleThread(Idler.system());
    }

    @Test
    void aCallWakesAThreadAsleepOnItsMonitor() throws Exception {
        callsWakeAnIdleThread(Idler.sleeping());
    }
}
