package io.jwip.tcp;

import io.jwip.JwipOptions;
import io.jwip.StackTime;

/**
 * Round-trip time estimation and the retransmission timeout (RFC 6298), with Karn's rule and RFC 7323's
 * RTTM. The state lives in the control block ({@code srtt8}, {@code rttvar4}, {@code rto}, and the running
 * measurement {@code rttActive}, {@code rttSeq}, {@code rttStart}); this class is the arithmetic and the
 * rules for when a sample may be taken.
 */
final class RttEstimator {
    private final JwipOptions opt;
    private final StackTime time;

    RttEstimator(JwipOptions opt, StackTime time) {
        this.opt = opt;
        this.time = time;
    }

    /** A new segment ending at {@code end} goes out: time it, unless one is timed already (one per RTT). */
    void segmentSent(TcpPcb pcb, int end) {
        if (!pcb.rttActive) {
            pcb.rttActive = true;
            pcb.rttSeq = end;
            pcb.rttStart = time.now();
        }
    }

    /** A segment is sent again: no sample may span a retransmission (Karn's rule). */
    void retransmitted(TcpPcb pcb) {
        pcb.rttActive = false;
    }

    /**
     * New data up to {@code ack} is acknowledged. With timestamps (RTTM, RFC 7323 4) the echoed TSval gives
     * a sample on every ACK of new data, also after a retransmission (the echo is that of the segment that
     * was acknowledged); an echo from the future or older than the longest RTO is not ours and is ignored.
     * Without, the timed segment gives one when the ACK covers it.
     *
     * @param tsEcr the segment's TSecr, meaningful only if {@code echoed}
     */
    void acked(TcpPcb pcb, int ack, boolean echoed, int tsEcr) {
        int tsRtt = (int) time.now() - tsEcr;
        if (echoed && tsEcr != 0 && TcpState.synchronised(pcb.state) && tsRtt >= 0 && tsRtt <= opt.tcpRtoMaxMs) {
            sample(pcb, tsRtt);
            pcb.rttActive = false;
        } else if (pcb.rttActive && Seq.geq(ack, pcb.rttSeq)) {
            sample(pcb, (int) (time.now() - pcb.rttStart));
            pcb.rttActive = false;
        }
    }

    /** The retransmission timer fired: back off (RFC 6298 5.5) within the bounds and forget the measurement. */
    void backOff(TcpPcb pcb) {
        long r = (long) pcb.rto * 2;
        pcb.rto = r > opt.tcpRtoMaxMs ? opt.tcpRtoMaxMs : (int) r;
        pcb.rttActive = false;
    }

    /** RFC 6298 section 2: SRTT, RTTVAR and RTO from a measurement of {@code r} ms. */
    void sample(TcpPcb pcb, int r) {
        if (r < 0) {
            r = 0;
        }
        if (pcb.srtt8 < 0) {
            pcb.srtt8 = r << 3;
            pcb.rttvar4 = (r << 1); // RTTVAR = R/2, times 4
        } else {
            int srtt = pcb.srtt8 >> 3;
            int delta = srtt - r;
            if (delta < 0) {
                delta = -delta;
            }
            // RTTVAR = 3/4 RTTVAR + 1/4 |SRTT - R| (times 4: rttvar4 += delta - rttvar4/4)
            pcb.rttvar4 += delta - (pcb.rttvar4 >> 2);
            // SRTT = 7/8 SRTT + 1/8 R (times 8: srtt8 += R - srtt8/8)
            pcb.srtt8 += r - (pcb.srtt8 >> 3);
        }
        int var = pcb.rttvar4; // 4 * RTTVAR
        long rto = (pcb.srtt8 >> 3) + (var > 1 ? var : 1);
        if (rto < opt.tcpRtoMinMs) {
            rto = opt.tcpRtoMinMs;
        }
        if (rto > opt.tcpRtoMaxMs) {
            rto = opt.tcpRtoMaxMs;
        }
        pcb.rto = (int) rto;
    }
}
