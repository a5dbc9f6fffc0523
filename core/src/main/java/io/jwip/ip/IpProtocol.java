package io.jwip.ip;

import io.jwip.buf.Pbuf;

/**
 * A protocol above IPv4 - ICMP, UDP and TCP all plug in this way ({@link Ip4#register}): IPv4 input
 * validates the datagram, reassembles it, and hands it over with its parsed header.
 */
public interface IpProtocol {
    /**
     * A datagram for this protocol arrived. {@code p} starts at the IP header; {@code ip} is that header,
     * parsed (valid during this call only). Takes {@code p}.
     */
    void input(Pbuf p, IpRx ip);

    /** Runs the protocol's timers; returns the next deadline or {@link io.jwip.StackTime#NO_DEADLINE}. */
    long timers(long now);
}
