package io.jwip.netif;

import io.jwip.StackRandom;
import io.jwip.StackTime;
import io.jwip.buf.PbufPool;
import io.jwip.stats.Stats;

import io.jwip.buf.Pbuf;

/**
 * The driver under a {@link Netif}: something that moves whole IPv4 packets to and from a medium (a SLIP
 * line, a TUN device, an in-memory wire, a capture decorator around another link).
 *
 * <p>Links are pluggable and may be stacked: a decorator implements both {@code Link} (towards the
 * medium) and {@link LinkUpper} (towards the stack), attaching itself to the link it wraps.
 */
public interface Link {
    /**
     * Called once when the netif is created: received packets go to {@code upper}. A decorator remembers
     * {@code upper} and attaches itself to the link it wraps.
     */
    void attach(LinkUpper upper);

    /**
     * Transmits one IPv4 packet that starts at {@code p.offset()}.
     *
     * <p>The link <b>uses</b> {@code p}: the caller keeps its reference, and the link must copy the bytes
     * (or call {@link Pbuf#ref()} and free later) before returning; it must not change {@code p}.
     *
     * @return {@code Err.OK}, or a negative error code (e.g. {@code Err.MEM} when its queue is full)
     */
    int output(Pbuf p);

    /**
     * Called once when the netif joins a stack. A link with a protocol of its own (Ethernet's ARP) takes
     * the stack's pool, counters, time and random numbers here; a plain link ignores it.
     */
    default void joined(PbufPool pool, Stats stats, StackTime time, StackRandom random) {
    }

    /** The netif's address changed ({@code Netif.configure}); 0 means none yet (a DHCP client's start). */
    default void addressChanged(int address, int netmask, int gateway) {
    }

    /**
     * Runs the link's timers (ARP retries and ageing) at the stack's time {@code now}.
     *
     * @return when to be called next, or {@link StackTime#NO_DEADLINE}
     */
    default long timers(long now) {
        return StackTime.NO_DEADLINE;
    }
}
