package io.jwip.ppp;

import io.jwip.StackRandom;
import io.jwip.wire.Bytes;

/**
 * The Link Control Protocol (RFC 1661 5 and 6) on the {@link PppFsm} automaton: it builds and answers
 * LCP packets and negotiates MRU, ACCM (RFC 1662 7.1), Authentication-Protocol, Magic-Number, PFC and ACFC.
 *
 * <pre>
 *    0                   1                   2                   3
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |     Code      |  Identifier   |            Length             |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |    Data (options: Type, Length, Value ...)
 *   +-+-+-+-+-+-+-+-+-
 * </pre>
 *
 * What the peer asks is judged option by option: unknown options (and lengths that are wrong for a known
 * one) are rejected, values we cannot take are Nak'd with one we can (an MRU below 128, an authentication
 * protocol we cannot speak, a Magic-Number equal to ours: a looped-back line, RFC 1661 6.4), the rest is
 * acknowledged. What the peer rejects of ours we stop asking; what it Naks we change. Packets are built in
 * one array made here and handed to the {@link Output}; nothing allocates after construction.
 */
public final class Lcp extends ControlProtocol {
    public static final int CONFIGURE_REQUEST = 1;
    public static final int CONFIGURE_ACK = 2;
    public static final int CONFIGURE_NAK = 3;
    public static final int CONFIGURE_REJECT = 4;
    public static final int TERMINATE_REQUEST = 5;
    public static final int TERMINATE_ACK = 6;
    public static final int CODE_REJECT = 7;
    public static final int PROTOCOL_REJECT = 8;
    public static final int ECHO_REQUEST = 9;
    public static final int ECHO_REPLY = 10;
    public static final int DISCARD_REQUEST = 11;

    public static final int OPT_MRU = 1;
    public static final int OPT_ACCM = 2;
    public static final int OPT_AUTH = 3;
    public static final int OPT_MAGIC = 5;
    public static final int OPT_PFC = 7;
    public static final int OPT_ACFC = 8;
    /** FCS-Alternatives (RFC 1570 2.1): a bit mask of the FCS the sender wants to receive. */
    public static final int OPT_FCS_ALTERNATIVES = 9;
    static final int FCS_16 = 0x02, FCS_32 = 0x04;

    /** The smallest MRU we accept from a peer (RFC 1661 says every implementation takes 1500; 128 is safe below). */
    public static final int MIN_MRU = 128;
    public static final int DEFAULT_MRU = 1500;

    /** Where LCP packets go (the PPP link frames them as protocol C021). */
    public interface Output {
        void send(int protocol, byte[] packet, int len);
    }

    /** What the layers above hear. */
    public interface Listener {
        /** LCP opened: the link is up for authentication and the network protocols. */
        void lcpUp();

        /** LCP left Opened. */
        void lcpDown();

        /** LCP has finished (the lower layer may go down). */
        void lcpFinished();
    }

    private final StackRandom random;
    private Listener listener;

    // What we ask for (each while the peer has not rejected it).
    private int ourMru = DEFAULT_MRU;
    private boolean askMru;
    private int ourAccm;
    private boolean askAccm = true;
    private int ourMagic;
    private boolean askMagic = true;
    private boolean askPfc = true;
    private boolean askAcfc = true;
    /** We ask for the 32-bit FCS on what we receive ({@link #setFcs32}). */
    private boolean askFcs32;
    private boolean configuredFcs32;
    private boolean fcs32Acked;
    private boolean peerFcs32;
    /** The authentication we require of the peer (0: none, else PAP or CHAP), server side. */
    private int requireAuth;

    // What the peer asked and we acknowledged.
    private int peerMru = DEFAULT_MRU;
    private int peerAccm = 0xffffffff;
    private int peerMagic;
    private boolean peerPfc;
    private boolean peerAcfc;
    private int peerAuth;
    /** Authentication protocols we can do as the authenticated peer. */
    private boolean canPap;
    private boolean canChap;

    long loopbacks;
    long badPackets;

    public Lcp(Output out, StackRandom random) {
        super(out, PppProtocol.LCP);
        this.random = random;
        this.ourMagic = newMagic();
    }

    public void setListener(Listener l) { this.listener = l; }

    /** The MRU we ask for (and so the largest frame we take); 1500 is not asked for (it is the default). */
    public void setMru(int mru) {
        ourMru = mru;
        askMru = mru != DEFAULT_MRU;
    }

    /** The control characters we want escaped toward us (0: none, the usual on a clean line). */
    public void setAccm(int accm) { ourAccm = accm; }

    /** As the authenticator: require PAP ({@link PppProtocol#PAP}) or CHAP-MD5 ({@link PppProtocol#CHAP}); 0 for none. */
    public void requireAuthentication(int protocol) {
        this.requireAuth = protocol;
        this.configuredAuth = protocol;
        this.authRefused = false;
    }

    private int configuredAuth;
    private boolean authRefused;

    /** The authentication we asked of the peer and it agreed to (0: none), valid once opened. */
    public int ourAuth() { return requireAuth; }

    /** We require authentication and the peer rejected the option: it will not authenticate. */
    public boolean authRefused() { return authRefused; }

    /** As the peer being authenticated: which protocols we have credentials for. */
    public void canAuthenticate(boolean pap, boolean chap) {
        this.canPap = pap;
        this.canChap = chap;
    }

    /** Ask the peer for the 32-bit FCS (RFC 1570 FCS-Alternatives); a peer that rejects it keeps FCS-16. */
    public void setFcs32(boolean on) {
        askFcs32 = on;
        configuredFcs32 = on;
    }

    /** The peer agreed to send us FCS-32 (valid once opened). */
    public boolean fcs32Receive() { return fcs32Acked; }

    /** The peer asked us to send FCS-32. */
    public boolean fcs32Send() { return peerFcs32; }

    // What was agreed, for the framing and the layers above.
    public int peerMru() { return peerMru; }
    public int peerAccm() { return peerAccm; }
    public boolean peerPfc() { return peerPfc; }
    public boolean peerAcfc() { return peerAcfc; }
    /** The authentication the peer asked of us (0: none). */
    public int peerAuth() { return peerAuth; }
    public int ourMagic() { return ourMagic; }
    /** Configure-Requests whose Magic-Number was ours: the line loops back. */
    public long loopbacks() { return loopbacks; }

    private int newMagic() {
        int m;
        do {
            m = (int) random.next();
        } while (m == 0);
        return m;
    }

    // ================================================================ input

    /** An LCP packet ({@code len} bytes at {@code off}) from the peer. */
    public void input(byte[] b, int off, int len, long now) {
        if (len < 4) {
            badPackets++;
            return;
        }
        int code = Bytes.u8(b, off);
        int id = Bytes.u8(b, off + 1);
        int plen = Bytes.u16(b, off + 2);
        if (plen < 4 || plen > len) {
            badPackets++;
            return;
        }
        rxId = id;
        switch (code) {
            case CONFIGURE_REQUEST:
                judgeRequest(b, off + 4, plen - 4);
                fsm.receiveConfigureRequest(responseCode == CONFIGURE_ACK, now);
                break;
            case CONFIGURE_ACK:
                if (id == txId) {
                    fcs32Acked = askFcs32; // an Ack repeats our request
                    fsm.receiveConfigureAck(now);
                }
                break;
            case CONFIGURE_NAK:
            case CONFIGURE_REJECT:
                if (id == txId) {
                    adjust(code, b, off + 4, plen - 4);
                    fsm.receiveConfigureNak(now);
                }
                break;
            case TERMINATE_REQUEST:
                fsm.receiveTerminateRequest(now);
                break;
            case TERMINATE_ACK:
                fsm.receiveTerminateAck(now);
                break;
            case CODE_REJECT:
                int rejected = plen >= 5 ? Bytes.u8(b, off + 4) : 0;
                fsm.receiveCodeReject(rejected > TERMINATE_ACK || rejected == 0, now);
                break;
            case PROTOCOL_REJECT:
                fsm.receiveCodeReject(true, now);
                break;
            case ECHO_REQUEST:
                if (plen >= 8 && Bytes.i32(b, off + 4) == ourMagic && ourMagic != 0) {
                    loopbacks++;
                }
                echoData = plen - 4;
                System.arraycopy(b, off + 4, response, 0, Math.min(echoData, response.length));
                fsm.receiveEchoOrDiscard(true);
                break;
            case ECHO_REPLY:
                echoReplies++;
                break;
            case DISCARD_REQUEST:
                fsm.receiveEchoOrDiscard(false);
                break;
            default:
                keepUnknown(b, off, plen);
                fsm.receiveUnknownCode();
        }
    }

    private int echoData;
    long echoReplies;

    /** Echo-Replies received (the keepalive counts them). */
    public long echoReplies() { return echoReplies; }

    /**
     * Judges a Configure-Request's options and prepares the answer in {@link #response}: a Configure-Reject
     * of the unknown ones if any, else a Configure-Nak of the ones we cannot take, else a Configure-Ack.
     */
    private void judgeRequest(byte[] b, int at, int n) {
        int rej = 0;
        int nak = 0;
        int end = at + n;
        // First pass: rejects (RFC 1661 5.4: a Reject answers before any Nak).
        for (int i = at; i < end; ) {
            if (i + 2 > end || Bytes.u8(b, i + 1) < 2 || i + Bytes.u8(b, i + 1) > end) {
                badPackets++;
                rej = copy(response, 4 + rej, b, i, end - i) - 4; // a malformed tail is rejected whole
                break;
            }
            int type = Bytes.u8(b, i);
            int l = Bytes.u8(b, i + 1);
            if (!known(type, l)) {
                rej = copy(response, 4 + rej, b, i, l) - 4;
            }
            i += l;
        }
        if (rej > 0) {
            responseCode = CONFIGURE_REJECT;
            responseLen = 4 + rej;
            return;
        }
        int nakAt = 4;
        int mru = DEFAULT_MRU;
        int accm = 0xffffffff;
        int magic = 0;
        boolean pfc = false;
        boolean acfc = false;
        int auth = 0;
        boolean fcs32 = false;
        for (int i = at; i < end; ) {
            int type = Bytes.u8(b, i);
            int l = Bytes.u8(b, i + 1);
            switch (type) {
                case OPT_MRU:
                    mru = Bytes.u16(b, i + 2);
                    if (mru < MIN_MRU) {
                        response[nakAt] = OPT_MRU;
                        response[nakAt + 1] = 4;
                        Bytes.put16(response, nakAt + 2, MIN_MRU);
                        nakAt += 4;
                        nak++;
                    }
                    break;
                case OPT_ACCM:
                    accm = Bytes.i32(b, i + 2);
                    break;
                case OPT_MAGIC:
                    magic = Bytes.i32(b, i + 2);
                    if (magic == ourMagic && magic != 0) {
                        loopbacks++; // RFC 1661 6.4: Nak with another number; a loop keeps seeing ours
                        response[nakAt] = OPT_MAGIC;
                        response[nakAt + 1] = 6;
                        Bytes.put32(response, nakAt + 2, newMagic());
                        nakAt += 6;
                        nak++;
                    }
                    break;
                case OPT_PFC:
                    pfc = true;
                    break;
                case OPT_ACFC:
                    acfc = true;
                    break;
                case OPT_FCS_ALTERNATIVES: {
                    int want = Bytes.u8(b, i + 2);
                    if ((want & (FCS_16 | FCS_32)) == 0) { // only the null FCS (or nothing): not on a serial line
                        response[nakAt] = OPT_FCS_ALTERNATIVES;
                        response[nakAt + 1] = 3;
                        response[nakAt + 2] = (byte) (FCS_16 | FCS_32);
                        nakAt += 3;
                        nak++;
                    }
                    fcs32 = (want & FCS_32) != 0;
                    break;
                }
                case OPT_AUTH:
                    auth = Bytes.u16(b, i + 2);
                    boolean ok = auth == PppProtocol.PAP && canPap
                            || auth == PppProtocol.CHAP && l == 5 && Bytes.u8(b, i + 4) == 5 && canChap;
                    if (!ok) {
                        // Suggest what we can do (RFC 1661 6.2 allows a Nak with another protocol).
                        response[nakAt] = OPT_AUTH;
                        if (canChap) {
                            response[nakAt + 1] = 5;
                            Bytes.put16(response, nakAt + 2, PppProtocol.CHAP);
                            response[nakAt + 4] = 5;
                            nakAt += 5;
                        } else {
                            response[nakAt + 1] = 4;
                            Bytes.put16(response, nakAt + 2, PppProtocol.PAP);
                            nakAt += 4;
                        }
                        nak++;
                    }
                    break;
                default:
                    break;
            }
            i += l;
        }
        if (nak > 0) {
            responseCode = CONFIGURE_NAK;
            responseLen = nakAt;
            return;
        }
        responseCode = CONFIGURE_ACK;
        responseLen = copy(response, 4, b, at, n);
        peerMru = mru;
        peerAccm = accm;
        peerMagic = magic;
        peerPfc = pfc;
        peerAcfc = acfc;
        peerAuth = auth;
        peerFcs32 = fcs32;
    }

    private boolean known(int type, int len) {
        switch (type) {
            case OPT_MRU:
                return len == 4;
            case OPT_ACCM:
            case OPT_MAGIC:
                return len == 6;
            case OPT_AUTH:
                return len >= 4 && (canPap || canChap); // without credentials we cannot be authenticated
            case OPT_PFC:
            case OPT_ACFC:
                return len == 2;
            case OPT_FCS_ALTERNATIVES:
                return len == 3;
            default:
                return false;
        }
    }

    /** The peer Nak'd or Rejected our request: change or drop the options it named. */
    private void adjust(int code, byte[] b, int at, int n) {
        int end = at + n;
        for (int i = at; i + 2 <= end; ) {
            int type = Bytes.u8(b, i);
            int l = Bytes.u8(b, i + 1);
            if (l < 2 || i + l > end) {
                badPackets++;
                return;
            }
            if (code == CONFIGURE_REJECT) {
                switch (type) {
                    case OPT_MRU: askMru = false; break;
                    case OPT_ACCM: askAccm = false; break;
                    case OPT_MAGIC: askMagic = false; break;
                    case OPT_PFC: askPfc = false; break;
                    case OPT_ACFC: askAcfc = false; break;
                    case OPT_FCS_ALTERNATIVES: askFcs32 = false; break;
                    case OPT_AUTH: // an authenticator that is refused: the session ends the link once LCP opens
                        authRefused = requireAuth != 0;
                        requireAuth = 0;
                        break;
                    default: break;
                }
            } else if (type == OPT_FCS_ALTERNATIVES) {
                askFcs32 = l == 3 && (Bytes.u8(b, i + 2) & FCS_32) != 0; // it offers another: keep FCS-16
            } else if (type == OPT_MRU && l == 4) {
                int m = Bytes.u16(b, i + 2);
                ourMru = Math.max(MIN_MRU, Math.min(m, ourMru));
                askMru = ourMru != DEFAULT_MRU;
            } else if (type == OPT_ACCM && l == 6) {
                ourAccm |= Bytes.i32(b, i + 2); // escape what the peer needs escaped as well
            } else if (type == OPT_MAGIC && l == 6) {
                ourMagic = newMagic();
            } else if (type == OPT_AUTH && l >= 4) {
                int proto = Bytes.u16(b, i + 2);
                if (proto == PppProtocol.PAP || proto == PppProtocol.CHAP) {
                    requireAuth = proto;
                }
            }
            i += l;
        }
    }

    // ================================================================ PppFsm.Actions

    @Override
    public void thisLayerUp() {
        if (listener != null) {
            listener.lcpUp();
        }
    }

    @Override
    public void thisLayerDown() {
        if (listener != null) {
            listener.lcpDown();
        }
    }

    @Override
    public void thisLayerStarted() {
        requireAuth = configuredAuth; // a new link negotiates afresh
        authRefused = false;
        askFcs32 = configuredFcs32;
        fcs32Acked = false;
        peerFcs32 = false;
    }

    @Override
    public void thisLayerFinished() {
        if (listener != null) {
            listener.lcpFinished();
        }
    }

    @Override
    public void sendConfigureRequest(boolean retransmit) {
        if (!retransmit) {
            txId = (txId + 1) & 0xff;
        }
        int n = 4;
        if (askMru) {
            tx[n] = OPT_MRU;
            tx[n + 1] = 4;
            Bytes.put16(tx, n + 2, ourMru);
            n += 4;
        }
        if (askAccm) {
            tx[n] = OPT_ACCM;
            tx[n + 1] = 6;
            Bytes.put32(tx, n + 2, ourAccm);
            n += 6;
        }
        if (requireAuth == PppProtocol.PAP) {
            tx[n] = OPT_AUTH;
            tx[n + 1] = 4;
            Bytes.put16(tx, n + 2, PppProtocol.PAP);
            n += 4;
        } else if (requireAuth == PppProtocol.CHAP) {
            tx[n] = OPT_AUTH;
            tx[n + 1] = 5;
            Bytes.put16(tx, n + 2, PppProtocol.CHAP);
            tx[n + 4] = 5; // MD5
            n += 5;
        }
        if (askMagic) {
            tx[n] = OPT_MAGIC;
            tx[n + 1] = 6;
            Bytes.put32(tx, n + 2, ourMagic);
            n += 6;
        }
        if (askPfc) {
            tx[n] = OPT_PFC;
            tx[n + 1] = 2;
            n += 2;
        }
        if (askAcfc) {
            tx[n] = OPT_ACFC;
            tx[n + 1] = 2;
            n += 2;
        }
        if (askFcs32) {
            tx[n] = OPT_FCS_ALTERNATIVES;
            tx[n + 1] = 3;
            tx[n + 2] = FCS_32;
            n += 3;
        }
        header(tx, CONFIGURE_REQUEST, txId, n);
        out.send(PppProtocol.LCP, tx, n);
    }







    @Override
    public void sendEchoReply() {
        int n = Math.min(echoData, tx.length - 4);
        System.arraycopy(response, 0, tx, 4, n);
        if (n >= 4) {
            Bytes.put32(tx, 4, askMagic ? ourMagic : 0);
        }
        header(tx, ECHO_REPLY, rxId, 4 + n);
        out.send(PppProtocol.LCP, tx, 4 + n);
    }

    /** Sends an Echo-Request (the keepalive); only when Opened. */
    public void sendEchoRequest() {
        if (fsm.state() != PppFsm.OPENED) {
            return;
        }
        txId = (txId + 1) & 0xff;
        Bytes.put32(tx, 4, askMagic ? ourMagic : 0);
        header(tx, ECHO_REQUEST, txId, 8);
        out.send(PppProtocol.LCP, tx, 8);
    }


}
