package io.jwip.netif;

import io.jwip.buf.Pbuf;

/**
 * What a {@link Link} delivers to and reports to: a {@link Netif}, or a decorator on the way to one (a
 * capture link forwards every call). A link needs nothing else from the stack, so no link looks behind
 * this interface to find the netif.
 */
public interface LinkUpper {
    /**
     * Allocates a buffer (chain) for a received packet of {@code len} bytes from the stack's pool.
     *
     * @return the buffer, owned by the caller, or null if the pool is empty (already counted as a drop)
     */
    Pbuf allocInput(int len);

    /** Hands a received IPv4 packet to the stack. Takes {@code p}: the link must not touch it afterwards. */
    void input(Pbuf p);

    /**
     * As {@link #input(Pbuf)}, for a packet whose checksums in {@code checksumsVerified} ({@code Netif.CSUM_*}
     * bits) the link or the host has already verified, or whose checksums are left partial because it was
     * made on this host (a TUN device with checksum offload hands such packets over): the stack does not
     * check those again. A decorator forwards the bits unchanged.
     */
    void input(Pbuf p, int checksumsVerified);

    /** Counts a frame or packet the link dropped, by reason (one of {@code io.jwip.stats.Drop}'s). */
    void drop(int reason);

    /**
     * The medium went away (a serial line hung up, a device vanished): the netif goes down and keeps
     * {@code reason}, in words a person can act on, as its {@link Netif#downReason()}.
     */
    void linkDown(String reason);
}
