package io.jwip.netif.mem;

/**
 * A tiny seeded pseudo-random generator (Steele, Lea and Flood's SplitMix64), so that fault injection is
 * reproducible from a seed on every JVM and allocates nothing. Not for anything that needs to be
 * unpredictable.
 *
 * <p>The state is a 64-bit counter advanced by the golden-ratio increment; each output is the counter
 * put through a fixed mixing function. Equal seeds give equal sequences.
 */
public final class SplitMix64 {
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
    /** Scale of {@link #nextDouble()}: 2^-53, so the 53 high bits become a double in [0, 1). */
    private static final double DOUBLE_UNIT = 1.0 / (1L << 53);

    private long state;

    public SplitMix64(long seed) {
        this.state = seed;
    }

    /** Restarts the sequence from {@code seed}. */
    public void reseed(long seed) {
        this.state = seed;
    }

    /** The next 64 random bits. */
    public long nextLong() {
        long z = (state += GOLDEN_GAMMA);
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1). */
    public double nextDouble() {
        return (nextLong() >>> 11) * DOUBLE_UNIT;
    }

    /** Uniform in [0, bound); {@code bound} must be positive. */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive");
        }
        // Multiply-shift of 31 random bits: the bias is below 2^-31 per value, irrelevant for fault injection.
        return (int) (((nextLong() >>> 33) * bound) >>> 31);
    }

    /**
     * True with probability {@code p}. A {@code p} of 0 or less is false without drawing, so a fault that
     * is switched off does not shift the sequence the other faults see.
     */
    public boolean chance(double p) {
        return p > 0 && nextDouble() < p;
    }
}
