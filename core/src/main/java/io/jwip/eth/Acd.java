package io.jwip.eth;

import io.jwip.StackRandom;
import io.jwip.StackTime;

/**
 * IPv4 Address Conflict Detection (RFC 5227) for one Ethernet netif: probing an address before it is
 * used, announcing it, and defending it while it is used.
 *
 * <pre>
 *   IDLE --probe(a)--&gt; PROBING: PROBE_NUM probes (sender 0.0.0.0, target a), the first after a random
 *                     0..PROBE_WAIT, then every PROBE_MIN..PROBE_MAX; ANNOUNCE_WAIT after the last:
 *   PROBING --no conflict--&gt; ANNOUNCING (the address may be used): ANNOUNCE_NUM announcements
 *                     (sender and target a), ANNOUNCE_INTERVAL apart --&gt; BOUND
 *   PROBING --a packet from another host with sender a, or another probe for a--&gt; CONFLICT
 *   IDLE --announce(a)--&gt; ANNOUNCING (a static address: no probe, announcements only)
 *   ANNOUNCING, BOUND --a packet from another host with sender a--&gt; defend: one announcement if the last
 *                     defence is DEFEND_INTERVAL old, else the conflict is reported (RFC 5227 2.4 (b))
 * </pre>
 *
 * Times are the RFC's constants (seconds): PROBE_WAIT 1, PROBE_NUM 3, PROBE_MIN 1, PROBE_MAX 2,
 * ANNOUNCE_WAIT 2, ANNOUNCE_NUM 2, ANNOUNCE_INTERVAL 2, DEFEND_INTERVAL 10. What is to be sent goes to
 * the {@link Sink}; the outcome goes to the netif's {@link AddressListener}.
 */
final class Acd {
    static final int PROBE_WAIT_MS = 1000;
    static final int PROBE_NUM = 3;
    static final int PROBE_MIN_MS = 1000;
    static final int PROBE_MAX_MS = 2000;
    static final int ANNOUNCE_WAIT_MS = 2000;
    static final int ANNOUNCE_NUM = 2;
    static final int ANNOUNCE_INTERVAL_MS = 2000;
    static final int DEFEND_INTERVAL_MS = 10000;

    static final int IDLE = 0;
    static final int PROBING = 1;
    static final int ANNOUNCING = 2;
    static final int BOUND = 3;
    static final int CONFLICT = 4;
    private static final String[] NAMES = {"IDLE", "PROBING", "ANNOUNCING", "BOUND", "CONFLICT"};

    interface Sink {
        /** An ARP request to broadcast: sender protocol address {@code spa} (0 for a probe), target {@code tpa}. */
        void arpRequest(int spa, int tpa);

        /** The probes found no one else: {@code ip} may be used. */
        void probeDone(int ip);

        /** Another host ({@code mac}) uses or wants {@code ip}. */
        void conflict(int ip, long mac, boolean whileProbing);
    }

    private final Sink sink;
    private StackRandom random;
    private int state = IDLE;
    private int ip;
    private int sent;
    private long next = StackTime.NO_DEADLINE;
    private long lastDefence = Long.MIN_VALUE / 2;
    long conflicts;

    Acd(Sink sink) {
        this.sink = sink;
    }

    void bind(StackRandom random) {
        this.random = random;
    }

    static String name(int s) {
        return NAMES[s];
    }

    int state() {
        return state;
    }

    int address() {
        return ip;
    }

    /** Probes {@code a} before it is used (a DHCP lease). */
    void probe(int a, long now) {
        ip = a;
        state = PROBING;
        sent = 0;
        next = now + (random == null ? 0 : random.below(PROBE_WAIT_MS + 1));
    }

    /** Announces {@code a}, an address that is used from now on (configured by hand). */
    void announce(int a, long now) {
        ip = a;
        state = ANNOUNCING;
        sent = 0;
        next = now;
    }

    /** Stops (the address went away). */
    void stop() {
        state = IDLE;
        ip = 0;
        next = StackTime.NO_DEADLINE;
    }

    long timers(long now) {
        if (now < next) {
            return next;
        }
        if (state == PROBING) {
            if (sent < PROBE_NUM) {
                sink.arpRequest(0, ip);
                sent++;
                next = now + (sent < PROBE_NUM
                        ? PROBE_MIN_MS + (random == null ? 0 : random.below(PROBE_MAX_MS - PROBE_MIN_MS + 1))
                        : ANNOUNCE_WAIT_MS);
            } else {
                state = ANNOUNCING;
                sent = 0;
                next = now;
                sink.probeDone(ip);
            }
        }
        if (state == ANNOUNCING && now >= next) {
            sink.arpRequest(ip, ip);
            sent++;
            if (sent < ANNOUNCE_NUM) {
                next = now + ANNOUNCE_INTERVAL_MS;
            } else {
                state = BOUND;
                next = StackTime.NO_DEADLINE;
            }
        }
        if (state != PROBING && state != ANNOUNCING) {
            next = StackTime.NO_DEADLINE;
        }
        return next;
    }

    /**
     * Every ARP packet received, before the cache sees it ({@code sha} is never our own: the link drops those).
     *
     * @return true if it is a conflict (the cache must not learn from it)
     */
    boolean input(int op, long sha, int spa, int tpa, long now) {
        if (state == IDLE || state == CONFLICT || ip == 0) {
            return false;
        }
        if (state == PROBING) {
            boolean probeForIt = op == io.jwip.wire.ArpHeader.OP_REQUEST && spa == 0 && tpa == ip;
            if (spa == ip || probeForIt) {
                conflicts++;
                state = CONFLICT;
                next = StackTime.NO_DEADLINE;
                sink.conflict(ip, sha, true);
                return true;
            }
            return false;
        }
        if (spa != ip) {
            return false;
        }
        conflicts++;
        if (now - lastDefence >= DEFEND_INTERVAL_MS) {
            lastDefence = now;
            sink.arpRequest(ip, ip);
        }
        sink.conflict(ip, sha, false);
        return true;
    }
}
