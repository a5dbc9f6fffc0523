package io.jwip.port;

/**
 * How a poll loop waits when there is nothing to do: sleeps up to a time, unless woken earlier.
 * {@link #sleeping()} is the real one; a virtual-time loop advances its clock instead.
 */
public interface Idler {
    /** Waits at most {@code ms} milliseconds (0: return at once). */
    void idle(long ms) throws InterruptedException;

    /** Sleeps the calling thread with {@link Thread#sleep(long)}. */
    static Idler sleeping() {
        return ms -> {
            if (ms > 0) {
                Thread.sleep(ms);
            }
        };
    }

    /** For a {@link VirtualClock}: "waiting" moves the clock to the deadline at once. */
    static Idler virtual(VirtualClock clock) {
        return clock::advance;
    }
}
