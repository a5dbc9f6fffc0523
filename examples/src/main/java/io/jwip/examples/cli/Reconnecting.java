package io.jwip.examples.cli;

import io.jwip.buf.Pbuf;
import io.jwip.netif.Link;
import io.jwip.netif.LinkUpper;
import io.jwip.netif.Netif;
import io.jwip.netif.Pollable;
import io.jwip.netif.Readiness;
import io.jwip.netif.Wakeup;
import io.jwip.netif.slip.SlipLink;
import io.jwip.port.Clock;
import io.jwip.port.Timed;
import io.jwip.stack.Stack;

import java.io.IOException;
import java.io.PrintStream;

/**
 * {@code --reconnect}: a serial or slip-tcp link that is reopened when its line goes down, after 1 s,
 * then 2, 4, ... up to 30 s between attempts, and brings its netif back up when the line is back. While it
 * is down the netif drops what it would send (counted as link down). Opening runs on the loop's thread:
 * a slip-tcp attempt may hold the loop for up to its 5 s connect timeout.
 */
final class Reconnecting implements Link, Pollable, Readiness, Timed, AutoCloseable {
    static final long FIRST_BACKOFF_MS = 1000;
    static final long MAX_BACKOFF_MS = 30_000;

    private final NetifSpec spec;
    private final int index;
    private final Clock clock;
    private final PrintStream out;
    private SlipLink inner;
    private LinkUpper upper;
    private Wakeup wakeup;
    private Netif netif;
    private long nextAttempt = Stack.NO_DEADLINE;
    private long backoff = FIRST_BACKOFF_MS;
    private int reconnects;

    private Reconnecting(NetifSpec spec, int index, Clock clock, PrintStream out, SlipLink first) {
        this.spec = spec;
        this.index = index;
        this.clock = clock;
        this.out = out;
        this.inner = first;
    }

    /** Opens the link the first time (a failure here is the command's failure, as without the option). */
    static NetifSpec.Opened open(NetifSpec spec, int index, Clock clock, PrintStream out) throws IOException {
        NetifSpec.Opened first = spec.open(index);
        Reconnecting r = new Reconnecting(spec, index, clock, out, (SlipLink) first.link());
        return new NetifSpec.Opened(r, r, r, first.mtu(), first.name(), first.txChecksums());
    }

    /** The netif on this link, brought up again after a reconnect. */
    void netif(Netif n) {
        this.netif = n;
    }

    /** How many times the line was reopened. */
    int reconnects() {
        return reconnects;
    }

    @Override
    public void attach(LinkUpper upper) {
        this.upper = upper;
        inner.attach(upper);
    }

    @Override
    public int output(Pbuf p) {
        return inner.output(p);
    }

    @Override
    public int fd() {
        return NO_FD;
    }

    @Override
    public boolean signalWith(Wakeup w) {
        this.wakeup = w;
        return inner.signalWith(w);
    }

    @Override
    public boolean poll() {
        if (inner.isUp()) {
            return inner.poll();
        }
        long now = clock.nowMillis();
        if (nextAttempt == Stack.NO_DEADLINE) {
            nextAttempt = now + backoff;
            return false;
        }
        if (now < nextAttempt) {
            return false;
        }
        try {
            SlipLink fresh = (SlipLink) spec.open(index).link();
            inner.close();
            inner = fresh;
            fresh.attach(upper);
            if (wakeup != null) {
                fresh.signalWith(wakeup);
            }
            if (netif != null) {
                netif.setUp(true);
            }
            reconnects++;
            backoff = FIRST_BACKOFF_MS;
            nextAttempt = Stack.NO_DEADLINE;
            out.println("link " + spec + " is back up (reconnect " + reconnects + ")");
            return true;
        } catch (IOException e) {
            backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
            nextAttempt = now + backoff;
            out.println("link " + spec + ": reconnect failed: " + e.getMessage() + "; next try in " + backoff / 1000 + " s");
            return false;
        }
    }

    @Override
    public long nextDeadline() {
        return inner.isUp() ? Stack.NO_DEADLINE : nextAttempt == Stack.NO_DEADLINE ? clock.nowMillis() : nextAttempt;
    }

    @Override
    public void close() {
        inner.close();
    }
}
