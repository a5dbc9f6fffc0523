package io.jwip.eth;

/** Hears what address conflict detection (RFC 5227) found on an Ethernet netif: the DHCP client does. */
public interface AddressListener {
    /** The probes for {@code ip} went unanswered: it may be used now. */
    void probed(int ip);

    /**
     * Another host, {@code mac}, claims {@code ip}: while it was probed ({@code whileProbing}: do not use it;
     * a DHCP client declines it) or while in use (defended once per 10 s; a second conflict should end its use).
     */
    void conflict(int ip, long mac, boolean whileProbing);
}
