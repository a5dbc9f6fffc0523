package io.jwip.stack;

/** Something with timers of its own that the stack runs with its own ({@link Stack#addTimer}). */
public interface StackTimer {
    /**
     * Runs what is due at {@code now} (the stack's time); allocates nothing.
     *
     * @return when to be called next, or {@link Stack#NO_DEADLINE}
     */
    long timers(long now);
}
