package io.jwip.netif.mem;

/**
 * What an {@link InMemoryLink} does wrong on purpose: seeded, reproducible loss, duplication, reordering
 * and delay, on the link's virtual clock.
 *
 * <p>Each direction of the wire draws from its own {@link SplitMix64} seeded from {@link #seed} (the
 * direction from end b gets a different but fixed derivation), so a run is reproducible from the seed and
 * the order of calls alone. For every frame accepted by {@code output}, in this order:
 * <ol>
 *   <li>with probability {@link #loss} the frame is lost (counted, {@code output} still says OK: the
 *       sender of a real wire does not learn of a loss either);</li>
 *   <li>its delivery time is {@code now + delayMs + uniform[0, jitterMs]};</li>
 *   <li>with probability {@link #reorder} it is held back a further {@link #reorderDelayMs}, so that frames
 *       sent after it overtake it;</li>
 *   <li>with probability {@link #duplicate} a second copy is queued with the same delivery time (when the
 *       ring has room for it).</li>
 * </ol>
 * Jitter can reorder too. The link counts a frame as reordered when it is delivered after a frame that was
 * sent later.
 *
 * <p>Set the fields, then give the object to {@link InMemoryLink#setFaults(Faults)}; the link copies the
 * values, so later changes to this object change nothing until it is set again.
 */
public final class Faults {
    /** Seed of the pseudo-random choices. */
    public long seed = 1;
    /** Probability in [0, 1] that a frame is lost. */
    public double loss;
    /** Probability in [0, 1] that a frame is delivered twice. */
    public double duplicate;
    /** Probability in [0, 1] that a frame is held back by {@link #reorderDelayMs}. */
    public double reorder;
    /** Extra delay of a held-back frame, in milliseconds. Default 50. */
    public long reorderDelayMs = 50;
    /** Fixed one-way delay of every frame, in milliseconds. */
    public long delayMs;
    /** Random extra delay, uniform in [0, jitterMs] milliseconds. */
    public long jitterMs;

    /** No faults at all (a perfect wire with no delay). */
    public static Faults none() {
        return new Faults();
    }

    public Faults seed(long v) { seed = v; return this; }
    public Faults loss(double v) { loss = v; return this; }
    public Faults duplicate(double v) { duplicate = v; return this; }
    public Faults reorder(double v) { reorder = v; return this; }
    public Faults reorderDelayMs(long v) { reorderDelayMs = v; return this; }
    public Faults delayMs(long v) { delayMs = v; return this; }
    public Faults jitterMs(long v) { jitterMs = v; return this; }

    /** A copy with the same values. */
    public Faults copy() {
        return new Faults().seed(seed).loss(loss).duplicate(duplicate).reorder(reorder)
                .reorderDelayMs(reorderDelayMs).delayMs(delayMs).jitterMs(jitterMs);
    }

    /** @return null if the values are usable, else a reason naming the field */
    public String validate() {
        if (!(loss >= 0 && loss <= 1)) return "loss must be in [0, 1] (is " + loss + ")";
        if (!(duplicate >= 0 && duplicate <= 1)) return "duplicate must be in [0, 1] (is " + duplicate + ")";
        if (!(reorder >= 0 && reorder <= 1)) return "reorder must be in [0, 1] (is " + reorder + ")";
        if (reorderDelayMs < 0) return "reorderDelayMs must be >= 0 (is " + reorderDelayMs + ")";
        if (delayMs < 0) return "delayMs must be >= 0 (is " + delayMs + ")";
        if (jitterMs < 0 || jitterMs > Integer.MAX_VALUE - 1) return "jitterMs must be 0..2^31-2 (is " + jitterMs + ")";
        return null;
    }

    /** True if this changes nothing (no loss, duplication, reordering or delay). */
    public boolean isNone() {
        return loss == 0 && duplicate == 0 && reorder == 0 && delayMs == 0 && jitterMs == 0;
    }

    @Override
    public String toString() {
        return "Faults{seed=" + seed + ", loss=" + loss + ", duplicate=" + duplicate + ", reorder=" + reorder
                + "/" + reorderDelayMs + "ms, delay=" + delayMs + "ms+" + jitterMs + "ms}";
    }
}
