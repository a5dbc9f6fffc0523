package io.jwip.ppp;

import io.jwip.StackTime;

/**
 * The option negotiation automaton of RFC 1661 section 4, shared by LCP and the network control protocols
 * (IPCP): its ten states, sixteen events and the actions of the state transition table (4.1), with the
 * restart timer and counters (4.6). The protocol that uses it decides what its packets mean (a received
 * Configure-Request is "good" or not, RCR+ or RCR-) and does the actions it is asked for through
 * {@link Actions}; the automaton only keeps the state, the timer and the counters.
 *
 * <pre>
 *   state      Up         Down     Open       Close       TO+     TO-      RCR+          RCR-          RCA
 *   Initial    2          -        tls/1      0           -       -        -             -             -
 *   Starting   irc,scr/6  -        1          tlf/0       -       -        -             -             -
 *   Closed     -          0        irc,scr/6  2           -       -        sta/2         sta/2         sta/2
 *   Stopped    -          tls/1    3          2           -       -        irc,scr,sca/8 irc,scr,scn/6 sta/3
 *   Closing    -          0        5          4           str/4   tlf/2    4             4             4
 *   Stopping   -          1        5          4           str/5   tlf/3    5             5             5
 *   Req-Sent   -          1        6          irc,str/4   scr/6   tlf/3    sca/8         scn/6         irc/7
 *   Ack-Rcvd   -          1        7          irc,str/4   scr/6   tlf/3    sca,tlu/9     scn/7         scr/6
 *   Ack-Sent   -          1        8          irc,str/4   scr/8   tlf/3    sca/8         scn/6         irc,tlu/9
 *   Opened     -          tld/1    9          tld,irc,    -       -        tld,scr,      tld,scr,      tld,scr/6
 *                                             str/4                        sca/8         scn/6
 *
 *   state      RCN        RTR            RTA        RUC     RXJ+    RXJ-            RXR
 *   Closed     sta/2      sta/2          2          scj/2   2       tlf/2           2
 *   Stopped    sta/3      sta/3          3          scj/3   3       tlf/3           3
 *   Closing    4          sta/4          tlf/2      scj/4   4       tlf/2           4
 *   Stopping   5          sta/5          tlf/3      scj/5   5       tlf/3           5
 *   Req-Sent   irc,scr/6  sta/6          6          scj/6   6       tlf/3           6
 *   Ack-Rcvd   scr/6      sta/6          6          scj/7   6       tlf/3           7
 *   Ack-Sent   irc,scr/8  sta/6          8          scj/8   8       tlf/3           8
 *   Opened     tld,scr/6  tld,zrc,sta/5  tld,scr/6  scj/9   9       tld,irc,str/5   ser/9
 * </pre>
 *
 * The optional "restart" (r) and "passive" (p) behaviours of the RFC's table are not taken: Open in
 * Stopped, Closing, Stopping and Opened changes nothing, and TO- in the request states ends in Stopped.
 * Events that cannot happen in a state (a packet in Initial or Starting: the lower layer is not up) are
 * ignored. Times are the RFC's defaults unless set: restart timer 3 s, Max-Terminate 2, Max-Configure 10,
 * Max-Failure 5 (Configure-Naks in a row before the layer should reject instead).
 */
public final class PppFsm {
    public static final int INITIAL = 0;
    public static final int STARTING = 1;
    public static final int CLOSED = 2;
    public static final int STOPPED = 3;
    public static final int CLOSING = 4;
    public static final int STOPPING = 5;
    public static final int REQ_SENT = 6;
    public static final int ACK_RCVD = 7;
    public static final int ACK_SENT = 8;
    public static final int OPENED = 9;
    public static final int STATES = 10;
    private static final String[] NAMES = {"Initial", "Starting", "Closed", "Stopped", "Closing", "Stopping",
        "Req-Sent", "Ack-Rcvd", "Ack-Sent", "Opened"};

    public static String name(int state) {
        return state >= 0 && state < STATES ? NAMES[state] : "unknown";
    }

    /** Hears every state change with the event that caused it (RFC 1661's names: RCR+, RTA, TO, ...). */
    public interface Trace {
        void transition(String layer, int from, int to, String event);
    }

    private Trace trace;
    private String layer = "";

    /** Reports this automaton's transitions to {@code t}, as {@code layer} ("LCP", "IPCP"). */
    public PppFsm trace(String layer, Trace t) {
        this.layer = layer;
        this.trace = t;
        return this;
    }

    private void traced(int before, String event) {
        if (trace != null && state != before) {
            trace.transition(layer, before, state, event);
        }
    }

    /** What the protocol does when the automaton asks (RFC 1661 4.4). */
    public interface Actions {
        /** tlu: This-Layer-Up: the layer is open (LCP: start authentication or the NCPs). */
        void thisLayerUp();

        /** tld: This-Layer-Down. */
        void thisLayerDown();

        /** tls: This-Layer-Started: the layer wants the lower layer up. */
        void thisLayerStarted();

        /** tlf: This-Layer-Finished: the layer no longer needs the lower layer. */
        void thisLayerFinished();

        /** scr: send a Configure-Request (a new Identifier when {@code retransmit} is false). */
        void sendConfigureRequest(boolean retransmit);

        /** sca: send a Configure-Ack for the request just received. */
        void sendConfigureAck();

        /** scn: send a Configure-Nak or -Reject for the request just received. */
        void sendConfigureNak();

        /** str: send a Terminate-Request. */
        void sendTerminateRequest();

        /** sta: send a Terminate-Ack. */
        void sendTerminateAck();

        /** scj: send a Code-Reject for the packet just received. */
        void sendCodeReject();

        /** ser: send an Echo-Reply for the Echo-Request just received. */
        void sendEchoReply();

        /** irc: the restart counter was set (to Max-Configure or Max-Terminate); for traces, default nothing. */
        default void initializeRestartCount() {
        }
    }

    private final Actions a;
    private int state = INITIAL;
    private int restartCounter;
    private long timer = StackTime.NO_DEADLINE;
    private int failures;
    private long restartMs = 3000;
    private int maxTerminate = 2;
    private int maxConfigure = 10;
    private int maxFailure = 5;

    public PppFsm(Actions actions) {
        this.a = actions;
    }

    /** Sets the restart timer and the counters (RFC 1661 4.6). */
    public PppFsm configure(long restartMs, int maxTerminate, int maxConfigure, int maxFailure) {
        this.restartMs = restartMs;
        this.maxTerminate = maxTerminate;
        this.maxConfigure = maxConfigure;
        this.maxFailure = maxFailure;
        return this;
    }

    public int state() { return state; }

    /** Puts the automaton in {@code s} (tests of one table cell at a time). */
    void force(int s) {
        state = s;
    }

    /** True once more than Max-Failure Configure-Naks went out in a row: the layer should Reject instead. */
    public boolean failuresExceeded() { return failures >= maxFailure; }

    /** During a Nak being sent (scn counted it): Max-Failure Naks went before it, so it goes as a Reject. */
    boolean rejectInsteadOfNak() { return failures > maxFailure; }

    /**
     * Configure-Naks received without reaching Opened: a peer that Naks every request (a new Magic-Number
     * each time, say) would otherwise keep us negotiating forever, since each Nak restarts the counter.
     * Past {@link #MAX_NAKS_RECEIVED} the automaton gives up as if Max-Configure ran out (tlf, Stopped).
     */
    private int naksReceived;
    static final int MAX_NAKS_RECEIVED = 20;

    /** When the restart timer expires (stack time), or NO_DEADLINE when it is not running. */
    public long timer() { return timer; }

    public int restartCounter() { return restartCounter; }

    // ================================================================ events

    /** The lower layer is up. */
    public void up(long now) {
        int before = state;
        upEvent(now);
        traced(before, "Up");
    }

    private void upEvent(long now) {
        naksReceived = 0;
        if (state == INITIAL) {
            state = CLOSED;
        } else if (state == STARTING) {
            irc(now, maxConfigure);
            scr(now, false);
            state = REQ_SENT;
        }
    }

    /** The lower layer is down. */
    public void down() {
        int before = state;
        downEvent();
        traced(before, "Down");
    }

    private void downEvent() {
        switch (state) {
            case CLOSED:
            case CLOSING:
                state = INITIAL;
                break;
            case STOPPED:
                a.thisLayerStarted();
                state = STARTING;
                break;
            case STOPPING:
            case REQ_SENT:
            case ACK_RCVD:
            case ACK_SENT:
                state = STARTING;
                break;
            case OPENED:
                a.thisLayerDown();
                state = STARTING;
                break;
            default:
                break;
        }
        timer = StackTime.NO_DEADLINE;
    }

    /** The administrator (or the layer above) wants the link open. */
    public void open(long now) {
        int before = state;
        openEvent(now);
        traced(before, "Open");
    }

    private void openEvent(long now) {
        naksReceived = 0;
        switch (state) {
            case INITIAL:
                a.thisLayerStarted();
                state = STARTING;
                break;
            case CLOSED:
                irc(now, maxConfigure);
                scr(now, false);
                state = REQ_SENT;
                break;
            case CLOSING:
                state = STOPPING;
                break;
            default:
                break; // Starting, Stopped, Stopping and the open states: already going there
        }
    }

    /** The administrator wants the link closed. */
    public void close(long now) {
        int before = state;
        closeEvent(now);
        traced(before, "Close");
    }

    private void closeEvent(long now) {
        switch (state) {
            case STARTING:
                a.thisLayerFinished();
                state = INITIAL;
                break;
            case STOPPED:
                state = CLOSED;
                break;
            case STOPPING:
                state = CLOSING;
                break;
            case OPENED:
                a.thisLayerDown();
                irc(now, maxTerminate);
                str(now);
                state = CLOSING;
                break;
            case REQ_SENT:
            case ACK_RCVD:
            case ACK_SENT:
                irc(now, maxTerminate);
                str(now);
                state = CLOSING;
                break;
            default:
                break;
        }
    }

    /** Runs the restart timer: TO+ or TO- when it has expired. */
    public long timers(long now) {
        int before = state;
        long next = timersEvent(now);
        traced(before, "TO");
        return next;
    }

    private long timersEvent(long now) {
        if (now < timer) {
            return timer;
        }
        timer = StackTime.NO_DEADLINE;
        boolean more = restartCounter > 0;
        switch (state) {
            case CLOSING:
            case STOPPING:
                if (more) {
                    str(now);
                } else {
                    a.thisLayerFinished();
                    state = state == CLOSING ? CLOSED : STOPPED;
                }
                break;
            case REQ_SENT:
            case ACK_RCVD:
            case ACK_SENT:
                if (more) {
                    scr(now, true);
                    if (state == ACK_RCVD) {
                        state = REQ_SENT;
                    }
                } else {
                    a.thisLayerFinished();
                    state = STOPPED;
                }
                break;
            default:
                break;
        }
        return timer;
    }

    /** RCR+ (good) or RCR- (not acceptable): a Configure-Request came. */
    public void receiveConfigureRequest(boolean good, long now) {
        int before = state;
        receiveConfigureRequestEvent(good, now);
        traced(before, good ? "RCR+" : "RCR-");
    }

    private void receiveConfigureRequestEvent(boolean good, long now) {
        switch (state) {
            case CLOSED:
                a.sendTerminateAck();
                break;
            case STOPPED:
                irc(now, maxConfigure);
                scr(now, false);
                if (good) {
                    sca();
                    state = ACK_SENT;
                } else {
                    scn();
                    state = REQ_SENT;
                }
                break;
            case REQ_SENT:
            case ACK_SENT:
                if (good) {
                    sca();
                    state = ACK_SENT;
                } else {
                    scn();
                    state = REQ_SENT;
                }
                break;
            case ACK_RCVD:
                if (good) {
                    sca();
                    naksReceived = 0;
                    a.thisLayerUp();
                    state = OPENED;
                } else {
                    scn();
                }
                break;
            case OPENED:
                a.thisLayerDown();
                scr(now, false);
                if (good) {
                    sca();
                    state = ACK_SENT;
                } else {
                    scn();
                    state = REQ_SENT;
                }
                break;
            default:
                break; // Closing, Stopping: ignored; Initial, Starting: cannot happen
        }
    }

    /** RCA: a Configure-Ack for our current request came. */
    public void receiveConfigureAck(long now) {
        int before = state;
        receiveConfigureAckEvent(now);
        traced(before, "RCA");
    }

    private void receiveConfigureAckEvent(long now) {
        switch (state) {
            case CLOSED:
            case STOPPED:
                a.sendTerminateAck();
                break;
            case REQ_SENT:
                irc(now, maxConfigure);
                state = ACK_RCVD;
                break;
            case ACK_RCVD:
                scr(now, false); // crossed connection
                state = REQ_SENT;
                break;
            case ACK_SENT:
                irc(now, maxConfigure);
                naksReceived = 0;
                a.thisLayerUp();
                state = OPENED;
                break;
            case OPENED:
                a.thisLayerDown();
                scr(now, false);
                state = REQ_SENT;
                break;
            default:
                break;
        }
    }

    /** RCN: a Configure-Nak or Configure-Reject for our current request came (the layer has noted what to change). */
    public void receiveConfigureNak(long now) {
        int before = state;
        receiveConfigureNakEvent(now);
        traced(before, "RCN");
    }

    private void receiveConfigureNakEvent(long now) {
        if ((state == REQ_SENT || state == ACK_RCVD || state == ACK_SENT) && ++naksReceived > MAX_NAKS_RECEIVED) {
            timer = StackTime.NO_DEADLINE;
            state = STOPPED;
            a.thisLayerFinished();
            return;
        }
        switch (state) {
            case CLOSED:
            case STOPPED:
                a.sendTerminateAck();
                break;
            case REQ_SENT:
                irc(now, maxConfigure);
                scr(now, false);
                break;
            case ACK_RCVD:
                scr(now, false);
                state = REQ_SENT;
                break;
            case ACK_SENT:
                irc(now, maxConfigure);
                scr(now, false);
                break;
            case OPENED:
                a.thisLayerDown();
                scr(now, false);
                state = REQ_SENT;
                break;
            default:
                break;
        }
    }

    /** RTR: a Terminate-Request came. */
    public void receiveTerminateRequest(long now) {
        int before = state;
        receiveTerminateRequestEvent(now);
        traced(before, "RTR");
    }

    private void receiveTerminateRequestEvent(long now) {
        switch (state) {
            case CLOSED:
            case STOPPED:
            case CLOSING:
            case STOPPING:
            case REQ_SENT:
                a.sendTerminateAck();
                break;
            case ACK_RCVD:
            case ACK_SENT:
                a.sendTerminateAck();
                state = REQ_SENT;
                break;
            case OPENED:
                a.thisLayerDown();
                restartCounter = 0;
                timer = now + restartMs; // zrc: wait one restart period, then Stopped
                a.sendTerminateAck();
                state = STOPPING;
                break;
            default:
                break;
        }
    }

    /** RTA: a Terminate-Ack came. */
    public void receiveTerminateAck(long now) {
        int before = state;
        receiveTerminateAckEvent(now);
        traced(before, "RTA");
    }

    private void receiveTerminateAckEvent(long now) {
        switch (state) {
            case CLOSING:
                a.thisLayerFinished();
                timer = StackTime.NO_DEADLINE;
                state = CLOSED;
                break;
            case STOPPING:
                a.thisLayerFinished();
                timer = StackTime.NO_DEADLINE;
                state = STOPPED;
                break;
            case ACK_RCVD:
                state = REQ_SENT;
                break;
            case OPENED:
                a.thisLayerDown();
                scr(now, false);
                state = REQ_SENT;
                break;
            default:
                break;
        }
    }

    /** RUC: a packet with an unknown code came. */
    public void receiveUnknownCode() {
        int before = state;
        receiveUnknownCodeEvent();
        traced(before, "RUC");
    }

    private void receiveUnknownCodeEvent() {
        if (state >= CLOSED) {
            a.sendCodeReject();
        }
    }

    /** RXJ+ (a rejected code or protocol the layer can do without) or RXJ- (one it cannot). */
    public void receiveCodeReject(boolean acceptable, long now) {
        int before = state;
        receiveCodeRejectEvent(acceptable, now);
        traced(before, acceptable ? "RXJ+" : "RXJ-");
    }

    private void receiveCodeRejectEvent(boolean acceptable, long now) {
        if (acceptable) {
            if (state == ACK_RCVD) {
                state = REQ_SENT;
            }
            return;
        }
        switch (state) {
            case CLOSED:
            case CLOSING:
                a.thisLayerFinished();
                timer = StackTime.NO_DEADLINE;
                state = CLOSED;
                break;
            case STOPPED:
            case STOPPING:
            case REQ_SENT:
            case ACK_RCVD:
            case ACK_SENT:
                a.thisLayerFinished();
                timer = StackTime.NO_DEADLINE;
                state = STOPPED;
                break;
            case OPENED:
                a.thisLayerDown();
                irc(now, maxTerminate);
                str(now);
                state = STOPPING;
                break;
            default:
                break;
        }
    }

    /** RXR: an Echo-Request, Echo-Reply or Discard-Request came. */
    public void receiveEchoOrDiscard(boolean echoRequest) {
        int before = state;
        receiveEchoOrDiscardEvent(echoRequest);
        traced(before, "RXR");
    }

    private void receiveEchoOrDiscardEvent(boolean echoRequest) {
        if (state == OPENED && echoRequest) {
            a.sendEchoReply();
        }
    }

    // ================================================================ actions with counters

    private void irc(long now, int counter) {
        restartCounter = counter;
        a.initializeRestartCount();
    }

    private void scr(long now, boolean retransmit) {
        restartCounter--;
        timer = now + restartMs;
        a.sendConfigureRequest(retransmit);
    }

    private void str(long now) {
        restartCounter--;
        timer = now + restartMs;
        a.sendTerminateRequest();
    }

    private void sca() {
        failures = 0;
        a.sendConfigureAck();
    }

    private void scn() {
        failures++;
        a.sendConfigureNak();
    }
}
