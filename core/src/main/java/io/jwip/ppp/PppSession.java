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
 * ({@link PppAuth}); a refusal takes the link down with the peer's message. Van Jacobson compression is
 * not in this class yet.
 */
public final class PppSession implements Link, HdlcFraming.Receiver, Lcp.Output, Lcp.Listener, Ipcp.Listener,
        PppAuth.Listener {
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
    private final PppAuth auth = new PppAuth(this);
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
        framing.setReceiver(this);
        ipcp.setListener(this);
        auth.setListener(this);
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

    /** Our name and password for PAP or CHAP-MD5, when the peer asks us to authenticate (before start). */
    public void setCredentials(String user, String password) {
        auth.setCredentials(user, password);
    }

    /** The client: the address to give a peer that asks for one (0.0.0.0 in its IP-Address option). */
    public void peerHint(int a) {
        peerHint = a;
    }

    private int peerHint;

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
        this.lcp = new Lcp(this, random);
        lcp.setListener(this);
        lcp.setAccm(0);
        lcp.canAuthenticate(auth.hasCredentials(), auth.hasCredentials());
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
        int n = framing.encode(PppProtocol.IPV4, p, tx, 0);
        if (!line.write(tx, 0, n)) {
            drop(Drop.LINK_IO_ERROR);
            return Err.IF;
        }
        if (stats != null) {
            stats.ppp.xmit++;
        }
        return Err.OK;
    }

    @Override
    public long timers(long now) {
        long next = Math.min(Math.min(lcp.fsm().timers(now), ipcp.fsm().timers(now)), auth.timers(now));
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
            case PppProtocol.PAP:
                if (lcp.fsm().state() == PppFsm.OPENED) {
                    auth.papInput(frame, off, len);
                }
                break;
            case PppProtocol.CHAP:
                if (lcp.fsm().state() == PppFsm.OPENED) {
                    auth.chapInput(frame, off, len);
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
            default:
                if (lcp.fsm().state() == PppFsm.OPENED) {
                    protocolReject(protocol, frame, off, len);
                }
        }
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
        line.write(tx, 0, n);
    }

    @Override
    public void lcpUp() {
        // What the peer agreed to receive governs what we send; what we asked for, what we receive.
        framing.setTxAccm(lcp.peerAccm());
        framing.setPfc(lcp.peerPfc());
        framing.setAcfc(lcp.peerAcfc());
        framing.setRxAccm(0);
        long now = time.now();
        nextEcho = StackTime.NO_DEADLINE;
        missed = 0;
        lastReplies = lcp.echoReplies();
        if (lcp.peerAuth() != 0) {
            auth.start(lcp.peerAuth(), now); // Authenticate phase; the network phase follows its success
            return;
        }
        startNetwork(now);
    }

    @Override
    public void authenticated() {
        startNetwork(time.now());
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
        ipcp.fsm().down();
        framing.setTxAccm(0xffffffff);
        framing.setPfc(false);
        framing.setAcfc(false);
        framing.setRxAccm(0xffffffff);
    }

    @Override
    public void lcpFinished() {
        wentDown("LCP finished (the link was terminated, or the peer did not answer)");
    }

    @Override
    public void ipcpUp(int ours, int peer, int dns1, int dns2) {
        ipUp = true;
        finished = false;
        if (listener != null) {
            listener.up(ours, peer, dns1, dns2);
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
