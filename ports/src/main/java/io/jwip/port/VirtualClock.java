package io.jwip.port;

/** A clock that moves only when told to: for deterministic tests and simulations. */
public final class VirtualClock implements Clock {
    private long now;

    public VirtualClock() {
        this(0);
    }

    public VirtualClock(long start) {
        this.now = start;
    }

    @Override
    public long nowMillis() {
        return now;
    }

    /** Moves the clock forward by {@code ms} (never backwards). */
    public void advance(long ms) {
        if (ms < 0) {
            throw new IllegalArgumentException("a clock does not go backwards: " + ms);
        }
        now += ms;
    }

    /** Sets the clock to {@code t} if that is later than now. */
    public void advanceTo(long t) {
        if (t > now) {
            now = t;
        }
    }
}
