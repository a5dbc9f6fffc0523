package io.jwip.ip;

import io.jwip.netif.Netif;

/**
 * The IPv4 header of the datagram being delivered, parsed once by {@link Ip4#input} and handed to the
 * protocol above (lwIP's {@code ip_data}). Valid only during that call; one instance per stack, reused.
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
    /** Checksums already verified for this datagram ({@code Netif.CSUM_*}: by its netif's link, or per packet). */
    public int checksumsVerified;

    /** True if the checksum of IP protocol {@code proto} (0: the IPv4 header) needs no check. */
    public boolean checksumVerified(int proto) {
        return proto < 32 && (checksumsVerified & (1 << proto)) != 0;
    }
}
