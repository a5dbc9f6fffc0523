package io.jwip.dhcp;

/**
 * The DHCP client's states (RFC 2131 figure 5, plus CHECKING for the address conflict probe of RFC 5227
 * that RFC 2131 4.4.1 asks for, and OFF) and their names: one table for the client, its trace and stats.
 *
 * <pre>
 *   OFF --start--&gt; INIT (or INIT_REBOOT with a remembered address)
 *   INIT --DISCOVER--&gt; SELECTING --OFFER / REQUEST--&gt; REQUESTING --ACK--&gt; CHECKING --probes free--&gt; BOUND
 *   REQUESTING --NAK, or no answer--&gt; INIT;  CHECKING --conflict / DECLINE--&gt; INIT (after 10 s)
 *   INIT_REBOOT --REQUEST--&gt; REBOOTING --ACK--&gt; CHECKING;  REBOOTING --NAK, or no answer--&gt; INIT
 *   BOUND --T1 / unicast REQUEST--&gt; RENEWING --ACK--&gt; BOUND;  RENEWING --T2 / broadcast REQUEST--&gt; REBINDING
 *   REBINDING --ACK--&gt; BOUND;  RENEWING, REBINDING --NAK--&gt; INIT;  REBINDING --lease expires--&gt; INIT
 *   any --stop (RELEASE when bound)--&gt; OFF
 * </pre>
 */
public final class DhcpState {
    private DhcpState() {}

    public static final int OFF = 0;
    public static final int INIT = 1;
    public static final int SELECTING = 2;
    public static final int REQUESTING = 3;
    public static final int CHECKING = 4;
    public static final int BOUND = 5;
    public static final int RENEWING = 6;
    public static final int REBINDING = 7;
    public static final int INIT_REBOOT = 8;
    public static final int REBOOTING = 9;
    public static final int COUNT = 10;

    private static final String[] NAMES = {"OFF", "INIT", "SELECTING", "REQUESTING", "CHECKING", "BOUND", "RENEWING",
        "REBINDING", "INIT-REBOOT", "REBOOTING"};

    public static String name(int state) {
        return state >= 0 && state < COUNT ? NAMES[state] : "UNKNOWN";
    }

    /** True in the states where the netif holds the leased address. */
    public static boolean hasLease(int state) {
        return state == BOUND || state == RENEWING || state == REBINDING;
    }
}
