package io.jwip.ip;

import io.jwip.buf.Pbuf;

/**
 * How a layer reports a datagram it cannot deliver (RFC 792, RFC 1122 3.2.2): ICMP implements it, IPv4
 * (protocol unreachable, forwarding, reassembly timeout) and UDP (port unreachable) use it. The
 * implementation decides whether an error may be sent at all (never about an error, a broadcast or a
 * non-first fragment; rate limited).
 */
public interface IpErrors {
    /**
     * An error about {@code orig} (a datagram starting at its IP header), quoting its header and first 8 data
     * bytes. Uses {@code orig}.
     *
     * @param extra the 32-bit word after the checksum (next-hop MTU for "fragmentation needed", else 0)
     */
    void sendError(Pbuf orig, int type, int code, int extra);
}
