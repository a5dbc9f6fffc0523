package io.jwip.ip;

import io.jwip.netif.Netif;

/**
 * What IPv4 input learnt about the datagram being delivered right now (lwIP's {@code ip_data}). Valid only
 * during the upcall from {@link Ip4#input}; one instance per stack, reused for every datagram.
 */
public final class IpRx {
    /** Source address. */
    public int src;
    /** Destination address as received (may be a broadcast address). */
    public int dst;
    /** IPv4 header length in bytes. */
    public int headerLength;
    /** Protocol number. */
    public int protocol;
    /** True if the destination was a broadcast address. */
    public boolean broadcast;
    /** The netif the datagram came in on. */
    public Netif netif;
}
