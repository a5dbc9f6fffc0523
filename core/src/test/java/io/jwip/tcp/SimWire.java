package io.jwip.tcp;

import io.jwip.buf.Pbuf;
import io.jwip.netif.Link;
import io.jwip.netif.LinkUpper;

/**
 * A seeded, deterministic simulated wire between two links, on a virtual clock: each packet sent may be
 * lost, duplicated, delayed and thereby reordered. Everything is preallocated (a fixed table of packet
 * slots) so that the wire itself allocates nothing: the zero-allocation test runs through it too.
 */
final class SimWire {
    /** One end of the wire: the link of one netif. */
    final class End implements Link {
        LinkUpper upper;
        End peer;
        long sent;

        @Override
        public void attach(LinkUpper u) {
            upper = u;
        }

        @Override
        public int output(Pbuf p) {
            sent++;
            enqueue(peer, p);
            return 0;
        }
    }

    final End a = new End();
    final End b = new End();
    private final byte[][] data;
    private final int[] len;
    private final long[] due;
    private final long[] order;
    private final End[] to;
    private long nextOrder;
    private long rnd;
    /** Probabilities in parts per 1000. */
    int lossPermille;
    int dupPermille;
    int reorderPermille;
    int minDelay = 1;
    int maxDelay = 1;
    long now;
    long lost;
    long duplicated;
    long overflow;
    long delivered;

    SimWire(long seed, int slots) {
        a.peer = b;
        b.peer = a;
        data = new byte[slots][2048];
        len = new int[slots];
        due = new long[slots];
        order = new long[slots];
        to = new End[slots];
        rnd = seed * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L;
        if (rnd == 0) {
            rnd = 1;
        }
    }

    /** xorshift64*: a number in [0, n). */
    int next(int n) {
        rnd ^= rnd >>> 12;
        rnd ^= rnd << 25;
        rnd ^= rnd >>> 27;
        long r = (rnd * 0x2545F4914F6CDD1DL) >>> 33;
        return (int) (r % n);
    }

    private void enqueue(End dst, Pbuf p) {
        if (next(1000) < lossPermille) {
            lost++;
            return;
        }
        int copies = next(1000) < dupPermille ? 2 : 1;
        if (copies == 2) {
            duplicated++;
        }
        for (int c = 0; c < copies; c++) {
            int slot = -1;
            for (int i = 0; i < to.length; i++) {
                if (to[i] == null) {
                    slot = i;
                    break;
                }
            }
            if (slot < 0) {
                overflow++;
                return;
            }
            int n = p.totalLength();
            p.copyOut(0, data[slot], 0, n);
            len[slot] = n;
            int delay = minDelay + (maxDelay > minDelay ? next(maxDelay - minDelay + 1) : 0);
            if (next(1000) < reorderPermille) {
                delay += maxDelay + next(3 * maxDelay + 1);
            }
            due[slot] = now + delay;
            order[slot] = nextOrder++;
            to[slot] = dst;
        }
    }

    /** Earliest delivery time of a packet in flight, or Long.MAX_VALUE. */
    long nextDue() {
        long m = Long.MAX_VALUE;
        for (int i = 0; i < to.length; i++) {
            if (to[i] != null && due[i] < m) {
                m = due[i];
            }
        }
        return m;
    }

    /** Delivers every packet due at or before {@code t}, in due-time order. */
    void deliver(long t) {
        now = t;
        for (;;) {
            int best = -1;
            for (int i = 0; i < to.length; i++) {
                if (to[i] != null && due[i] <= t
                        && (best < 0 || due[i] < due[best] || (due[i] == due[best] && order[i] < order[best]))) {
                    best = i;
                }
            }
            if (best < 0) {
                return;
            }
            End dst = to[best];
            to[best] = null;
            Pbuf q = dst.upper.allocInput(len[best]);
            if (q == null) {
                continue; // counted by the netif as a drop
            }
            q.copyIn(0, data[best], 0, len[best]);
            delivered++;
            dst.upper.input(q);
        }
    }

    boolean empty() {
        for (int i = 0; i < to.length; i++) {
            if (to[i] != null) {
                return false;
            }
        }
        return true;
    }
}
