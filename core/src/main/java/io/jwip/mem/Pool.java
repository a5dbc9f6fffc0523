package io.jwip.mem;

/**
 * A fixed-size pool of preallocated entries with lwIP-style accounting (memp).
 *
 * <p>All entries are created at start-up by {@link #add(PoolEntry)}; the pool never grows. Taking from an
 * empty pool returns {@code null} and increments {@link #err()}: the caller must treat that as
 * {@code Err.MEM}. Taking and giving are O(1) and allocate nothing.
 *
 * <p>{@code avail} is the number of entries the pool was built with, {@code used} how many are out now,
 * {@code max} the high-water mark of {@code used}, and {@code err} how many takes failed.
 */
public final class Pool {
    private final String name;
    private final int elementBytes;
    private PoolEntry free;
    private int capacity;
    private int used;
    private int max;
    private long err;
    private boolean cache;

    /**
     * @param name         the name shown in stats, e.g. {@code "PBUF_POOL"}
     * @param elementBytes the configured payload size of one entry in bytes (for the memory budget)
     */
    public Pool(String name, int elementBytes) {
        this.name = name;
        this.elementBytes = elementBytes;
    }

    /** Adds one freshly made entry at start-up. */
    public void add(PoolEntry e) {
        if (e.pool != null) {
            throw new IllegalStateException("entry already belongs to pool " + e.pool.name);
        }
        e.pool = this;
        e.allocated = false;
        e.nextFree = free;
        free = e;
        capacity++;
    }

    /** Takes an entry, or returns null (and counts an error) when the pool is empty. */
    public PoolEntry take() {
        PoolEntry e = free;
        if (e == null) {
            err++;
            return null;
        }
        free = e.nextFree;
        e.nextFree = null;
        e.allocated = true;
        if (++used > max) {
            max = used;
        }
        return e;
    }

    /** Returns an entry. Giving back an entry that is not allocated is a bug and throws. */
    public void give(PoolEntry e) {
        if (e.pool != this) {
            throw new IllegalStateException("entry of pool " + (e.pool == null ? "none" : e.pool.name)
                    + " given to pool " + name);
        }
        if (!e.allocated) {
            throw new IllegalStateException("double free in pool " + name);
        }
        e.allocated = false;
        e.nextFree = free;
        free = e;
        used--;
    }

    /** Counts a failure that happened outside {@link #take()} (e.g. a chain that could not be completed). */
    public void countError() {
        err++;
    }

    public String name() { return name; }
    /** Entries this pool was built with. */
    public int capacity() { return capacity; }
    /** Entries free now. */
    public int avail() { return capacity - used; }
    /** Entries in use now. */
    public int used() { return used; }
    /** High-water mark of {@link #used()}. */
    public int max() { return max; }
    /** Failed takes since start-up. */
    public long err() { return err; }
    /** Configured size of one element's payload in bytes, for budgets. */
    public int elementBytes() { return elementBytes; }
    /** True when every entry is back in the pool. */
    public boolean isFull() { return used == 0; }

    /**
     * Marks this pool as a cache (the ARP cache): its entries stay in use by design, hold no buffer, and
     * are taken back when a new one is needed, so "every pool is full" ({@code Stats.allPoolsFull}) does not
     * wait for them.
     */
    public Pool setCache(boolean cache) {
        this.cache = cache;
        return this;
    }

    /** True for a cache (see {@link #setCache}). */
    public boolean isCache() { return cache; }

    /** Resets the high-water mark and the error counter (not the contents). */
    public void resetCounters() {
        max = used;
        err = 0;
    }
}
