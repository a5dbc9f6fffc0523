package io.jwip.tcp;

import io.jwip.mem.PoolEntry;

/**
 * A TCP control block (lwIP's {@code tcp_pcb}) from the {@code TCP_PCB} pool, or a listening one from
 * {@code TCP_PCB_LISTEN}. Applications hold it as a handle and pass it to {@link Tcp}'s calls; the fields
 * belong to {@link Tcp}.
 *
 * <h2>Sequence variables (RFC 9293 section 3.3.1)</h2>
 * <pre>
 *        1          2          3          4
 *   ----------|----------|----------|----------
 *          SND.UNA    SND.NXT    SND.UNA
 *                               +SND.WND
 *   1 - acknowledged   2 - sent, not acknowledged   3 - allowed to send   4 - not yet allowed
 * </pre>
 * {@link #sndMax} is the highest sequence number ever sent: after a retransmission timeout the queue is
 * sent again from {@link #sndUna} (go-back-N), so {@link #sndNxt} falls back while acknowledgments up to
 * {@code sndMax} remain acceptable. {@link #sndLbb} is the sequence number the next byte written will get.
 *
 * <h2>Lifetime</h2>
 * A pcb is given back to its pool when the connection is over <em>and</em> the application is done with
 * it: at once when it dies by RST, timeout or abort (the error callback then gets only {@code arg}), or
 * after {@link Tcp#close} otherwise. A connection that enters TIME_WAIT moves to the compact TIME_WAIT
 * table; if the application had not closed it yet the pcb stays, detached and CLOSED, until it does.
 */
public final class TcpPcb extends PoolEntry {
    // ---------------------------------------------------------------- identity
    int state;
    int localAddr;
    int localPort;
    int remoteAddr;
    int remotePort;
    /** True for pcbs of the listen pool. */
    boolean isListener;
    /** Next pcb in the active or listen list. */
    TcpPcb next;
    /** Time the current state was entered: "oldest first" when reclaiming. */
    long stateSince;
    /** Which list holds this pcb ({@code Tcp.IN_*}). */
    int where;
    /** Bumped each time the pcb goes back to its pool: code that called out to the application compares
     *  it to know whether the pcb it holds is still the same connection. */
    int gen;

    // ---------------------------------------------------------------- application
    /** Free for the application (lwIP's {@code callback_arg}); passed to the error callback. */
    public Object arg;
    TcpRecv recv;
    TcpSent sent;
    TcpErr err;
    TcpConnected connected;
    TcpAccept accept;
    /** The application called close (or never got the pcb: a passive open not yet accepted). */
    boolean appClosed;
    /** The application has this pcb (returned by newPcb, or handed over by accept). */
    boolean appOwned;
    /** The application shut down its receiving side: further data is acknowledged and discarded. */
    boolean shutRx;
    /** Our FIN is queued or sent: nothing more may be written. */
    boolean finQueued;
    /** The peer's FIN was received (end of stream delivered). */
    boolean finRcvd;
    /** An acknowledgment should go out with the next output. */
    boolean ackNow;

    // ---------------------------------------------------------------- listen
    /** For a passive-open pcb: its listener while in SYN_RCVD or waiting for accept, else null. */
    TcpPcb listener;
    /** For a listener: connections in SYN_RCVD or not yet accepted, bounded by {@link #backlog}. */
    int pending;
    int backlog;

    // ---------------------------------------------------------------- send sequence space
    int iss;
    int sndUna;
    int sndNxt;
    int sndMax;
    int sndLbb;
    /** Send window the peer offered, in bytes. */
    int sndWnd;
    /** Segment sequence and acknowledgment numbers of the last window update (RFC 9293 SND.WL1/2). */
    int sndWl1;
    int sndWl2;
    /** Bytes of data in the send queues (unsent + unacked), bounded by JwipOptions.tcpSndBuf. */
    int sndBuffered;
    /** Largest data segment we send: min(peer's MSS option, ours). */
    int mss;
    /** The MSS we announce: JwipOptions.tcpMss lowered to the netif MTU less 40. */
    int ourMss;

    // ---------------------------------------------------------------- receive sequence space
    int irs;
    /** Next sequence number expected from the peer. */
    int rcvNxt;
    /** Receive window: bytes we can still take (JwipOptions.tcpWnd less what the app holds unconsumed). */
    int rcvWnd;

    // ---------------------------------------------------------------- retransmission (RFC 6298)
    /** Smoothed RTT times 8 (ms), or -1 before the first sample. */
    int srtt8;
    /** RTT variance times 4 (ms). */
    int rttvar4;
    /** Current retransmission timeout (ms), backed off on expiry. */
    int rto;
    /** Time the retransmission timer fires, or 0 when it is off. */
    long rtoDeadline;
    /** Retransmissions since the last acknowledgment of new data. */
    int nrtx;
    /** An RTT measurement is running for the segment that ends at {@link #rttSeq} (Karn's rule). */
    boolean rttActive;
    int rttSeq;
    long rttStart;

    // ---------------------------------------------------------------- congestion control (RFC 5681, 6582)
    /** Congestion window, bytes: with {@link #sndWnd} it bounds the data in flight. */
    int cwnd;
    /** Slow start threshold, bytes: slow start while {@code cwnd < ssthresh}, else congestion avoidance. */
    int ssthresh;
    /** Bytes acknowledged in congestion avoidance since cwnd last grew (RFC 5681 3.1 byte counting). */
    int caAcked;
    /** Duplicate ACKs in a row (RFC 5681 definition); the third starts fast retransmit. */
    int dupAcks;
    /** In NewReno fast recovery until an ACK covers {@link #recover}. */
    boolean inRecovery;
    /** RFC 6582 "recover": SND.MAX when recovery (or the last timeout) began. */
    int recover;
    /** Largest window the peer ever offered (sender SWS avoidance, RFC 9293 3.8.6.2.1). */
    int maxSndWnd;

    // ---------------------------------------------------------------- Nagle, delayed ACK, persist, keepalive
    /** Nagle's algorithm is off (TCP_NODELAY): small segments go at once. */
    boolean noDelay;
    /** Bytes received in order since our last ACK went out (delayed ACK: 2 full segments force one). */
    int rcvUnacked;
    /** Time the delayed ACK goes out, or 0 when none is pending. */
    long ackDeadline;
    /** Time of the next zero-window probe, or 0 when the persist timer is off. */
    long persistDeadline;
    /** Current persist interval, ms (doubles after each probe up to tcpPersistMaxMs). */
    int persistBackoff;
    /**
     * Zero-window probes sent without progress: reset when data is acknowledged or sent, and when the peer
     * answers while the application still holds the connection (RFC 1122 4.2.2.17 lets a live peer keep
     * its window closed forever). After tcpMaxRtx the connection is given up.
     */
    short probes;
    /** Keepalive is on for this connection. */
    boolean keepAlive;
    /** Time the next keepalive probe is due (idle timer or probe interval), or 0 when off. */
    long keepDeadline;
    /** Keepalive probes sent without an answer. */
    int keepProbes;

    // ---------------------------------------------------------------- timestamps (RFC 7323)
    /** Timestamps are on for this connection (offered in our SYN until the peer's SYN says otherwise). */
    boolean tsOk;
    /** TS.Recent: the peer's TSval to echo, and the PAWS bound. */
    int tsRecent;
    /** Last.ACK.sent: the acknowledgment number of the last segment we sent. */
    int lastAckSent;

    // ---------------------------------------------------------------- challenge ACKs (RFC 5961 section 7)
    /** Start (low 32 bits of the stack's ms clock) of the second whose challenge ACKs are counted. */
    int challengeStart;
    /** Challenge ACKs sent in that second; bounded by JwipOptions.tcpChallengeAcksPerSecond. */
    short challengeCount;

    // ---------------------------------------------------------------- window scaling (RFC 7323)
    /** Shift applied to the window field of the peer's segments (0 without scaling). */
    int sndScale;
    /** Shift we apply to the windows we announce (0 without scaling). */
    int rcvScale;
    /** Right edge of the last window we announced (RCV.NXT + window): never moved left. */
    int rcvAnnRight;

    /** FIN_WAIT_2 with the application closed: released at this time if the peer's FIN has not come. */
    long finWait2Deadline;

    // ---------------------------------------------------------------- queues (TCP_SEG entries)
    /** Segments not yet sent (or to be sent again after a timeout), in sequence order. */
    TcpSeg unsent;
    TcpSeg unsentTail;
    /** Segments sent and not yet acknowledged, in sequence order. */
    TcpSeg unacked;
    TcpSeg unackedTail;
    /** Out-of-order received segments, sorted, non-overlapping, all beyond {@link #rcvNxt}. */
    TcpSeg ooseq;
    int ooseqBytes;
    int ooseqSegs;

    // ---------------------------------------------------------------- public read-only view
    public int state() { return state; }
    public String stateName() { return TcpState.name(state); }
    public int localAddr() { return localAddr; }
    public int localPort() { return localPort; }
    public int remoteAddr() { return remoteAddr; }
    public int remotePort() { return remotePort; }
    /** Effective send MSS. */
    public int mss() { return mss; }
    /** Receive window we would announce now. */
    public int rcvWnd() { return rcvWnd; }
    /** Bytes written and not yet acknowledged. */
    public int sendQueued() { return sndBuffered; }
    /** Current retransmission timeout, ms. */
    public int rto() { return rto; }
    /** The peer's send window (scaled). */
    public int sndWnd() { return sndWnd; }
    /** Congestion window, bytes. */
    public int cwnd() { return cwnd; }
    /** Slow start threshold, bytes. */
    public int ssthresh() { return ssthresh; }
    /** True while in NewReno fast recovery. */
    public boolean inFastRecovery() { return inRecovery; }
    /** Window scale shifts: ours (applied to what we announce) and the peer's. */
    public int rcvScale() { return rcvScale; }
    public int sndScale() { return sndScale; }
    /** Timestamps are in use on this connection. */
    public boolean timestamps() { return tsOk; }
    /** Nagle's algorithm is off. */
    public boolean noDelay() { return noDelay; }
}
