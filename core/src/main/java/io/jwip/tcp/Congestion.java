package io.jwip.tcp;

import io.jwip.JwipOptions;

/**
 * Congestion control: RFC 5681 slow start and congestion avoidance with the RFC 6928 initial window, and
 * RFC 6582 NewReno fast retransmit and fast recovery. The state lives in the control block ({@code cwnd},
 * {@code ssthresh}, {@code caAcked}, {@code dupAcks}, {@code inRecovery}, {@code recover}), so that a
 * connection costs no extra object; this class is the algorithm, called at the four moments that change
 * it: the handshake completes, an ACK of new data, a duplicate ACK, a retransmission timeout. It decides;
 * the caller retransmits when told to.
 */
final class Congestion {
    private final JwipOptions opt;
    private final TcpStats st;

    Congestion(JwipOptions opt, TcpStats st) {
        this.opt = opt;
        this.st = st;
    }

    /**
     * The initial congestion window (RFC 6928): min(10*MSS, max(2*MSS, 14600)), lowered to
     * {@link JwipOptions#tcpInitialCwndMax}, at least one MSS. One MSS if our SYN had to be sent again
     * (RFC 5681 3.1).
     */
    void init(TcpPcb pcb, boolean synLost) {
        int mss = pcb.mss;
        int iw = 2 * mss > 14600 ? 2 * mss : 14600;
        if (iw > 10 * mss) {
            iw = 10 * mss;
        }
        if (iw > opt.tcpInitialCwndMax) {
            iw = opt.tcpInitialCwndMax;
        }
        if (iw < mss || synLost) {
            iw = mss;
        }
        pcb.cwnd = iw;
        pcb.ssthresh = 0x3fffffff;
    }

    /**
     * SND.UNA moved to {@code ack}. RFC 6582's recover starts at the ISS; left there, "SEG.ACK >= recover"
     * turns false once 2^31 bytes have passed without a loss, and three duplicate ACKs no longer start fast
     * retransmit. Outside recovery any value up to SND.UNA means the same, so it follows SND.UNA.
     */
    void unaAdvanced(TcpPcb pcb, int ack) {
        if (!pcb.inRecovery && Seq.lt(pcb.recover, ack)) {
            pcb.recover = ack;
        }
    }

    /**
     * An ACK of {@code acked} new bytes: RFC 6582 recovery (a full ACK ends it, a partial one deflates cwnd
     * and the next hole must go again), else RFC 5681 growth: slow start adds min(acked, MSS) per ACK,
     * congestion avoidance one MSS per cwnd of acknowledged bytes.
     *
     * @return true if the first unacknowledged segment must be retransmitted now (a partial ACK)
     */
    boolean onAck(TcpPcb pcb, int acked) {
        int mss = pcb.mss;
        pcb.dupAcks = 0;
        if (pcb.inRecovery) {
            if (Seq.geq(pcb.sndUna, pcb.recover)) {
                // Full ACK (RFC 6582 3.2 step 3, option 1): cwnd = min(ssthresh, max(FlightSize, MSS) + MSS).
                int flight = pcb.sndMax - pcb.sndUna;
                int c = (flight > mss ? flight : mss) + mss;
                pcb.cwnd = c < pcb.ssthresh ? c : pcb.ssthresh;
                pcb.inRecovery = false;
                pcb.caAcked = 0;
                return false;
            }
            // Partial ACK (step 4): the next hole goes again; deflate by what was acknowledged and add back
            // one MSS if that was at least one MSS.
            st.partialAcks++;
            int c = pcb.cwnd - acked + (acked >= mss ? mss : 0);
            pcb.cwnd = c > mss ? c : mss;
            return true;
        }
        if (pcb.cwnd < pcb.ssthresh) {
            pcb.cwnd += acked < mss ? acked : mss;
        } else {
            pcb.caAcked += acked;
            if (pcb.caAcked >= pcb.cwnd) {
                pcb.caAcked -= pcb.cwnd;
                pcb.cwnd += mss;
            }
        }
        if (pcb.cwnd > 0x3fffffff) {
            pcb.cwnd = 0x3fffffff;
        }
        return false;
    }

    /**
     * A duplicate ACK (RFC 5681 section 2) of {@code ack}. The third starts fast retransmit and NewReno fast
     * recovery (RFC 6582 3.2 steps 1-2) unless it belongs to data sent before the last recovery or timeout;
     * in recovery each further one inflates cwnd by an MSS, which may let new data out.
     *
     * @return true if the first unacknowledged segment must be retransmitted now (fast retransmit)
     */
    boolean onDuplicateAck(TcpPcb pcb, int ack) {
        int mss = pcb.mss;
        pcb.dupAcks++;
        if (pcb.inRecovery) {
            pcb.cwnd += mss;
            return false;
        }
        if (pcb.dupAcks != 3 || !Seq.geq(ack, pcb.recover)) {
            return false;
        }
        int flight = pcb.sndMax - pcb.sndUna;
        int half = flight / 2;
        pcb.ssthresh = half > 2 * mss ? half : 2 * mss;
        pcb.recover = pcb.sndMax;
        pcb.inRecovery = true;
        st.fastRetransmits++;
        st.recoveries++;
        pcb.cwnd = pcb.ssthresh + 3 * mss;
        return true;
    }

    /**
     * The retransmission timer fired ({@code pcb.nrtx} counts it). RFC 5681 3.1 (4) and (5): on the first
     * timeout of a segment ssthresh halves the flight; cwnd falls to the loss window of one segment and slow
     * start begins again. RFC 6582 4: recover = the highest sequence sent, so that duplicate ACKs of what
     * was in flight start no fast retransmit.
     */
    void onTimeout(TcpPcb pcb) {
        if (pcb.nrtx == 1) {
            int flight = pcb.sndMax - pcb.sndUna;
            int half = flight / 2;
            pcb.ssthresh = half > 2 * pcb.mss ? half : 2 * pcb.mss;
        }
        pcb.cwnd = pcb.mss;
        pcb.caAcked = 0;
        pcb.dupAcks = 0;
        pcb.inRecovery = false;
        pcb.recover = pcb.sndMax;
    }

    /**
     * The congestion window for a head segment of {@code len} bytes: with nothing in flight one segment may
     * always go (RFC 5681's loss window is one segment), so a window below the segment cannot stall a
     * connection that has no timer.
     */
    static int window(TcpPcb pcb, int len) {
        return pcb.unacked == null && pcb.cwnd < len ? len : pcb.cwnd;
    }
}
