package io.jwip.tcp;

import io.jwip.Err;
import io.jwip.StackTime;

/**
 * TCP's timers, in one place: retransmission (RFC 6298 section 5, with backoff, Karn's rule and give-up,
 * and RFC 5681's loss window), delayed ACK, persist (zero-window probes), keepalive, the FIN_WAIT_2 timeout
 * for connections the application has closed, and TIME_WAIT expiry (2*MSL). The stack calls
 * {@link #run(long)} through {@code Tcp.timers}; it returns the earliest deadline so the port can sleep
 * exactly until then.
 *
 * <p>Cost: a busy port calls the timers on every loop. {@link Tcp#nextDeadline} is a lower bound of every
 * deadline (kept by {@link Tcp#arm}), so before it nothing is scanned; the scan over all pcbs and the
 * TIME_WAIT table runs only when something may be due.
 */
final class TcpTimers {
    private final Tcp tcp;

    /**
     * No TCP timer is due before this time (a lower bound of every pcb's and TIME_WAIT entry's deadline):
     * {@link #run} returns at once before it, so calling the timers on every loop of a busy port
     * costs nothing. Whoever arms a deadline calls {@link #arm}; deadlines that move later or are cleared
     * leave it early, which only costs one extra scan.
     */
    long nextDeadline = StackTime.NO_DEADLINE;

    /** Notes that some timer is due at {@code deadline}, so that {@link #run} does not skip it. */
    void arm(long deadline) {
        if (deadline < nextDeadline) {
            nextDeadline = deadline;
        }
    }

    TcpTimers(Tcp tcp) {
        this.tcp = tcp;
    }

    /** (Re)starts the keepalive idle timer of a synchronised connection that has keepalive on. */
    void keepIdle(TcpPcb pcb) {
        pcb.keepProbes = 0;
        long d = tcp.time.now() + tcp.opt.tcpKeepIdleMs;
        if (pcb.keepDeadline == 0) {
            arm(d);
        }
        pcb.keepDeadline = d;
    }

    /** Runs every TCP timer that is due at {@code now}; returns the next deadline. */
    long run(long now) {
        if (now < tcp.timers.nextDeadline) {
            return tcp.timers.nextDeadline;
        }
        // Deadlines armed while we scan (output, and the error callbacks fired after it) lower this again.
        tcp.timers.nextDeadline = StackTime.NO_DEADLINE;
        long next = StackTime.NO_DEADLINE;
        tcp.table.deferErrors();
        TcpPcb pcb = tcp.table.active;
        while (pcb != null) {
            TcpPcb nx = pcb.next;
            if (pcb.finWait2Deadline != 0 && pcb.state == TcpState.FIN_WAIT_2 && now >= pcb.finWait2Deadline) {
                tcp.st.reclaimed[Tcp.RECLAIM_FIN_WAIT_2_TIMEOUT]++;
                tcp.ctl.sendRst(pcb);
                tcp.table.fail(pcb, Err.ABRT, "FIN_WAIT_2 timeout");
                pcb = nx;
                continue;
            }
            if (pcb.rtoDeadline != 0 && now >= pcb.rtoDeadline) {
                rtoExpired(pcb);
            }
            if (live(pcb) && pcb.persistDeadline != 0 && now >= pcb.persistDeadline) {
                tcp.out.persistExpired(pcb, now);
            }
            if (live(pcb) && pcb.ackDeadline != 0 && now >= pcb.ackDeadline) {
                tcp.st.delayedAcks++;
                tcp.ctl.sendAck(pcb);
            }
            if (live(pcb) && pcb.keepDeadline != 0 && now >= pcb.keepDeadline) {
                keepalive(pcb, now);
            }
            if (live(pcb)) {
                next = min(next, pcb.rtoDeadline);
                next = min(next, pcb.persistDeadline);
                next = min(next, pcb.ackDeadline);
                next = min(next, pcb.keepDeadline);
                if (pcb.state == TcpState.FIN_WAIT_2) {
                    next = min(next, pcb.finWait2Deadline);
                }
            }
            pcb = nx;
        }
        long[] exp = tcp.table.tw.expiry;
        for (int i = 0; i < exp.length; i++) {
            if (exp[i] != 0) {
                if (now >= exp[i]) {
                    tcp.table.noteTransition(tcp.table.tw.localAddr[i], tcp.table.tw.ports[i] >>> 16, tcp.table.tw.remoteAddr[i],
                            tcp.table.tw.ports[i] & 0xffff,
                            TcpState.TIME_WAIT, TcpState.CLOSED, "2MSL timeout");
                    tcp.table.tw.free(i);
                } else if (exp[i] < next) {
                    next = exp[i];
                }
            }
        }
        if (next < tcp.timers.nextDeadline) {
            tcp.timers.nextDeadline = next;
        }
        tcp.table.fireDeferredErrors();
        return tcp.timers.nextDeadline;
    }

    private static boolean live(TcpPcb pcb) {
        return pcb.isAllocated() && pcb.where == TcpTable.IN_ACTIVE;
    }

    /** The smaller of {@code next} and deadline {@code d} (0 = off). */
    private static long min(long next, long d) {
        return d != 0 && d < next ? d : next;
    }

    /** RFC 6298 section 5: the retransmission timer of {@code pcb} fired. */
    private void rtoExpired(TcpPcb pcb) {
        pcb.rtoDeadline = 0;
        if (pcb.unacked == null) {
            return; // nothing in flight (data waiting for a window is the persist timer's)
        }
        tcp.st.rtoExpiries++;
        pcb.nrtx++;
        int limit = pcb.state == TcpState.SYN_SENT || pcb.state == TcpState.SYN_RCVD ? tcp.opt.tcpSynMaxRtx : tcp.opt.tcpMaxRtx;
        if (pcb.nrtx > limit) {
            tcp.st.giveUps++;
            if (pcb.state != TcpState.SYN_SENT) {
                tcp.ctl.sendRst(pcb);
            }
            tcp.table.fail(pcb, Err.TIMEOUT, "retransmission give-up");
            return;
        }
        tcp.rtt.backOff(pcb);
        tcp.cc.onTimeout(pcb);
        tcp.out.goBackN(pcb);
        tcp.out.output(pcb);
        if (pcb.rtoDeadline == 0 && pcb.unacked != null) {
            pcb.rtoDeadline = tcp.time.now() + pcb.rto;
            tcp.timers.arm(pcb.rtoDeadline);
        }
    }

    /**
     * RFC 1122 4.2.3.6: the connection was idle for tcpKeepIdleMs (or a probe went unanswered for
     * tcpKeepIntervalMs). Sends a probe ({@code SEQ = SND.NXT - 1}, which the peer must ACK), or after
     * tcpKeepCount unanswered ones resets the connection.
     */
    private void keepalive(TcpPcb pcb, long now) {
        pcb.keepDeadline = 0;
        if (!pcb.keepAlive || !TcpState.synchronised(pcb.state)) {
            return;
        }
        if (pcb.keepProbes >= tcp.opt.tcpKeepCount) {
            tcp.st.keepaliveTimeouts++;
            tcp.ctl.sendRst(pcb);
            tcp.table.fail(pcb, Err.TIMEOUT, "keepalive timeout");
            return;
        }
        pcb.keepProbes++;
        tcp.st.keepalivesSent++;
        tcp.ctl.sendProbe(pcb);
        pcb.keepDeadline = now + tcp.opt.tcpKeepIntervalMs;
        tcp.timers.arm(pcb.keepDeadline);
    }
}
