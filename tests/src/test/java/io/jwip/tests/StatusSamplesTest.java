package io.jwip.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jwip.JwipOptions;
import io.jwip.examples.services.StatusSamples;
import io.jwip.stack.Stack;
import io.jwip.tcp.Tcp;
import io.jwip.tcp.TcpPcb;
import io.jwip.tcp.TcpState;
import org.junit.jupiter.api.Test;

/** The status page's ring of samples: what it keeps, when it samples, and that sampling allocates nothing. */
class StatusSamplesTest {

    @Test
    void keepsTheLastCapacitySamplesWithTheirSequenceNumbers() {
        Stack stack = new Stack(new JwipOptions());
        Tcp tcp = Tcp.install(stack);
        StatusSamples s = new StatusSamples(stack, 1000, 4);
        for (int i = 0; i < 6; i++) {
            s.sample();
        }
        assertEquals(2, s.first(), "6 samples in a ring of 4: 2..5 are kept");
        assertEquals(6, s.next());
        TcpPcb l = tcp.newListener();
        tcp.bind(l, 0, 80);
        tcp.listen(l, 1);
        s.sample();
        assertEquals(1, s.tcpCount(6, TcpState.LISTEN));
        assertEquals(0, s.tcpCount(5, TcpState.LISTEN), "an older sample keeps its value");
        assertEquals(3, s.first());
    }

    @Test
    void pollSamplesOncePerIntervalOfTheStackClock() {
        Stack stack = new Stack(new JwipOptions());
        StatusSamples s = new StatusSamples(stack, 5000, 10);
        stack.timers(0);
        s.poll();
        s.poll();
        assertEquals(1, s.next(), "one sample at start, none again before the interval");
        assertEquals(5000, s.nextDeadline());
        stack.timers(4999);
        s.poll();
        assertEquals(1, s.next());
        stack.timers(17_000);
        s.poll();
        assertEquals(2, s.next(), "a loop that slept past several intervals takes one sample, not a burst");
        assertEquals(22_000, s.nextDeadline());
    }

    @Test
    void samplingAllocatesNothing() {
        Stack stack = new Stack(new JwipOptions());
        Tcp.install(stack);
        StatusSamples s = new StatusSamples(stack, 1, StatusSamples.CAPACITY);
        long[] t = {0};
        Alloc.Result r = Alloc.measureSteady(1000, 10_000, 3, new Runnable() {
            @Override
            public void run() {
                stack.timers(++t[0]);
                s.poll();
            }
        });
        assertEquals(0, r.totalBytes, r.toString());
    }
}
