package io.jwip.tcp;

import io.jwip.JwipOptions;
import io.jwip.netif.Netif;
import io.jwip.wire.TcpHeader;

/**
 * The one place where the options of a handshake are agreed (RFC 9293 3.7.1, RFC 7323 2.2 and 3.2), for an
 * active open (the peer's SYN,ACK), a passive one (the peer's SYN) and a SYN cookie's return alike: window
 * scaling when the peer's SYN had the option and we allow it (both sides scale or neither); timestamps
 * when it had them and we allow them; the MSS we send.
 */
final class SynOptions {
    private final JwipOptions opt;
    /** Window scale shift we offer: the smallest that fits tcpWnd in 16 bits (RFC 7323 2.3). */
    final int ourScale;

    SynOptions(JwipOptions opt) {
        this.opt = opt;
        int sc = 0;
        while (sc < 14 && (opt.tcpWnd >> sc) > 65535) {
            sc++;
        }
        ourScale = sc;
    }

    /** Our MSS on {@code n}: {@link JwipOptions#tcpMss} lowered to fit the netif MTU less the headers. */
    int ourMss(Netif n) {
        int m = n == null ? 536 : n.mtu() - 40;
        return m < opt.tcpMss ? m : opt.tcpMss;
    }

    /** The window scale option we put in our SYN: our shift if scaling is on, else -1 (no option). */
    int offer() {
        return opt.tcpWindowScaling ? ourScale : -1;
    }

    /** As {@link #offer} in a SYN,ACK: only if the peer's SYN had the option (RFC 7323 2.2). */
    int answer(int peerWs) {
        return peerWs >= 0 && opt.tcpWindowScaling ? ourScale : -1;
    }

    /**
     * Agrees on the options with a peer whose SYN announced {@code peerMss} (-1: none), window scale
     * {@code peerWs} (-1: none) and, if {@code peerTs}, timestamps with TSval {@code peerTsVal}.
     */
    void agree(TcpPcb pcb, int peerMss, int peerWs, boolean peerTs, int peerTsVal) {
        if (peerWs >= 0 && opt.tcpWindowScaling) {
            pcb.sndScale = peerWs > 14 ? 14 : peerWs;
            pcb.rcvScale = ourScale;
        } else {
            pcb.sndScale = 0;
            pcb.rcvScale = 0;
        }
        pcb.tsOk = peerTs && opt.tcpTimestamps;
        if (pcb.tsOk) {
            pcb.tsRecent = peerTsVal;
        }
        pcb.mss = sndMss(peerMss, pcb.ourMss, pcb.tsOk);
    }

    /**
     * Data bytes per segment we send: the peer's MSS (536 without the option), bounded by ours, less the
     * timestamps option that every segment then carries (RFC 9293 3.7.1), but never below
     * {@code tcpMinSndMss} (nor, if our own MTU is smaller still, below what it allows, and never below 1). An
     * MSS option of 1..12 with timestamps used to give 0 or less: a division by zero in write() or a
     * connection that never sent data.
     */
    int sndMss(int peerMss, int ourMss, boolean ts) {
        int opts = ts ? TcpHeader.OPT_TS_SPACE : 0;
        int pm = peerMss > 0 ? peerMss : 536;
        int m = (pm < ourMss ? pm : ourMss) - opts;
        int min = opt.tcpMinSndMss;
        if (min > ourMss - opts) {
            min = ourMss - opts;
        }
        if (m < min) {
            m = min;
        }
        return m < 1 ? 1 : m;
    }
}
