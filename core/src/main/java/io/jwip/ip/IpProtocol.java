package io.jwip.ip;

import io.jwip.buf.Pbuf;
import io.jwip.netif.Netif;

/**
 * A transport protocol plugged under IPv4 (TCP is one). ICMP and UDP are built in; TCP is installed with
 * {@link io.jwip.stack.Stack#setTcp}.
 */
public interface IpProtocol {
    /**
     * A datagram for this protocol arrived. {@code p} starts at the IP header; {@link Ip4#current()} has
     * the parsed addresses and header length. Takes {@code p}.
     */
    void input(Pbuf p, Netif inp);

    /** Runs the protocol's timers; returns the next deadline or {@link io.jwip.stack.Stack#NO_DEADLINE}. */
    long timers(long now);
}
