package io.jwip.port.threaded;

/**
 * A request that an application thread hands to the stack thread, and waits on (lwIP's {@code tcpip_msg}
 * / netconn API message). Each socket owns its calls, made once; posting one allocates nothing.
 *
 * <h2>Life of a call</h2>
 * <ol>
 *   <li>The application thread sets the call's parameters and {@link StackThread#post posts} it; that bumps
 *       {@link #generation} and clears {@link #done}.</li>
 *   <li>The stack thread runs {@link #execute()}. It either {@link #complete completes} the call at once, or
 *       parks it (e.g. a read with no data yet) and completes it later from a stack callback.</li>
 *   <li>The application thread waits in {@link #await(long)}; on timeout it {@link #cancel() cancels}, and a
 *       later completion of that generation is ignored.</li>
 * </ol>
 * All hand-over happens under the call's monitor, so the stack thread never writes into an application's
 * array after the application has given up waiting.
 */
public abstract class Call {
    /** Bumped by each post; a parked call remembers the generation it was parked with. */
    long generation;
    private boolean done;
    private boolean cancelled;
    private int result;

    /** Runs on the stack thread. Must call {@link #complete(int)} now or arrange to later. */
    protected abstract void execute();

    /** Completes the call if it is still wanted; returns false if it was cancelled or already done. */
    public final boolean complete(int result) {
        synchronized (this) {
            if (done || cancelled) {
                return false;
            }
            this.result = result;
            this.done = true;
            notifyAll();
            return true;
        }
    }

    /**
     * Runs {@code action} and completes the call with its result, atomically with respect to a cancel:
     * the action (typically a copy into the application's array) runs only if the call is still wanted.
     *
     * @return false if the call was cancelled (the action did not run)
     */
    public final boolean completeWith(Action action) {
        synchronized (this) {
            if (done || cancelled) {
                return false;
            }
            this.result = action.run();
            this.done = true;
            notifyAll();
            return true;
        }
    }

    /**
     * Runs {@code action} under the call's lock if the call is still wanted, without completing it (e.g. a
     * write that copies part of the caller's array, then waits for more room).
     *
     * @return the action's result, or {@link #CANCELLED} if the call was cancelled or done
     */
    public final int runIfWanted(Action action) {
        synchronized (this) {
            if (done || cancelled) {
                return CANCELLED;
            }
            return action.run();
        }
    }

    /** The work done when completing, under the call's lock. */
    public interface Action {
        int run();
    }

    /** True if the call is parked and still wanted (for the stack thread). */
    public final boolean pending() {
        synchronized (this) {
            return !done && !cancelled;
        }
    }

    final void reset() {
        synchronized (this) {
            generation++;
            done = false;
            cancelled = false;
            result = 0;
        }
    }

    /**
     * Waits for completion.
     *
     * @param timeoutMs 0 waits forever
     * @return the result, or {@link #TIMED_OUT} if the time ran out (the call is then cancelled)
     */
    public final int await(long timeoutMs) throws InterruptedException {
        synchronized (this) {
            if (timeoutMs <= 0) {
                while (!done) {
                    wait();
                }
                return result;
            }
            long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
            while (!done) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    cancelled = true;
                    return TIMED_OUT;
                }
                wait(left / 1_000_000L, (int) (left % 1_000_000L));
            }
            return result;
        }
    }

    /** Gives up on the call (e.g. the waiting thread was interrupted). */
    public final void cancel() {
        synchronized (this) {
            if (!done) {
                cancelled = true;
            }
        }
    }

    /** Returned by {@link #runIfWanted} for a call nobody waits for any more; not an {@code Err} code. */
    public static final int CANCELLED = Integer.MIN_VALUE + 1;

    /** Returned by {@link #await(long)} on timeout; not an {@code Err} code. */
    public static final int TIMED_OUT = Integer.MIN_VALUE;
}
