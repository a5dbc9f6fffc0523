package io.jwip.netif;

import io.jwip.buf.Pbuf;

/** Where a {@link Netif} hands the packets its link received: the IPv4 layer. */
public interface NetifInput {
    /** A received IPv4 packet, starting at its header, from {@code inp}. Takes {@code p}. */
    void input(Pbuf p, Netif inp, int checksumsVerified);
}
