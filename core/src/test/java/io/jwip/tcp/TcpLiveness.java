package io.jwip.tcp;

import io.jwip.stack.Stack;

/**
 * The liveness invariant of "nothing held forever": every connection that still has work to do - data
 * unsent or unacknowledged, a handshake or a close under way - has a timer armed that will make progress
 * or give up, and the stack's next deadline ({@link Tcp#nextDeadline}, what {@code timers()} returns) is
 * no later than the earliest of them. A connection without such a timer waits for the peer forever; a
 * deadline the stack forgot makes a port that sleeps until the next deadline sleep forever.
 *
 * <p>Connections that wait for their own application are not the stack's to bound: an idle ESTABLISHED
 * or CLOSE_WAIT connection, and FIN_WAIT_2 after a half-close (shutdown of the sending side only).
 */
final class TcpLiveness {
    private TcpLiveness() {}

    /** Null if the invariant holds, else what is wrong. */
    static String check(Tcp tcp) {
        long earliest = Stack.NO_DEADLINE;
        for (TcpPcb p = tcp.table.active; p != null; p = p.next) {
            boolean handshake = p.state == TcpState.SYN_SENT || p.state == TcpState.SYN_RCVD;
            boolean closing = p.state == TcpState.FIN_WAIT_1 || p.state == TcpState.CLOSING
                    || p.state == TcpState.LAST_ACK;
            boolean orphanFw2 = p.state == TcpState.FIN_WAIT_2 && p.appClosed;
            if (p.unacked != null && p.rtoDeadline == 0) {
                return id(p) + ": data in flight and no retransmission timer";
            }
            if (p.unsent != null && p.unacked == null && p.rtoDeadline == 0 && p.persistDeadline == 0) {
                return id(p) + ": data waiting, nothing in flight, and neither persist nor retransmission timer";
            }
            if ((handshake || closing) && p.rtoDeadline == 0 && p.persistDeadline == 0) {
                return id(p) + ": handshake or close under way and no timer";
            }
            if (orphanFw2 && p.finWait2Deadline == 0) {
                return id(p) + ": closed by the application in FIN_WAIT_2 and no FIN_WAIT_2 timer";
            }
            earliest = min(earliest, p.rtoDeadline);
            earliest = min(earliest, p.persistDeadline);
            earliest = min(earliest, p.ackDeadline);
            earliest = min(earliest, p.keepDeadline);
            if (p.state == TcpState.FIN_WAIT_2) {
                earliest = min(earliest, p.finWait2Deadline);
            }
        }
        for (int i = 0; i < tcp.table.tw.capacity(); i++) {
            earliest = min(earliest, tcp.table.tw.expiry[i]);
        }
        if (tcp.timers.nextDeadline > earliest) {
            return "next deadline " + tcp.timers.nextDeadline + " is later than a timer due at " + earliest;
        }
        return null;
    }

    private static String id(TcpPcb p) {
        return TcpState.name(p.state) + " :" + p.localPort + "-" + p.remotePort;
    }

    private static long min(long a, long d) {
        return d != 0 && d < a ? d : a;
    }
}
