package io.jwip.tcp;

import io.jwip.JwipOptions;
import io.jwip.StackTime;
import io.jwip.buf.Pbuf;
import io.jwip.buf.PbufPool;
import io.jwip.ip.Ip4;
import io.jwip.stats.Drop;
import io.jwip.stats.Stats;
import io.jwip.wire.Ip4Header;
import io.jwip.wire.TcpFlags;
import io.jwip.wire.TcpHeader;

/**
 * Control segments: bare ACKs (also the challenge ACKs of RFC 5961, within a per-connection budget),
 * window and keepalive probes, RSTs, and the SYN,ACK that carries a SYN cookie. Each is built in a buffer
 * of its own, sent and freed at once; none is queued or retransmitted.
 */
final class TcpControl {
    private final Tcp tcp;
    private final JwipOptions opt;
    private final Stats stats;
    private final TcpStats st;
    private final StackTime time;
    private final Ip4 ip;
    private final TcpOutput out;
    private final TcpHeader th = new TcpHeader();

    TcpControl(Tcp tcp, TcpOutput out) {
        this.tcp = tcp;
        this.opt = tcp.opt;
        this.stats = tcp.stats;
        this.st = tcp.st;
        this.time = tcp.time;
        this.ip = tcp.ip;
        this.out = out;
    }

    /**
     * Sends a challenge ACK (RFC 5961 sections 3.2, 4.2, 5.2) unless this connection's budget of
     * {@link JwipOptions#tcpChallengeAcksPerSecond} is spent for the current second. The budget is per
     * connection: with one budget for the whole stack (RFC 5961 section 7's first suggestion) an off-path
     * attacker spraying spoofed RSTs at a connection could count the challenge ACKs left for its own and
     * learn whether a guess fell in the victim's window (CVE-2016-5696); Linux moved to per-socket limits.
     */
    void challengeAck(TcpPcb pcb) {
        int now = (int) time.now();
        if (now - pcb.challengeStart >= 1000 || now - pcb.challengeStart < 0) {
            pcb.challengeStart = now;
            pcb.challengeCount = 0;
        }
        if (pcb.challengeCount < opt.tcpChallengeAcksPerSecond) {
            pcb.challengeCount++;
            st.challengeAcks++;
            sendAck(pcb);
        } else {
            st.challengeAcksSuppressed++;
        }
    }


    /**
     * A bare ACK: {@code <SEQ=min(SND.MAX, SND.UNA+SND.WND)><ACK=RCV.NXT><CTL=ACK>} (as Linux's
     * {@code tcp_acceptable_seq}). Not SND.NXT: after a timeout SND.NXT falls back to SND.UNA while the
     * peer may have received more, and an ACK below the peer's RCV.NXT is unacceptable to it and dropped
     * unread, so both sides could wait for each other (seen in the lossy simulation once the loss window
     * made the resend after a timeout slow). Not beyond the window the peer offered either: past a zero
     * window only SEQ = RCV.NXT is acceptable (seen with a full echo server).
     */
    void sendAck(TcpPcb pcb) {
        pcb.ackDeadline = 0;
        pcb.rcvUnacked = 0;
        int seq = pcb.sndMax;
        int wndEnd = pcb.sndUna + pcb.sndWnd;
        if (TcpState.synchronised(pcb.state) && Seq.gt(seq, wndEnd) && Seq.geq(wndEnd, pcb.sndNxt)) {
            seq = wndEnd;
        }
        pcb.lastAckSent = pcb.rcvNxt;
        control(pcb.localAddr, pcb.localPort, pcb.remoteAddr, pcb.remotePort, seq, pcb.rcvNxt,
                TcpFlags.ACK, out.announce(pcb, false), pcb);
    }

    /**
     * A window probe: a bare ACK with {@code SEQ = SND.NXT - 1}, which lies just before the peer's window,
     * so the peer must answer with an ACK that carries its current window (the keep-alive trick). It
     * carries no data, so a zero-window peer never has to accept anything.
     */
    void sendProbe(TcpPcb pcb) {
        control(pcb.localAddr, pcb.localPort, pcb.remoteAddr, pcb.remotePort, pcb.sndNxt - 1, pcb.rcvNxt,
                TcpFlags.ACK, out.announce(pcb, false), pcb);
    }

    /** A reset of a connection we abort: {@code <SEQ=SND.NXT><ACK=RCV.NXT><CTL=RST,ACK>}. */
    void sendRst(TcpPcb pcb) {
        st.rstSent++;
        control(pcb.localAddr, pcb.localPort, pcb.remoteAddr, pcb.remotePort, pcb.sndNxt, pcb.rcvNxt,
                TcpFlags.RST | TcpFlags.ACK, 0, null);
    }

    /**
     * A reset in answer to a segment (RFC 9293 section 3.10.7.1): {@code <SEQ=SEG.ACK><CTL=RST>} if it had
     * ACK, else {@code <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>}. Never in answer to a RST.
     */
    void sendRstFor(int local, int lport, int remote, int rport, int segFlags, int segSeq, int segAck, int segLen) {
        if ((segFlags & TcpFlags.RST) != 0) {
            return;
        }
        st.rstSent++;
        if ((segFlags & TcpFlags.ACK) != 0) {
            control(local, lport, remote, rport, segAck, 0, TcpFlags.RST, 0, null);
        } else {
            int seqLen = segLen + ((segFlags & TcpFlags.SYN) != 0 ? 1 : 0) + ((segFlags & TcpFlags.FIN) != 0 ? 1 : 0);
            control(local, lport, remote, rport, 0, segSeq + seqLen, TcpFlags.RST | TcpFlags.ACK, 0, null);
        }
    }

    /**
     * Builds, sends and frees a header-only segment; with a timestamps option when {@code ts} is a
     * connection that uses them.
     */
    void control(int local, int lport, int remote, int rport, int seq, int ack, int flags, int wnd, TcpPcb ts) {
        int hdr = ts != null && ts.tsOk ? TcpHeader.MIN_LENGTH + TcpHeader.OPT_TS_SPACE : TcpHeader.MIN_LENGTH;
        Pbuf p = ip.allocTransport(hdr, 0);
        if (p == null) {
            stats.drop(Drop.TCP_NO_BUFFER);
            return;
        }
        p.addHeader(hdr);
        th.wrap(p.buf, p.offset()).sourcePort(lport).destinationPort(rport).seq(seq).ack(ack)
                .headerLength(hdr).flags(flags).window(wnd).checksum(0).urgent(0);
        if (hdr > TcpHeader.MIN_LENGTH) {
            th.tsOption(TcpHeader.MIN_LENGTH, (int) time.now(), ts.tsRecent);
        }
        sendControl(p, local, lport, remote, rport, seq, ack, flags, wnd, hdr);
    }

    /**
     * The SYN,ACK that carries a SYN cookie as its sequence number: no control block, no queue, sent and
     * freed at once. Options MSS, then window scale {@code ws} (if {@code ws >= 0}) and timestamps (if
     * {@code ts}): the options the cookie can restore (see {@link SynCookies}).
     */
    void synAckCookie(int local, int lport, int remote, int rport, int cookie, int ack, int mss, int ws,
            boolean ts, int tsVal, int tsEcr) {
        int hdr = TcpHeader.MIN_LENGTH + TcpHeader.OPT_MSS_LENGTH + (ws >= 0 ? 4 : 0)
                + (ts ? TcpHeader.OPT_TS_SPACE : 0);
        Pbuf p = ip.allocTransport(hdr, 0);
        if (p == null) {
            stats.drop(Drop.TCP_NO_BUFFER);
            return;
        }
        p.addHeader(hdr);
        int wnd = opt.tcpWnd > 65535 ? 65535 : opt.tcpWnd; // a SYN's window is not scaled
        int flags = TcpFlags.SYN | TcpFlags.ACK;
        th.wrap(p.buf, p.offset()).sourcePort(lport).destinationPort(rport).seq(cookie).ack(ack)
                .headerLength(hdr).flags(flags).window(wnd).checksum(0).urgent(0).mssOption(mss);
        int at = TcpHeader.OPTIONS + TcpHeader.OPT_MSS_LENGTH;
        if (ws >= 0) {
            th.wsOption(at, ws);
            at += 4;
        }
        if (ts) {
            th.tsOption(at, tsVal, tsEcr);
        }
        sendControl(p, local, lport, remote, rport, cookie, ack, flags, wnd, hdr);
    }

    /** Traces, sends (IP fills the checksum) and frees a header-only segment built in {@code p}. */
    private void sendControl(Pbuf p, int local, int lport, int remote, int rport, int seq, int ack, int flags,
            int wnd, int hdr) {
        if (tcp.trace != null) {
            tcp.trace.segment(true, local, lport, remote, rport, flags, seq, ack, wnd, 0);
        }
        stats.tcp.xmit++;
        ip.outputTransport(p, local, remote, opt.ipTtl, 0, Ip4Header.PROTO_TCP);
        PbufPool.free(p);
    }
}
