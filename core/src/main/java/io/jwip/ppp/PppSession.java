package io.jwip.ppp;

import io.jwip.Err;
import io.jwip.StackRandom;
import io.jwip.StackTime;
import io.jwip.buf.Pbuf;
import io.jwip.buf.PbufPool;
import io.jwip.netif.Link;
import io.jwip.netif.LinkUpper;
import io.jwip.stats.Drop;
import io.jwip.stats.Stats;
import io.jwip.wire.Bytes;

/**
 * One PPP link over an asynchronous byte line (RFC 1661, 1662, 1332): HDLC-like framing, LCP, then IPCP,
 * then IPv4. To the netif it is a {@link Link} that carries IPv4 packets once IPCP is open; the line's
 * bytes come in through {@link #received} and go out through the {@link Line}.
 *
 * <pre>
 *   Netif --IPv4--&gt; PppSession --frames--&gt; Line (serial port, TCP, in-memory pipe)
 *   Netif &lt;--IPv4-- PppSession &lt;--bytes--- received(...)
 * </pre>
 *
 * Phases (RFC 1661 3.2): Dead until {@link #start}, Establish while LCP negotiates, Network once LCP is
 * open (IPCP negotiates), then IPv4 flows; the agreed ACCM, PFC and ACFC are applied to the framing when
 * LCP opens. LCP echo requests every {@code echoIntervalMs} keep the link alive: {@code echoFailures}
 * unanswered in a row take it down ("echo timeout"), as does a Terminate-Request from the peer. Frames of
 * protocols we do not speak are answered with a Protocol-Reject. When the peer asks us to authenticate
 * (PAP or CHAP-MD5, with {@link #setCredentials}) the network phase waits for its success
 * ({@link PppAuth}); a refusal takes the link down with the peer's message. Van Jacobson TCP/IP header
 * compression (RFC 1144) is offered with {@link #DEFAULT_VJ_SLOTS} slots ({@link #setVj}) and used in each
 * direction the peer agreed to: TCP segments leave through {@link VjCompressor} and compressed ones are
 * rebuilt by {@link VjDecompressor} into a packet buffer; a frame the framing drops makes the
 * decompressor toss until the peer names a slot again.
 */
public final class PppSession implements Link, HdlcFraming.Receiver, Lcp.Output, Lcp.Listener, Ipcp.Listener,
        PppAuth.Listener, PppAuthenticator.Listener, Stats.Section {
    /** Where framed bytes go. */
    public interface Line {
        /** Writes {@code n} bytes; false if the line is down. */
        boolean write(byte[] b, int off, int n);
    }

    /** What the owner hears: the network layer is up (addresses agreed) or down, with a reason. */
    public interface Listener {
        void up(int ours, int peer, int dns1, int dns2);

        void down(String reason);
    }

    private final Line line;
    private final HdlcFraming framing;
    private final byte[] tx;
    private final byte[] ctl = new byte[1600];
    private final int mru;
    private Lcp lcp;
    private final Ipcp ipcp = new Ipcp(this);
    /** Slots offered for VJ compression when {@link #setVj} is not called (RFC 1332's default: 16). */
    public static final int DEFAULT_VJ_SLOTS = 16;
    private VjCompressor vjTx;
    private VjDecompressor vjRx;
    /**
     * The IP and TCP headers of a transmitted packet, made contiguous for the compressor (which may rewrite
     * the protocol byte); the data is framed straight from the packet buffer.
     */
    private final byte[] headers = new byte[VjCompressor.MAX_HEADER];
    private final PppAuth auth = new PppAuth(this);
    private final PppAuthenticator authenticator = new PppAuthenticator(this);
    /** The authentication we require of the peer (PAP or CHAP; 0: none). */
    private int requiredAuth;
    /** Authentication phase: the peer's proof, and ours, still awaited. */
    private boolean peerProofPending, ourProofPending;
    private LinkUpper upper;
    private Stats stats;
    private StackTime time;
    private Listener listener;
    private boolean ipUp;
    private long echoIntervalMs = 10_000;
    private int echoFailures = 4;
    private long nextEcho = StackTime.NO_DEADLINE;
    private long lastReplies;
    private int missed;
    private boolean server;
    private int serverOurs, serverPeer, serverDns1, serverDns2;

    /** @param mru the largest information field taken and sent (1500 usually) */
    public PppSession(Line line, int mru) {
        this.line = line;
        this.mru = mru;
        this.framing = new HdlcFraming(mru);
        this.tx = new byte[HdlcFraming.maxEncodedLength(mru)];
        setVj(DEFAULT_VJ_SLOTS);
        framing.setReceiver(this);
        ipcp.setListener(this);
        auth.setListener(this);
        authenticator.setListener(this);
    }

    public void setListener(Listener l) { this.listener = l; }

    /** LCP echo keepalive: an Echo-Request every {@code intervalMs}; {@code failures} unanswered take the link down. */
    public void setKeepalive(long intervalMs, int failures) {
        this.echoIntervalMs = intervalMs;
        this.echoFailures = failures;
    }

    /** The server side: our address, the peer's, and DNS servers to give. */
    public void server(int ours, int peer, int dns1, int dns2) {
        server = true;
        serverOurs = ours;
        serverPeer = peer;
        serverDns1 = dns1;
        serverDns2 = dns2;
        ipcp.server(ours, peer, dns1, dns2);
    }

    /** Ask the peer for the 32-bit FCS (RFC 1570), before start; a peer may ask us for it whatever this says. */
    public void setFcs32(boolean on) {
        fcs32 = on;
        if (lcp != null) {
            lcp.setFcs32(on);
        }
    }

    private boolean fcs32;

    /** Van Jacobson compression with {@code slots} slots each way (1..256), or 0 for none (before start). */
    public void setVj(int slots) {
        if (slots < 0 || slots > 256) {
            throw new IllegalArgumentException("VJ slots must be 0..256: " + slots);
        }
        vjTx = slots > 0 ? new VjCompressor(slots) : null;
        vjRx = slots > 0 ? new VjDecompressor(slots) : null;
        ipcp.vj(slots);
    }

    /** The sending half of VJ compression, or null when it is off. */
    public VjCompressor vjCompressor() { return vjTx; }

    /** The receiving half of VJ compression, or null when it is off. */
    public VjDecompressor vjDecompressor() { return vjRx; }

    /** Our name and password for PAP or CHAP-MD5, when the peer asks us to authenticate (before start). */
    public void setCredentials(String user, String password) {
        auth.setCredentials(user, password);
        if (lcp != null) {
            lcp.canAuthenticate(auth.hasCredentials(), auth.hasCredentials());
        }
    }

    /**
     * As the authenticator: require the peer to authenticate with {@code protocol} ({@link PppProtocol#PAP}
     * or {@link PppProtocol#CHAP}, MD5) as {@code user} with {@code password} (before start). A peer that
     * refuses, or presents anything else, takes the link down with "authentication failed: ...".
     */
    public void requireAuthentication(int protocol, String user, String password) {
        requiredAuth = protocol;
        authenticator.setCredentials(user, password);
        if (lcp != null) {
            lcp.requireAuthentication(protocol);
        }
    }

    public PppAuthenticator authenticator() { return authenticator; }

    /** The client: the address to give a peer that asks for one (0.0.0.0 in its IP-Address option). */
    public void peerHint(int a) {
        peerHint = a;
    }

    private int peerHint;

    private long lineBytesOut, lineBytesIn, ipFramesOut, ipLineBytesOut;

    /** Bytes written to the line (every frame, escapes and flags included). */
    public long lineBytesOut() { return lineBytesOut; }
    public long lineBytesIn() { return lineBytesIn; }
    /** IPv4 packets sent (plain, VJ uncompressed or compressed), and the line bytes their frames took. */
    public long ipFramesOut() { return ipFramesOut; }
    public long ipLineBytesOut() { return ipLineBytesOut; }

    private PppFsm.Trace trace;

    /** Every LCP and IPCP state change, with its event, goes to {@code t} (a debug log, a test). */
    public void setTrace(PppFsm.Trace t) {
        trace = t;
        ipcp.fsm().trace("IPCP", t);
        if (lcp != null) {
            lcp.fsm().trace("LCP", t);
        }
    }

    public Lcp lcp() { return lcp; }
    public Ipcp ipcp() { return ipcp; }
    public HdlcFraming framing() { return framing; }
    /** True while IPv4 flows (IPCP open). */
    public boolean isUp() { return ipUp; }

    /** Starts LCP (the line is there): both ends do, PPP is symmetric. */
    public void start() {
        long now = time.now();
        lcp.fsm().open(now);
        lcp.fsm().up(now);
    }

    /**
     * Negotiates the link again from the start (after it went down and the owner waited, or after the line
     * was reopened): whatever state LCP and IPCP are in, they see the lower layer go down and come up.
     */
    public void restart() {
        long now = time.now();
        auth.stop();
        authenticator.stop();
        ipcp.fsm().down();
        lcp.fsm().down();
        lcp.fsm().open(now);
        lcp.fsm().up(now);
    }

    /** Closes the link gracefully (Terminate-Request). */
    public void stop() {
        lcp.fsm().close(time.now());
    }

    /** The line went away: everything down. */
    public void lineDown(String reason) {
        wentDown(reason); // first: the reason the owner hears is this one, not the layers' own
        lcp.fsm().down();
        ipcp.fsm().down();
    }

    /** Bytes from the line. */
    public void received(byte[] b, int off, int n) {
        lineBytesIn += n;
        framing.decode(b, off, n);
    }

    // ================================================================ Link

    @Override
    public void attach(LinkUpper upper) {
        this.upper = upper;
    }

    @Override
    public void joined(PbufPool pool, Stats stats, StackTime time, StackRandom random) {
        this.stats = stats;
        this.time = time;
        stats.addSection(this);
        this.lcp = new Lcp(this, random);
        lcp.setListener(this);
        lcp.fsm().trace("LCP", trace);
        lcp.setAccm(0);
        lcp.setFcs32(fcs32);
        lcp.canAuthenticate(auth.hasCredentials(), auth.hasCredentials());
        lcp.requireAuthentication(requiredAuth);
        authenticator.setRandom(random);
        if (mru != Lcp.DEFAULT_MRU) {
            lcp.setMru(mru);
        }
    }

    @Override
    public int output(Pbuf p) {
        if (!ipUp) {
            return Err.IF;
        }
        if (p.totalLength() > lcp.peerMru()) {
            drop(Drop.LINK_OVERSIZE);
            return Err.BUF;
        }
        int n;
        if (vjTx != null && vjTx.active() && p.totalLength() >= 40 && p.getByte(9) == 6) {
            int head = p.copyOut(0, headers, 0, Math.min(p.totalLength(), headers.length));
            switch (vjTx.compress(headers, 0, p.totalLength())) {
                case VjCompressor.TYPE_COMPRESSED:
                    n = framing.encode(PppProtocol.VJ_COMPRESSED, vjTx.header(), 0, vjTx.headerLength(),
                            p, vjTx.consumed(), tx, 0);
                    break;
                case VjCompressor.TYPE_UNCOMPRESSED:
                    n = framing.encode(PppProtocol.VJ_UNCOMPRESSED, headers, 0, head, p, head, tx, 0);
                    break;
                default:
                    n = framing.encode(PppProtocol.IPV4, p, tx, 0);
            }
        } else {
            n = framing.encode(PppProtocol.IPV4, p, tx, 0);
        }
        lineBytesOut += n;
        if (!line.write(tx, 0, n)) {
            drop(Drop.LINK_IO_ERROR);
            return Err.IF;
        }
        ipFramesOut++;
        ipLineBytesOut += n;
        if (stats != null) {
            stats.ppp.xmit++;
        }
        return Err.OK;
    }

    @Override
    public long timers(long now) {
        long next = Math.min(Math.min(lcp.fsm().timers(now), ipcp.fsm().timers(now)),
                Math.min(auth.timers(now), authenticator.timers(now)));
        if (lcp.fsm().state() == PppFsm.OPENED && echoIntervalMs > 0) {
            if (nextEcho == StackTime.NO_DEADLINE) {
                nextEcho = now + echoIntervalMs;
            } else if (now >= nextEcho) {
                if (lcp.echoReplies() == lastReplies) {
                    missed++;
                } else {
                    missed = 0;
                }
                lastReplies = lcp.echoReplies();
                if (missed >= echoFailures) {
                    wentDown("echo timeout (" + echoFailures + " LCP echo requests unanswered)");
                    lcp.fsm().down();
                    ipcp.fsm().down();
                    nextEcho = StackTime.NO_DEADLINE;
                    return next;
                }
                lcp.sendEchoRequest();
                nextEcho = now + echoIntervalMs;
            }
            next = Math.min(next, nextEcho);
        }
        return next;
    }

    // ================================================================ frames from the line

    @Override
    public void frame(int protocol, byte[] frame, int off, int len) {
        if (stats != null) {
            stats.ppp.recv++;
        }
        long now = time.now();
        switch (protocol) {
            case PppProtocol.LCP:
                lcp.input(frame, off, len, now);
                break;
            case PppProtocol.IPCP:
                if (lcp.fsm().state() == PppFsm.OPENED) {
                    ipcp.input(frame, off, len, now);
                }
                break;
            case PppProtocol.PAP: // a Request is for us as the authenticator, Ack and Nak answer ours
                if (lcp.fsm().state() == PppFsm.OPENED && len >= 1) {
                    if (frame[off] == PppAuth.PAP_REQUEST) {
                        authenticator.papRequest(frame, off, len);
                    } else {
                        auth.papInput(frame, off, len);
                    }
                }
                break;
            case PppProtocol.CHAP: // a Response answers our challenge; the rest is for us as the peer
                if (lcp.fsm().state() == PppFsm.OPENED && len >= 1) {
                    if (frame[off] == PppAuth.CHAP_RESPONSE) {
                        authenticator.chapResponse(frame, off, len);
                    } else {
                        auth.chapInput(frame, off, len);
                    }
                }
                break;
            case PppProtocol.IPV4:
                if (!ipUp || upper == null) {
                    drop(Drop.LINK_DOWN);
                    return;
                }
                Pbuf p = upper.allocInput(len);
                if (p == null) {
                    return; // counted by allocInput
                }
                p.copyIn(0, frame, off, len);
                upper.input(p);
                break;
            case PppProtocol.VJ_UNCOMPRESSED:
            case PppProtocol.VJ_COMPRESSED:
                if (vjRx == null || !vjRx.active()) {
                    if (lcp.fsm().state() == PppFsm.OPENED) {
                        protocolReject(protocol, frame, off, len); // we did not agree to it
                    }
                    return;
                }
                vjInput(protocol, frame, off, len);
                break;
            default:
                if (lcp.fsm().state() == PppFsm.OPENED) {
                    protocolReject(protocol, frame, off, len);
                }
        }
    }

    /** A VJ-compressed or uncompressed-TCP packet: rebuilt into a packet buffer and delivered as IPv4. */
    private void vjInput(int protocol, byte[] frame, int off, int len) {
        if (!ipUp || upper == null) {
            drop(Drop.LINK_DOWN);
            return;
        }
        if (protocol == PppProtocol.VJ_UNCOMPRESSED) {
            if (!vjRx.uncompressed(frame, off, len)) {
                drop(Drop.PPP_VJ_ERROR);
                return;
            }
            Pbuf p = upper.allocInput(len);
            if (p == null) {
                return;
            }
            p.copyIn(0, frame, off, len);
            p.buf[p.offset() + 9] = 6; // the slot number stood in the protocol byte
            upper.input(p);
            return;
        }
        long tossedBefore = vjRx.tossed();
        int hl = vjRx.decompress(frame, off, len);
        if (hl < 0) {
            drop(vjRx.tossed() != tossedBefore ? Drop.PPP_VJ_TOSSED : Drop.PPP_VJ_ERROR);
            return;
        }
        int data = len - vjRx.consumed();
        if (hl + data > mru) {
            drop(Drop.PPP_OVERSIZE);
            return;
        }
        Pbuf p = upper.allocInput(hl + data);
        if (p == null) {
            return;
        }
        p.copyIn(0, vjRx.header(), 0, hl);
        p.copyIn(hl, frame, off + vjRx.consumed(), data);
        upper.input(p);
    }

    /** RFC 1661 5.7: the rejected protocol and as much of its information as fits the MRU. */
    private void protocolReject(int protocol, byte[] frame, int off, int len) {
        int n = Math.min(len, Math.min(lcp.peerMru(), ctl.length) - 6);
        ctl[0] = (byte) Lcp.PROTOCOL_REJECT;
        ctl[1] = 0;
        Bytes.put16(ctl, 2, 6 + n);
        Bytes.put16(ctl, 4, protocol);
        System.arraycopy(frame, off, ctl, 6, n);
        send(PppProtocol.LCP, ctl, 6 + n);
    }

    @Override
    public void dropped(int reason) {
        if (vjRx != null) {
            vjRx.toss(); // a lost frame may have carried deltas the next compressed packet builds on
        }
        drop(reason);
    }

    private void drop(int reason) {
        if (upper != null) {
            upper.drop(reason);
        }
    }

    // ================================================================ LCP and IPCP

    @Override
    public void send(int protocol, byte[] packet, int len) {
        int n = framing.encode(protocol, packet, 0, len, tx, 0);
        lineBytesOut += n;
        line.write(tx, 0, n);
    }

    @Override
    public void lcpUp() {
        // What the peer agreed to receive governs what we send; what we asked for, what we receive.
        framing.setTxAccm(lcp.peerAccm());
        framing.setPfc(lcp.peerPfc());
        framing.setAcfc(lcp.peerAcfc());
        framing.setRxAccm(0);
        framing.setFcs32(lcp.fcs32Receive(), lcp.fcs32Send());
        long now = time.now();
        nextEcho = StackTime.NO_DEADLINE;
        missed = 0;
        lastReplies = lcp.echoReplies();
        if (requiredAuth != 0 && lcp.ourAuth() == 0) {
            wentDown("authentication failed: the peer refused to authenticate (it rejected our "
                    + (requiredAuth == PppProtocol.PAP ? "PAP" : "CHAP") + " request)");
            lcp.fsm().close(now);
            return;
        }
        // Authenticate phase (RFC 1661 3.5), each way on its own; the network phase follows both.
        peerProofPending = lcp.ourAuth() != 0;
        ourProofPending = lcp.peerAuth() != 0;
        if (peerProofPending) {
            authenticator.start(lcp.ourAuth(), now);
        }
        if (ourProofPending) {
            auth.start(lcp.peerAuth(), now);
        }
        if (!peerProofPending && !ourProofPending) {
            startNetwork(now);
        }
    }

    @Override
    public void authenticated() {
        ourProofPending = false;
        if (!peerProofPending) {
            startNetwork(time.now());
        }
    }

    @Override
    public void peerAuthenticated() {
        peerProofPending = false;
        if (!ourProofPending) {
            startNetwork(time.now());
        }
    }

    @Override
    public void peerAuthenticationFailed(String why) {
        authenticationFailed(why);
    }

    @Override
    public void authenticationFailed(String why) {
        wentDown("authentication failed: " + why);
        lcp.fsm().close(time.now());
    }

    private void startNetwork(long now) {
        if (server) {
            ipcp.server(serverOurs, serverPeer, serverDns1, serverDns2);
        } else {
            ipcp.client();
            ipcp.peerHint(peerHint);
        }
        ipcp.fsm().open(now);
        ipcp.fsm().up(now);
    }

    @Override
    public void lcpDown() {
        auth.stop();
        authenticator.stop();
        ipcp.fsm().down();
        framing.setTxAccm(0xffffffff);
        framing.setPfc(false);
        framing.setAcfc(false);
        framing.setRxAccm(0xffffffff);
        framing.setFcs32(false, false);
    }

    @Override
    public void lcpFinished() {
        wentDown("LCP finished (the link was terminated, or the peer did not answer)");
    }

    @Override
    public void ipcpUp(int ours, int peer, int dns1, int dns2) {
        if (vjTx != null) {
            vjTx.start(ipcp.vjSendSlots(), ipcp.vjSendMayOmitSlot());
            vjRx.start(ipcp.vjReceiveSlots());
        }
        ipUp = true;
        finished = false;
        if (listener != null) {
            listener.up(ours, peer, dns1, dns2);
        }
    }

    /**
     * IPCP gave up while LCP is open (the peer never agreed, or terminated IP): without it the link carries
     * nothing, so it is ended rather than held open forever with LCP alone.
     */
    @Override
    public void ipcpFinished() {
        if (lcp.fsm().state() == PppFsm.OPENED) {
            wentDown("IPCP did not open (the peer did not agree on IP addresses, or ended IP)");
            lcp.fsm().close(time.now());
        }
    }

    /** IPCP left Opened (the peer renegotiates, or LCP went down): IPv4 stops until it opens again. */
    @Override
    public void ipcpDown() {
        ipUp = false;
        renegotiations++;
    }

    long renegotiations;

    /** Times IPCP left Opened without the link going down (the peer renegotiated). */
    public long renegotiations() { return renegotiations; }

    /** The {@code --stats} section: the automata's states, what VJ does, the line's bytes. */
    @Override
    public void dump(StringBuilder sb, boolean all) {
        sb.append("PPP LCP ").append(PppFsm.name(lcp.fsm().state())).append(", IPCP ")
                .append(PppFsm.name(ipcp.fsm().state()));
        if (vjTx != null) {
            sb.append(", VJ slots ").append(vjTx.slots()).append(" out / ").append(vjRx.slots()).append(" in");
        }
        sb.append('\n');
        Stats.counter(sb, all, lineBytesOut, "bytes written to the line");
        Stats.counter(sb, all, lineBytesIn, "bytes read from the line");
        Stats.counter(sb, all, ipFramesOut, "IPv4 packets sent");
        Stats.counter(sb, all, ipLineBytesOut, "line bytes of the IPv4 packets sent");
        if (vjTx != null) {
            Stats.counter(sb, all, vjTx.compressedPackets(), "sent VJ-compressed");
            Stats.counter(sb, all, vjTx.uncompressedPackets(), "sent VJ-uncompressed (learning a slot)");
            Stats.counter(sb, all, vjTx.bytesSaved(), "header bytes VJ saved");
            Stats.counter(sb, all, vjRx.compressedPackets(), "received VJ-compressed");
            Stats.counter(sb, all, vjRx.uncompressedPackets(), "received VJ-uncompressed");
            Stats.counter(sb, all, vjRx.errors(), "VJ packets malformed");
            Stats.counter(sb, all, vjRx.tossed(), "VJ packets tossed after a lost frame");
        }
        Stats.counter(sb, all, framing.badFcs(), "frames with a bad FCS");
        Stats.counter(sb, all, lcp.loopbacks(), "looped-back Configure-Requests");
        Stats.counter(sb, all, lcp.echoReplies(), "LCP echo replies");
        Stats.counter(sb, all, renegotiations, "IPCP renegotiations");
        Stats.counter(sb, all, authenticator.failures(), "peers refused (authentication)");
    }

    /** The link is gone (the peer terminated it, the echo keepalive, the line): the owner hears why, once. */
    private void wentDown(String reason) {
        ipUp = false;
        if (!finished && listener != null) {
            listener.down(reason);
        }
        finished = true;
    }

    private boolean finished;
}
