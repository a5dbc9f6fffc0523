package io.jwip;

/**
 * The stack's notion of now, in milliseconds: the time of the latest {@code Stack.timers(now)} call. The
 * stack reads no clock; the port passes its time into {@code timers}, and every layer that needs the time
 * (timeouts, timestamps, rate limits) is handed this one object at construction and reads it here.
 */
public final class StackTime {
    /** A deadline that never comes: what a timer entry returns when nothing is scheduled. */
    public static final long NO_DEADLINE = Long.MAX_VALUE;

    private long now;

    /** Milliseconds, as the port last passed them to the stack's timers. */
    public long now() {
        return now;
    }

    /** Moves the time forward (never back); only the stack's timer entry calls this. */
    public void advanceTo(long ms) {
        if (ms > now) {
            now = ms;
        }
    }
}
