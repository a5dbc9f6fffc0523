package io.jwip.tcp;

import io.jwip.stats.Stats;
import io.jwip.wire.Ip4Addr;

/**
 * TCP's counters and its part of the stack's stats dump ({@link Stats.Section}): how many connections are
 * in each state, how many were reclaimed per reason, and the other TCP events; plus the netstat-style
 * table of connections. Counting allocates nothing; only the dumps build text.
 */
public final class TcpStats implements Stats.Section {
    private static final String[] NAMES = {
        "LAST_ACK reclaimed for a new connection", "CLOSING reclaimed for a new connection",
        "FIN_WAIT_2 (app closed) reclaimed for a new connection", "FIN_WAIT_2 timeout (peer never sent FIN)",
        "TIME_WAIT entry recycled (table full)", "SYN_RCVD (half-open) reclaimed for a new connection"
    };

    private final Tcp tcp;
    /** Per reason ({@code Tcp.RECLAIM_*}) how many connections were reclaimed. */
    final long[] reclaimed = new long[6];
    long refusedBacklog;
    long synCookiesSent;
    long synCookiesAccepted;
    long synCookiesRejected;
    long synRcvdEvicted;
    long refusedNoPcb;
    long challengeAcks;
    long challengeAcksSuppressed;
    long rstSent;
    long retransmits;
    long rtoExpiries;
    long giveUps;
    long ooseqQueued;
    long fastRetransmits;
    long recoveries;
    long partialAcks;
    long persistProbes;
    long persistGiveUps;
    long keepalivesSent;
    long keepaliveTimeouts;
    long delayedAcks;
    long splits;

    TcpStats(Tcp tcp) {
        this.tcp = tcp;
    }

    // ------------------------------------------------------------------ reading them

    /** Connections in {@code state} now (TIME_WAIT counts the table's entries). */
    public int count(int state) {
        return tcp.table.count(state);
    }

    /** Connections reclaimed for {@code reason} ({@code RECLAIM_*}). */
    public long reclaimed(int reason) {
        return reclaimed[reason];
    }

    /** Packet buffers the out-of-order queues of all connections hold now. */
    public int oooPbufs() { return tcp.ooo.pbufs; }
    /** Most buffers the out-of-order queues held at once. */
    public int oooPbufsMax() { return tcp.ooo.maxPbufsSeen; }
    /** Buffers the out-of-order queues may hold together ({@link io.jwip.JwipOptions#tcpOooMaxPbufs}, at most half the pool). */
    public int oooPbufsBudget() { return tcp.ooo.maxPbufs; }

    /** Entries in the TIME_WAIT table now. */
    public int timeWaitCount() { return tcp.table.tw.count; }
    /** Capacity of the TIME_WAIT table. */
    public int timeWaitCapacity() { return tcp.table.tw.capacity(); }
    public long refusedBacklog() { return refusedBacklog; }
    public long synCookiesSent() { return synCookiesSent; }
    public long synCookiesAccepted() { return synCookiesAccepted; }
    public long synCookiesRejected() { return synCookiesRejected; }
    public long synRcvdEvicted() { return synRcvdEvicted; }
    public long refusedNoPcb() { return refusedNoPcb; }
    public long challengeAcks() { return challengeAcks; }
    public long challengeAcksSuppressed() { return challengeAcksSuppressed; }
    public long retransmits() { return retransmits; }
    public long rstSent() { return rstSent; }
    public long fastRetransmits() { return fastRetransmits; }
    public long recoveries() { return recoveries; }
    public long partialAcks() { return partialAcks; }
    public long persistProbes() { return persistProbes; }
    public long persistGiveUps() { return persistGiveUps; }
    public long keepalivesSent() { return keepalivesSent; }
    public long delayedAcks() { return delayedAcks; }
    public long rtoExpiries() { return rtoExpiries; }

    /** The per-state table, reclaim counters and other TCP counters. */
    @Override
    public void dump(StringBuilder sb, boolean all) {
        if (!tcp.isnKeyed()) {
            // Core has no randomness of its own; the port must key the ISN function (the ports module's
            // PollLoop and StackThread do). Unkeyed, sequence numbers are predictable: blind injection.
            sb.append("WARNING: TCP ISN secret not set (Tcp.setIsnSecret): sequence numbers are predictable\n");
        }
        boolean heading = false;
        for (int s = 0; s < TcpState.COUNT; s++) {
            if (all || count(s) != 0) {
                if (!heading) {
                    sb.append("TCP STATE        count\n");
                    heading = true;
                }
                Stats.pad(sb, TcpState.name(s), 12);
                Stats.num(sb, count(s), 9);
                sb.append('\n');
            }
        }
        heading = false;
        for (int r = 0; r < reclaimed.length; r++) {
            if (all || reclaimed[r] != 0) {
                if (!heading) {
                    sb.append("TCP RECLAIM\n");
                    heading = true;
                }
                Stats.num(sb, reclaimed[r], 10);
                sb.append("  ").append(NAMES[r]).append('\n');
            }
        }
        int start = sb.length();
        sb.append("TCP COUNTERS\n");
        int lines = sb.length();
        Stats.counter(sb, all, refusedBacklog, "passive opens refused: backlog full");
        Stats.counter(sb, all, synCookiesSent, "SYN cookies sent (backlog full or no control block)");
        Stats.counter(sb, all, synCookiesAccepted, "connections opened from a SYN cookie");
        Stats.counter(sb, all, synCookiesRejected, "ACKs with an invalid or expired SYN cookie");
        Stats.counter(sb, all, synRcvdEvicted, "half-open connections evicted for a new SYN (backlog full, no cookies)");
        Stats.counter(sb, all, refusedNoPcb, "passive opens refused: no control block");
        Stats.counter(sb, all, challengeAcks, "challenge ACKs sent (RFC 5961)");
        Stats.counter(sb, all, challengeAcksSuppressed, "challenge ACKs suppressed by the rate limit");
        Stats.counter(sb, all, rstSent, "RSTs sent");
        Stats.counter(sb, all, rtoExpiries, "retransmission timeouts");
        Stats.counter(sb, all, retransmits, "segments retransmitted");
        Stats.counter(sb, all, giveUps, "connections given up after max retransmissions");
        Stats.counter(sb, all, ooseqQueued, "segments queued out of order");
        Stats.counter(sb, all, fastRetransmits, "fast retransmits (three duplicate ACKs)");
        Stats.counter(sb, all, recoveries, "NewReno fast recoveries entered");
        Stats.counter(sb, all, partialAcks, "partial ACKs in recovery (next hole resent)");
        Stats.counter(sb, all, persistProbes, "zero-window probes (persist timer)");
        Stats.counter(sb, all, persistGiveUps, "connections given up after zero-window probes without progress");
        Stats.counter(sb, all, keepalivesSent, "keepalive probes sent");
        Stats.counter(sb, all, keepaliveTimeouts, "connections dropped by keepalive");
        Stats.counter(sb, all, delayedAcks, "delayed ACKs sent by the timer");
        Stats.counter(sb, all, splits, "segments split to fit the peer's window");
        if (sb.length() == lines) {
            sb.setLength(start); // no counter to show: no heading either
        }
    }


    /**
     * A netstat-style table of every connection: local and remote end, state name, bytes waiting in the
     * send queue and bytes held by the application / out of order in the receive queue.
     */
    StringBuilder netstat(final StringBuilder sb) {
        sb.append("Proto Local Address          Foreign Address        State        Send-Q Recv-Q\n");
        tcp.forEachConnection(new TcpConnectionVisitor() {
            @Override
            public void connection(int la, int lp, int ra, int rp, int state, int sendQ, int recvQ) {
                row(sb, la, lp, ra, rp, state, sendQ, recvQ);
            }
        });
        return sb;
    }

    private static void row(StringBuilder sb, int la, int lp, int ra, int rp, int state, int sendQ, int recvQ) {
        sb.append("tcp   ");
        int start = sb.length();
        Ip4Addr.append(sb, la).append(':');
        if (lp == 0) {
            sb.append('*');
        } else {
            sb.append(lp);
        }
        while (sb.length() - start < 23) {
            sb.append(' ');
        }
        start = sb.length();
        Ip4Addr.append(sb, ra).append(':');
        if (rp == 0) {
            sb.append('*');
        } else {
            sb.append(rp);
        }
        while (sb.length() - start < 23) {
            sb.append(' ');
        }
        Stats.pad(sb, TcpState.name(state), 12);
        Stats.num(sb, sendQ, 7);
        Stats.num(sb, recvQ, 7);
        sb.append('\n');
    }
}
