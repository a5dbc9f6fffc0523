package io.jwip.port;

/**
 * Something on a port's thread with deadlines of its own, besides the stacks' (a service's request
 * timeouts, a periodic stats line): the loop wakes for them as it wakes for the stacks' timers.
 */
public interface Timed {
    /** When it must run next, on the loop's clock in ms, or {@code Stack.NO_DEADLINE}. */
    long nextDeadline();
}
