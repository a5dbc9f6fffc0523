package io.jwip.dhcp;

/** Hears a DHCP client's trace: every state change, with why (a constant string), after it happened. */
public interface DhcpListener {
    /**
     * The client went from {@code from} to {@code to} ({@link DhcpState}) at {@code now}. In BOUND the
     * lease's address, mask, router, DNS servers and times are readable from the client.
     */
    void transition(DhcpClient client, int from, int to, String why, long now);
}
