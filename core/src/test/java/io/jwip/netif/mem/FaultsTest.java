package io.jwip.netif.mem;

import io.jwip.testutil.TwoStacks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwip.Err;
import io.jwip.buf.Pbuf;
import io.jwip.buf.PbufPool;
import io.jwip.netif.LinkUpper;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The fault injection of the in-memory wire, on raw frames whose first 4 bytes are a frame number. */
class FaultsTest {
    /** Receives frames, records their numbers, frees them. */
    static final class Sink implements LinkUpper {
        final PbufPool pool = new PbufPool("SINK", 8, 256);
        int[] got = new int[4096];
        long[] at = new long[4096];
        int n;
        InMemoryLink wire;

        @Override
        public Pbuf allocInput(int len) {
            return pool.alloc(0, len);
        }

        @Override
        public void drop(int reason) {
        }

        @Override
        public void linkDown(String reason) {
        }

        @Override

        public void input(Pbuf p, int checksumsVerified) {

            input(p);

        }


        @Override
        public void input(Pbuf p) {
            got[n] = (p.getByte(0) << 24) | (p.getByte(1) << 16) | (p.getByte(2) << 8) | p.getByte(3);
            at[n] = wire.now();
            n++;
            PbufPool.free(p);
        }

        int[] received() {
            return Arrays.copyOf(got, n);
        }
    }

    private final PbufPool txPool = new PbufPool("TX", 2, 256);

    private Sink attach(InMemoryLink wire) {
        Sink sink = new Sink();
        sink.wire = wire;
        wire.b().attach(sink);
        wire.a().attach(new Sink());
        return sink;
    }

    private int send(InMemoryLink wire, int number) {
        Pbuf p = txPool.alloc(0, 64);
        p.copyIn(0, new byte[] {(byte) (number >>> 24), (byte) (number >>> 16), (byte) (number >>> 8), (byte) number}, 0, 4);
        int err = wire.a().output(p);
        PbufPool.free(p);
        return err;
    }

    /** Sends {@code frames} frames, one per millisecond, and runs the clock until all are delivered. */
    private Sink run(Faults f, int frames) {
        InMemoryLink wire = new InMemoryLink(256, 256).setFaults(f);
        Sink sink = attach(wire);
        for (int i = 0; i < frames; i++) {
            wire.advanceTo(i);
            assertEquals(Err.OK, send(wire, i));
            wire.pump();
        }
        while (!wire.idle()) {
            wire.pump(wire.nextDeadline());
        }
        assertTrue(sink.pool.pool().isFull());
        assertTrue(txPool.pool().isFull());
        return sink;
    }

    @Test
    void withoutFaultsTheWireIsFifoAndImmediate() {
        Sink s = run(Faults.none(), 100);
        assertEquals(100, s.n);
        for (int i = 0; i < 100; i++) {
            assertEquals(i, s.got[i]);
            assertEquals(i, s.at[i]);
        }
    }

    @Test
    void sameSeedSameRunOtherSeedOtherRun() {
        Faults f = new Faults().seed(42).loss(0.1).duplicate(0.1).reorder(0.1).reorderDelayMs(5).delayMs(3).jitterMs(4);
        Sink one = run(f, 500);
        Sink two = run(f.copy(), 500);
        assertArrayEquals(one.received(), two.received());
        assertArrayEquals(Arrays.copyOf(one.at, one.n), Arrays.copyOf(two.at, two.n));
        Sink other = run(f.copy().seed(43), 500);
        assertFalse(Arrays.equals(one.received(), other.received()));
    }

    @Test
    void lossLosesAndCounts() {
        InMemoryLink wire = new InMemoryLink(64, 256).setFaults(new Faults().seed(7).loss(0.25));
        Sink sink = attach(wire);
        for (int i = 0; i < 400; i++) {
            assertEquals(Err.OK, send(wire, i), "a lost frame is still accepted");
            wire.pump();
        }
        FrameQueue q = wire.a().tx();
        assertEquals(400, q.accepted());
        assertEquals(400, q.lost() + q.delivered());
        assertEquals(sink.n, q.delivered());
        assertTrue(q.lost() > 60 && q.lost() < 140, "about a quarter lost: " + q);
        // Everything lost: nothing arrives.
        wire.setFaults(new Faults().loss(1));
        for (int i = 0; i < 10; i++) {
            send(wire, i);
        }
        assertTrue(wire.idle());
    }

    @Test
    void duplicationDeliversTwice() {
        InMemoryLink wire = new InMemoryLink(64, 256).setFaults(new Faults().duplicate(1));
        Sink sink = attach(wire);
        for (int i = 0; i < 5; i++) {
            send(wire, i);
        }
        wire.pump();
        assertArrayEquals(new int[] {0, 0, 1, 1, 2, 2, 3, 3, 4, 4}, sink.received());
        assertEquals(5, wire.a().tx().duplicated());
        assertEquals(0, wire.a().tx().reordered(), "a duplicate is not a reordering");
    }

    @Test
    void delayIsHonouredOnTheVirtualClock() {
        InMemoryLink wire = new InMemoryLink(8, 256).setFaults(new Faults().delayMs(100));
        Sink sink = attach(wire);
        wire.pump(1000);
        send(wire, 1);
        assertEquals(1100, wire.nextDeadline());
        assertEquals(0, wire.pump(1099));
        assertEquals(0, sink.n);
        assertEquals(1, wire.pump(1100));
        assertEquals(1100, sink.at[0]);
        assertEquals(InMemoryLink.NO_DEADLINE, wire.nextDeadline());
    }

    @Test
    void heldBackFramesAreOvertakenAndCounted() {
        Sink s = run(new Faults().seed(3).reorder(0.2).reorderDelayMs(10), 300);
        assertEquals(300, s.n, "reordering loses nothing");
        int[] sorted = s.received();
        Arrays.sort(sorted);
        for (int i = 0; i < 300; i++) {
            assertEquals(i, sorted[i]);
        }
        int inversions = 0;
        int max = -1;
        for (int i = 0; i < s.n; i++) {
            if (s.got[i] < max) {
                inversions++;
            }
            max = Math.max(max, s.got[i]);
        }
        assertTrue(inversions > 20, "frames arrive out of order: " + inversions);
    }

    @Test
    void reorderCounterMatchesWhatTheReceiverSees() {
        InMemoryLink wire = new InMemoryLink(256, 256).setFaults(new Faults().seed(11).reorder(0.3).jitterMs(3));
        Sink sink = attach(wire);
        for (int i = 0; i < 200; i++) {
            wire.pump(i);
            send(wire, i);
        }
        while (!wire.idle()) {
            wire.pump(wire.nextDeadline());
        }
        int late = 0;
        int max = -1;
        for (int i = 0; i < sink.n; i++) {
            if (sink.got[i] < max) {
                late++;
            }
            max = Math.max(max, sink.got[i]);
        }
        assertEquals(late, wire.a().tx().reordered());
        assertTrue(wire.a().tx().heldBack() > 0);
    }

    @Test
    void badFaultsAreRefused() {
        InMemoryLink wire = new InMemoryLink(4, 256);
        assertThrows(IllegalArgumentException.class, () -> wire.setFaults(new Faults().loss(1.5)));
        assertThrows(IllegalArgumentException.class, () -> wire.setFaults(new Faults().delayMs(-1)));
    }

    @Test
    void splitMixIsReproducibleAndInRange() {
        SplitMix64 r1 = new SplitMix64(99);
        SplitMix64 r2 = new SplitMix64(99);
        for (int i = 0; i < 1000; i++) {
            assertEquals(r1.nextLong(), r2.nextLong());
            int v = r1.nextInt(10);
            assertEquals(v, r2.nextInt(10));
            assertTrue(v >= 0 && v < 10);
            double d = r1.nextDouble();
            assertEquals(d, r2.nextDouble());
            assertTrue(d >= 0 && d < 1);
        }
        // A known value pins the algorithm: SplitMix64 seeded with 0 starts with 0xe220a8397b1dcdaf.
        assertEquals(0xe220a8397b1dcdafL, new SplitMix64(0).nextLong());
    }

    @Test
    void smallRingUnderAllFaultsKeepsItsInvariants() {
        // 8 slots, frames sent faster than they are due: the ring wraps and fills. Check every frame's fate.
        for (long seed = 1; seed <= 20; seed++) {
            Faults f = new Faults().seed(seed).loss(0.1).duplicate(0.2).reorder(0.2).reorderDelayMs(7)
                    .delayMs(2).jitterMs(6);
            InMemoryLink wire = new InMemoryLink(8, 256).setFaults(f);
            Sink sink = attach(wire);
            int[] sentAt = new int[400];
            boolean[] accepted = new boolean[400];
            int refused = 0;
            for (int i = 0; i < 400; i++) {
                wire.advanceTo(i / 2);
                sentAt[i] = i / 2;
                int err = send(wire, i);
                accepted[i] = err == Err.OK;
                if (err == Err.MEM) {
                    refused++;
                }
                wire.pump();
                assertTrue(wire.a().tx().inFlight() <= 8);
            }
            while (!wire.idle()) {
                wire.pump(wire.nextDeadline());
            }
            FrameQueue q = wire.a().tx();
            assertEquals(refused, q.queueFull(), "refusals are counted");
            assertTrue(refused > 0, "the ring filled up");
            int[] times = new int[400];
            long previous = -1;
            for (int k = 0; k < sink.n; k++) {
                int id = sink.got[k];
                assertTrue(accepted[id], "only accepted frames arrive");
                times[id]++;
                assertTrue(sink.at[k] >= sentAt[id] + 2, "never before the fixed delay");
                assertTrue(sink.at[k] <= sentAt[id] + 2 + 6 + 7, "never later than delay + jitter + hold");
                assertTrue(sink.at[k] >= previous, "the wire's clock only moves forward");
                previous = sink.at[k];
            }
            long once = 0;
            long twice = 0;
            long never = 0;
            for (int i = 0; i < 400; i++) {
                assertTrue(times[i] <= 2, "a frame arrives at most twice");
                if (!accepted[i]) {
                    assertEquals(0, times[i]);
                    continue;
                }
                if (times[i] == 0) {
                    never++;
                } else if (times[i] == 1) {
                    once++;
                } else {
                    twice++;
                }
            }
            assertEquals(q.lost(), never, "every missing frame was counted lost");
            assertEquals(q.duplicated(), twice, "every double was counted duplicated");
            assertEquals(q.accepted(), once + twice + never);
            assertEquals(q.delivered(), once + 2 * twice);
            assertTrue(sink.pool.pool().isFull());
        }
    }

    @Test
    void pingOverABadWireIsReproducible() {
        int first = lossyPings(1234);
        int second = lossyPings(1234);
        assertEquals(first, second);
        assertTrue(first > 50 && first < 100, "some pings lost, most answered: " + first);
    }

    private int lossyPings(long seed) {
        InMemoryLink wire = new InMemoryLink(32, 1500)
                .setFaults(new Faults().seed(seed).loss(0.1).duplicate(0.05).delayMs(5).jitterMs(10));
        TwoStacks s = new TwoStacks(wire, 1500);
        int[] replies = new int[1];
        s.a.icmp().setEchoListener((src, id, seq, len, now) -> replies[0]++);
        for (int i = 0; i < 100; i++) {
            s.a.icmp().sendEcho(TwoStacks.B, 1, i, 56);
            s.runUntil(wire.now() + 20);
        }
        s.runUntil(wire.now() + 1000);
        assertTrue(s.poolsFull(), s.poolsNotFull());
        return replies[0];
    }
}
