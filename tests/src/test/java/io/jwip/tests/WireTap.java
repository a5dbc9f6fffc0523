package io.jwip.tests;

import io.jwip.buf.Pbuf;
import io.jwip.netif.Link;
import io.jwip.netif.LinkUpper;

/**
 * A test decorator between a netif and its link that keeps a copy of the last packet sent and can tamper
 * with the next packet received (flip one byte at a given offset), to test what the receiver checks.
 */
final class WireTap implements Link, LinkUpper {
    private final Link inner;
    private LinkUpper upper;
    final byte[] lastSent = new byte[65536];
    int lastSentLength;
    long sent;
    /** Offset (from the IP header) of the bytes to change in the next packet received; -1 for none. */
    int tamperOffset = -1;
    /** How many bytes to change from {@link #tamperOffset}. */
    int tamperLength = 1;
    /** Value to write, or -1 to invert each byte. */
    int tamperValue = -1;

    WireTap(Link inner) {
        this.inner = inner;
    }

    @Override
    public void attach(LinkUpper upper) {
        this.upper = upper;
        inner.attach(this);
    }

    @Override
    public int output(Pbuf p) {
        sent++;
        lastSentLength = p.copyOut(0, lastSent, 0, p.totalLength());
        return inner.output(p);
    }

    @Override
    public Pbuf allocInput(int len) {
        return upper.allocInput(len);
    }

    @Override
    public void drop(int reason) {
        upper.drop(reason);
    }

    @Override
    public void linkDown(String reason) {
        upper.linkDown(reason);
    }

    @Override

    public void input(Pbuf p, int checksumsVerified) {

        input(p);

    }


    @Override
    public void input(Pbuf p) {
        if (tamperOffset >= 0 && tamperOffset + tamperLength <= p.totalLength()) {
            for (int i = tamperOffset; i < tamperOffset + tamperLength; i++) {
                byte v = (byte) (tamperValue < 0 ? ~p.getByte(i) : tamperValue);
                p.copyIn(i, new byte[] {v}, 0, 1);
            }
            tamperOffset = -1;
        }
        upper.input(p);
    }
}
