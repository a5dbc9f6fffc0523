package io.jwip.eth;

/**
 * The states of an ARP cache entry and their names: one table, used by the cache, the status page,
 * {@code /status.json} and the tests.
 *
 * <pre>
 *   FREE --(packet to an unknown neighbour: request sent)--&gt; INCOMPLETE
 *   INCOMPLETE --(reply or request from it)--&gt; REACHABLE        (queued packets sent)
 *   INCOMPLETE --(arpRequestRetries unanswered)--&gt; FREE        (queued packets dropped, counted)
 *   REACHABLE --(arpReachableMs)--&gt; STALE                      (still used)
 *   STALE --(used: unicast request; answered)--&gt; REACHABLE
 *   STALE --(used, arpRequestRetries unanswered)--&gt; FREE
 *   any but STATIC --(table full, least recently used)--&gt; FREE
 *   STATIC: set by the application, never aged, never replaced by what the wire says
 * </pre>
 */
public final class ArpState {
    private ArpState() {}

    public static final int FREE = 0;
    public static final int INCOMPLETE = 1;
    public static final int REACHABLE = 2;
    public static final int STALE = 3;
    public static final int STATIC = 4;
    public static final int COUNT = 5;

    private static final String[] NAMES = {"FREE", "INCOMPLETE", "REACHABLE", "STALE", "STATIC"};

    public static String name(int state) {
        return state >= 0 && state < COUNT ? NAMES[state] : "UNKNOWN";
    }
}
