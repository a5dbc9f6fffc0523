package io.jwip.netif;

/**
 * Tells the port that owns a stack that there is work for its thread: a packet a reader thread has handed
 * over, a frame queued on an in-memory wire, a call from an application thread. The port's loop then runs
 * a turn at once instead of sleeping until its next deadline. Callable from any thread, any number of
 * times; cheap when the loop is awake (no system call), and allocation-free.
 */
public interface Wakeup {
    void wake();
}
