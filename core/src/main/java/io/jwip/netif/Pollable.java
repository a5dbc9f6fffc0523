package io.jwip.netif;

/**
 * A link (or any source of work) that the stack's owner thread polls: {@link #poll()} reads whatever the
 * medium has ready without blocking and hands it to the stack. The single-threaded port calls it in its
 * loop; the threaded port calls it from the stack thread.
 */
public interface Pollable {
    /**
     * Does whatever work is ready now, without blocking.
     *
     * @return true if anything was done (so the caller polls again before sleeping)
     */
    boolean poll();
}
