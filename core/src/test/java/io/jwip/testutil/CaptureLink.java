package io.jwip.testutil;

import io.jwip.Err;
import io.jwip.buf.Pbuf;
import io.jwip.netif.Link;
import io.jwip.netif.LinkUpper;

import java.util.ArrayDeque;

/** A test link: every packet the stack transmits is copied out and queued; tests inject packets by hand. */
public final class CaptureLink implements Link {
    /** What the stack sent, oldest first (copies). */
    public final ArrayDeque<byte[]> sent = new ArrayDeque<>();
    private LinkUpper upper;

    @Override
    public void attach(LinkUpper upper) {
        this.upper = upper;
    }

    @Override
    public int output(Pbuf p) {
        byte[] b = new byte[p.totalLength()];
        p.copyOut(0, b, 0, b.length);
        sent.addLast(b);
        return Err.OK;
    }

    /** Delivers {@code packet} to the stack as if received. Returns false if no buffer was available. */
    public boolean inject(byte[] packet) {
        return inject(packet, packet.length);
    }

    public boolean inject(byte[] packet, int len) {
        Pbuf p = upper.allocInput(len);
        if (p == null) {
            return false;
        }
        p.copyIn(0, packet, 0, len);
        upper.input(p);
        return true;
    }

    /** The oldest transmitted packet not yet taken, or null. */
    public byte[] poll() {
        return sent.pollFirst();
    }

    /** Takes the oldest packet, failing if there is none. */
    public byte[] take() {
        byte[] b = sent.pollFirst();
        if (b == null) {
            throw new AssertionError("expected a packet to be sent, none was");
        }
        return b;
    }

    public int pending() {
        return sent.size();
    }

    public void clear() {
        sent.clear();
    }
}
