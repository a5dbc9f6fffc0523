package io.jwip.netif;

import io.jwip.buf.Pbuf;

/** What a {@link Link} delivers received packets to: a {@link Netif}, or a decorator on the way to one. */
public interface LinkUpper {
    /**
     * Allocates a buffer (chain) for a received packet of {@code len} bytes from the stack's pool.
     *
     * @return the buffer, owned by the caller, or null if the pool is empty (already counted as a drop)
     */
    Pbuf allocInput(int len);

    /** Hands a received IPv4 packet to the stack. Takes {@code p}: the link must not touch it afterwards. */
    void input(Pbuf p);
}
