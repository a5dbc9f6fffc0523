package io.jwip;

/**
 * The stack's random numbers: SipHash-2-4 of a counter under a 128-bit secret, so that what an off-path
 * attacker must guess (DNS transaction IDs and source ports, RFC 5452; DHCP transaction IDs) cannot be
 * predicted from earlier values without the secret, and jitter (ARP probe waits, DHCP backoff) is spread.
 *
 * <p>The stack reads no entropy source (core has no clock and no {@code SecureRandom}): the port hands a
 * secret in with {@link #setSecret} at start-up. Until it does, the sequence is the same in every run,
 * which is what deterministic tests want and what a device must not ship with ({@link #keyed()} says
 * which). Allocates nothing.
 */
public final class StackRandom {
    private long k0;
    private long k1;
    private long counter;
    private boolean keyed;

    /** Keys the generator (from {@code SecureRandom} on a JVM, a hardware RNG on a device). */
    public void setSecret(long k0, long k1) {
        this.k0 = k0;
        this.k1 = k1;
        this.keyed = true;
    }

    /** True once {@link #setSecret} was called. */
    public boolean keyed() {
        return keyed;
    }

    /** 64 random bits. */
    public long next() {
        return SipHash.hash(k0, k1, counter++, 0x6a77697072616e64L);
    }

    /** A uniform value in [0, bound), bound positive. */
    public int below(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive");
        }
        // 64 random bits reduced modulo a 31-bit bound: the bias is below 2^-33.
        return (int) ((next() >>> 1) % bound);
    }
}
