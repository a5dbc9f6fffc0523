package io.jwip.mem;

/**
 * Base of every object that lives in a {@link Pool}: packet buffers, control blocks, queue entries.
 *
 * <p>Invariant: while {@link #allocated} is false the entry is on its pool's free list and nobody else
 * may hold a reference that they use; {@link #nextFree} is meaningful only in that state.
 */
public abstract class PoolEntry {
    /** Link in the owning pool's free list; only the pool touches it. */
    PoolEntry nextFree;
    /** True between {@link Pool#take()} and {@link Pool#give(PoolEntry)}. */
    boolean allocated;
    /** The pool this entry was made for; an entry never moves between pools. */
    Pool pool;

    /** True while the entry is allocated (taken from its pool and not yet given back). */
    public final boolean isAllocated() {
        return allocated;
    }

    /** The pool that owns this entry. */
    public final Pool pool() {
        return pool;
    }
}
