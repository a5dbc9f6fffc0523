package io.jwip.netif.mem;

import io.jwip.Err;
import io.jwip.buf.Pbuf;
import io.jwip.netif.Link;
import io.jwip.netif.LinkUpper;
import io.jwip.stats.Drop;

/**
 * An in-memory Ethernet segment: a hub with a fixed number of ports, each the frame link under an
 * {@code EthernetLink}. A frame sent on one port reaches every other port (the Ethernet links filter by
 * destination, as NICs do), when the owner of the hub calls {@link #pump()}, never from inside
 * {@code output}, so that a reply cannot recurse into its sender.
 *
 * <p>Frames wait in a fixed ring of {@code capacity} copies of at most {@code maxFrame} bytes made at
 * construction; nothing is allocated afterwards. A full ring drops the frame (counted by {@link #dropped()}
 * and at the sender as {@code LINK_QUEUE_FULL}).
 */
public final class EthernetHub {
    /** One port of the hub. */
    public final class Port implements Link {
        final int index;
        LinkUpper upper;

        Port(int index) {
            this.index = index;
        }

        @Override
        public void attach(LinkUpper upper) {
            this.upper = upper;
        }

        @Override
        public int output(Pbuf p) {
            int len = p.totalLength();
            if (len > maxFrame) {
                upper.drop(Drop.LINK_OVERSIZE);
                return Err.VAL;
            }
            if (count == frames.length) {
                dropped++;
                upper.drop(Drop.LINK_QUEUE_FULL);
                return Err.MEM;
            }
            int slot = (head + count) % frames.length;
            p.copyOut(0, frames[slot], 0, len);
            lengths[slot] = len;
            senders[slot] = index;
            count++;
            sent++;
            return Err.OK;
        }

        public EthernetHub hub() {
            return EthernetHub.this;
        }
    }

    private final Port[] ports;
    private final byte[][] frames;
    private final int[] lengths;
    private final int[] senders;
    private final int maxFrame;
    private int head;
    private int count;
    private long sent;
    private long dropped;

    public EthernetHub(int ports, int capacity, int maxFrame) {
        this.ports = new Port[ports];
        for (int i = 0; i < ports; i++) {
            this.ports[i] = new Port(i);
        }
        this.frames = new byte[capacity][maxFrame];
        this.lengths = new int[capacity];
        this.senders = new int[capacity];
        this.maxFrame = maxFrame;
    }

    public Port port(int i) {
        return ports[i];
    }

    /** Frames waiting. */
    public int pending() {
        return count;
    }

    public long sent() {
        return sent;
    }

    public long dropped() {
        return dropped;
    }

    /**
     * Delivers the frames waiting now (not those sent while delivering: call again for replies).
     *
     * @return frames delivered
     */
    public int pump() {
        int n = count;
        for (int k = 0; k < n; k++) {
            int slot = head;
            head = (head + 1) % frames.length;
            count--;
            for (int i = 0; i < ports.length; i++) {
                Port to = ports[i];
                if (i == senders[slot] || to.upper == null) {
                    continue;
                }
                Pbuf p = to.upper.allocInput(lengths[slot]);
                if (p == null) {
                    continue; // counted by the receiver
                }
                p.copyIn(0, frames[slot], 0, lengths[slot]);
                to.upper.input(p);
            }
        }
        return n;
    }

    /** Pumps until no frame is waiting (at most {@code maxRounds} rounds). */
    public int pumpUntilIdle(int maxRounds) {
        int total = 0;
        for (int r = 0; r < maxRounds && count > 0; r++) {
            total += pump();
        }
        return total;
    }

    /** Drops whatever waits (the pools of the receivers are untouched). */
    public void clear() {
        head = 0;
        count = 0;
    }
}
