package io.jwip.port;

/** Where a port gets the time it passes to {@code Stack.timers}; tests pass a virtual one. */
public interface Clock {
    /** Milliseconds on a monotonic scale (never goes backwards). */
    long nowMillis();

    /** The JVM's monotonic clock ({@link System#nanoTime()}), in milliseconds since the clock was made. */
    static Clock system() {
        final long base = System.nanoTime();
        return () -> (System.nanoTime() - base) / 1_000_000L;
    }
}
