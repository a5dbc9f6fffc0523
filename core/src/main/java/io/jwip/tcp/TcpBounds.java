package io.jwip.tcp;

import io.jwip.JwipOptions;

/**
 * How long each TCP state can hold a connection, whatever the peer does, computed from the options: the
 * promise that a small device cannot be held in a half-open or teardown state. Every state but LISTEN,
 * an idle ESTABLISHED and CLOSE_WAIT (which wait for the application, not the peer) has a bound after which
 * the connection is released; {@code budget} prints them and the README quotes them.
 *
 * <ul>
 *   <li>SYN_SENT, SYN_RCVD: {@link JwipOptions#tcpSynMaxRtx} retransmissions of the SYN from
 *       {@link JwipOptions#tcpRtoInitialMs}, doubling up to {@link JwipOptions#tcpRtoMaxMs}. SYN_RCVD is
 *       also bounded in number by the backlogs (SYN cookies beyond them) and reclaimed first when a real
 *       connection needs a control block.</li>
 *   <li>ESTABLISHED or CLOSE_WAIT with data unacknowledged, FIN_WAIT_1, CLOSING, LAST_ACK:
 *       {@link JwipOptions#tcpMaxRtx} retransmissions from the current RTO (at worst
 *       {@link JwipOptions#tcpRtoMaxMs} each).</li>
 *   <li>A zero window: {@link JwipOptions#tcpMaxRtx} probes without progress once the application has
 *       closed, or unanswered; the interval doubles up to {@link JwipOptions#tcpPersistMaxMs}. A live peer
 *       may keep the window of a connection the application still holds closed forever (RFC 1122
 *       4.2.2.17): that bound is the application's.</li>
 *   <li>FIN_WAIT_2 after the application's close: {@link JwipOptions#tcpFinWait2TimeoutMs}.</li>
 *   <li>TIME_WAIT: 2 * {@link JwipOptions#tcpMslMs}, in a table of {@link JwipOptions#tcpTimeWait} entries
 *       whose oldest is recycled when it is full.</li>
 *   <li>Idle ESTABLISHED: unbounded unless keepalive is on ({@link JwipOptions#tcpKeepIdleMs} +
 *       {@link JwipOptions#tcpKeepCount} * {@link JwipOptions#tcpKeepIntervalMs}); services bound their
 *       own (the HTTP server's header and idle timeouts).</li>
 * </ul>
 */
public final class TcpBounds {
    private TcpBounds() {}

    /** Time from the first transmission until the give-up after {@code rtx} retransmissions. */
    static long giveUp(long first, long cap, int rtx) {
        long sum = 0;
        long t = first < cap ? first : cap;
        for (int i = 0; i <= rtx; i++) {
            sum += t;
            t = t * 2 < cap ? t * 2 : cap;
        }
        return sum;
    }

    /** Longest time in SYN_SENT or SYN_RCVD. */
    public static long handshakeMs(JwipOptions o) {
        return giveUp(o.tcpRtoInitialMs, o.tcpRtoMaxMs, o.tcpSynMaxRtx);
    }

    /** Longest time data or a FIN can go unacknowledged before the connection is given up (RTO at worst). */
    public static long retransmitMs(JwipOptions o) {
        return giveUp(o.tcpRtoMaxMs, o.tcpRtoMaxMs, o.tcpMaxRtx);
    }

    /** As {@link #retransmitMs} when the RTO was {@code rto} at the first loss. */
    public static long retransmitMs(JwipOptions o, int rto) {
        return giveUp(rto, o.tcpRtoMaxMs, o.tcpMaxRtx);
    }

    /** Longest zero-window hold of a connection the application closed (or whose peer went silent). */
    public static long persistMs(JwipOptions o) {
        return persistMs(o, o.tcpRtoMaxMs);
    }

    /**
     * As {@link #persistMs(JwipOptions)} when the RTO was {@code rto}: the first probe waits one RTO, each
     * next one twice as long up to {@link JwipOptions#tcpPersistMaxMs}, and the expiry after
     * {@link JwipOptions#tcpMaxRtx} probes gives up.
     */
    public static long persistMs(JwipOptions o, int rto) {
        long sum = rto;
        long t = rto;
        for (int i = 1; i <= o.tcpMaxRtx; i++) {
            t = t * 2 < o.tcpPersistMaxMs ? t * 2 : o.tcpPersistMaxMs;
            sum += t;
        }
        return sum;
    }

    /** Longest idle time of an ESTABLISHED connection with keepalive on. */
    public static long keepaliveMs(JwipOptions o) {
        return o.tcpKeepIdleMs + (long) o.tcpKeepCount * o.tcpKeepIntervalMs;
    }

    /** The bounds as a table: state, longest hold, what releases it. */
    public static StringBuilder table(JwipOptions o, StringBuilder sb) {
        sb.append("STATE BOUNDS (whatever the peer does)\n");
        row(sb, "SYN_SENT, SYN_RCVD", secs(handshakeMs(o)), "tcpSynMaxRtx SYN retransmissions from tcpRtoInitialMs;"
                + " SYN_RCVD also at most the backlogs (SYN cookies beyond)");
        row(sb, "unacknowledged data or FIN", "<= " + secs(retransmitMs(o)),
                "tcpMaxRtx retransmissions (" + secs(retransmitMs(o, o.tcpRtoInitialMs)) + " from a "
                        + secs(o.tcpRtoInitialMs) + " RTO): ESTABLISHED, CLOSE_WAIT, FIN_WAIT_1, CLOSING, LAST_ACK");
        row(sb, "zero window after close", "<= " + secs(persistMs(o)),
                "tcpMaxRtx probes without progress, interval up to tcpPersistMaxMs");
        row(sb, "FIN_WAIT_2 after close", secs(o.tcpFinWait2TimeoutMs), "tcpFinWait2TimeoutMs");
        row(sb, "TIME_WAIT", secs(2L * o.tcpMslMs), "2 * tcpMslMs; " + o.tcpTimeWait
                + " entries (tcpTimeWait), the oldest recycled when full");
        row(sb, "idle ESTABLISHED", o.tcpKeepalive ? secs(keepaliveMs(o)) : "application",
                o.tcpKeepalive ? "keepalive" : "keepalive off (tcpKeepalive); services time out their own");
        row(sb, "out-of-order data", "pool dry", "at most tcpOooMaxPbufs buffers of all connections, dropped"
                + " first when the pool runs dry");
        return sb;
    }

    private static void row(StringBuilder sb, String state, String bound, String what) {
        sb.append("  ").append(state);
        for (int i = state.length(); i < 28; i++) {
            sb.append(' ');
        }
        sb.append(bound);
        for (int i = bound.length(); i < 12; i++) {
            sb.append(' ');
        }
        sb.append(what).append('\n');
    }

    static String secs(long ms) {
        if (ms % 1000 == 0) {
            return (ms / 1000) + " s";
        }
        return (ms / 1000) + "." + ((ms % 1000) / 100) + " s";
    }
}
