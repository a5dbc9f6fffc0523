package io.jwip.tcp;

import io.jwip.Err;
import io.jwip.Stack;

/**
 * TCP's timers, in one place: retransmission (RFC 6298 section 5, with backoff, Karn's rule and give-up),
 * the FIN_WAIT_2 timeout for connections the application has closed, and TIME_WAIT expiry (2*MSL). The
 * stack calls {@link #run(long)} through {@code Tcp.timers}; it returns the earliest deadline so the port
 * can sleep exactly until then. Later timers (delayed ACK, persist, keepalive) belong here too.
 */
final class TcpTimers {
    private final Tcp tcp;

    TcpTimers(Tcp tcp) {
        this.tcp = tcp;
    }

    /** Runs every TCP timer that is due at {@code now}; returns the next deadline. */
    long run(long now) {
        long next = Stack.NO_DEADLINE;
        TcpPcb pcb = tcp.active;
        while (pcb != null) {
            TcpPcb nx = pcb.next;
            if (pcb.finWait2Deadline != 0 && pcb.state == TcpState.FIN_WAIT_2 && now >= pcb.finWait2Deadline) {
                tcp.st.reclaimed[Tcp.RECLAIM_FIN_WAIT_2_TIMEOUT]++;
                tcp.out.sendRst(pcb);
                tcp.fail(pcb, Err.ABRT, "FIN_WAIT_2 timeout");
                pcb = nx;
                continue;
            }
            if (pcb.rtoDeadline != 0 && now >= pcb.rtoDeadline) {
                rtoExpired(pcb);
            }
            if (pcb.isAllocated() && pcb.where == Tcp.IN_ACTIVE) {
                if (pcb.rtoDeadline != 0 && pcb.rtoDeadline < next) {
                    next = pcb.rtoDeadline;
                }
                if (pcb.finWait2Deadline != 0 && pcb.state == TcpState.FIN_WAIT_2 && pcb.finWait2Deadline < next) {
                    next = pcb.finWait2Deadline;
                }
            }
            pcb = nx;
        }
        long[] exp = tcp.tw.expiry;
        for (int i = 0; i < exp.length; i++) {
            if (exp[i] != 0) {
                if (now >= exp[i]) {
                    tcp.noteTransition(tcp.tw.localAddr[i], tcp.tw.ports[i] >>> 16, tcp.tw.remoteAddr[i],
                            tcp.tw.ports[i] & 0xffff,
                            TcpState.TIME_WAIT, TcpState.CLOSED, "2MSL timeout");
                    tcp.tw.free(i);
                } else if (exp[i] < next) {
                    next = exp[i];
                }
            }
        }
        return next;
    }

    /** RFC 6298 section 5: the retransmission timer of {@code pcb} fired. */
    private void rtoExpired(TcpPcb pcb) {
        pcb.rtoDeadline = 0;
        if (pcb.unacked == null) {
            // Nothing in flight, data waiting for a window the peer does not offer. Until the persist
            // timer (RFC 9293 3.8.6.1) comes with the congestion-control issue (HOOK), probe with a bare
            // out-of-window ACK so that a lost window update cannot stall the connection for ever; back
            // off like the RTO, never give up while the peer answers.
            if (pcb.unsent != null && TcpState.synchronised(pcb.state)) {
                tcp.out.sendProbe(pcb);
                long r = (long) pcb.rto * 2;
                pcb.rto = r > tcp.opt.tcpRtoMaxMs ? tcp.opt.tcpRtoMaxMs : (int) r;
                pcb.rtoDeadline = tcp.stack.now() + pcb.rto;
            }
            return;
        }
        tcp.st.rtoExpiries++;
        pcb.nrtx++;
        int limit = pcb.state == TcpState.SYN_SENT || pcb.state == TcpState.SYN_RCVD ? tcp.opt.tcpSynMaxRtx : tcp.opt.tcpMaxRtx;
        if (pcb.nrtx > limit) {
            tcp.st.giveUps++;
            if (pcb.state != TcpState.SYN_SENT) {
                tcp.out.sendRst(pcb);
            }
            tcp.fail(pcb, Err.TIMEOUT, "retransmission give-up");
            return;
        }
        // Back off (5.5) within the bounds, and forget the running RTT measurement (Karn's rule).
        long r = (long) pcb.rto * 2;
        pcb.rto = r > tcp.opt.tcpRtoMaxMs ? tcp.opt.tcpRtoMaxMs : (int) r;
        pcb.rttActive = false;
        // HOOK (congestion control): on a timeout, cwnd falls to one segment and ssthresh halves here.
        tcp.out.goBackN(pcb);
        tcp.out.output(pcb);
        if (pcb.rtoDeadline == 0 && pcb.unacked != null) {
            pcb.rtoDeadline = tcp.stack.now() + pcb.rto;
        }
    }
}
