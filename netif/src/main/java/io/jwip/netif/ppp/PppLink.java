package io.jwip.netif.ppp;

import io.jwip.Err;
import io.jwip.StackRandom;
import io.jwip.StackTime;
import io.jwip.buf.Pbuf;
import io.jwip.buf.PbufPool;
import io.jwip.netif.Link;
import io.jwip.netif.LinkUpper;
import io.jwip.netif.Netif;
import io.jwip.netif.Pollable;
import io.jwip.netif.Readiness;
import io.jwip.netif.Wakeup;
import io.jwip.netif.slip.JsscLine;
import io.jwip.netif.slip.SlipLine;
import io.jwip.netif.slip.StreamLine;
import io.jwip.ppp.HdlcFraming;
import io.jwip.ppp.PppSession;
import io.jwip.stats.Drop;
import java.io.IOException;

/**
 * PPP over a byte line (a serial port through jssc, a TCP connection, any {@link SlipLine}): the line's
 * bytes go to core's {@link PppSession} (framing, LCP, IPCP), and the session's frames to the line. When
 * IPCP opens, the netif ({@link #netif}) gets the agreed address as a /32 with the peer as its gateway and
 * goes up; when the link goes down (peer terminated, echo timeout, line hung up) the netif goes down with
 * that reason.
 *
 * <p>Use: {@code PppLink ppp = PppLink.serial("/dev/ttyUSB0", 115200, 1500); Netif n = new Netif("ppp0",
 * 1500, ppp); ppp.netif(n); stack.addNetif(n);} and poll the link from the loop. LCP starts at the first
 * timer run after the netif joined the stack.
 *
 * <p>With {@link #reconnect} the link does not stay down: after the PPP link went down (echo timeout, the
 * peer terminated, authentication failed) LCP starts again, and after the line hung up the line is
 * reopened first; 1 s after the drop, then 2, 4, ... up to 30 s between attempts, back to 1 s once IPCP
 * is open again. The reopened line has a new descriptor, so a reconnecting link is woken through
 * {@link #signalWith} and reports no descriptor of its own.
 */
public final class PppLink implements Link, Pollable, Readiness, AutoCloseable, PppSession.Line, PppSession.Listener {
    /** JWIP_PPP_DEBUG=1: a line on standard error per read and write, with the automata's states, and per state change. */
    private static final boolean DEBUG = "1".equals(System.getenv("JWIP_PPP_DEBUG"));
    private SlipLine line;
    /** Opens the line again ({@link #reconnect}). */
    public interface LineOpener {
        SlipLine open() throws IOException;
    }

    static final long FIRST_BACKOFF_MS = 1000;
    static final long MAX_BACKOFF_MS = 30_000;
    private LineOpener reopen;
    private boolean lineDead;
    private long restartAt = StackTime.NO_DEADLINE;
    private long backoff = FIRST_BACKOFF_MS;
    private long lastNow;
    private int reconnects;
    private Wakeup wakeup;
    private final PppSession session;
    private final byte[] rx = new byte[4096];
    private Netif netif;
    private LinkUpper upper;
    private String down;
    private boolean started;
    private String lastUp;
    private java.util.function.Consumer<String> announce;

    public PppLink(SlipLine line, int mru) {
        this.line = line;
        this.session = new PppSession(this, mru);
        session.setListener(this);
        if (DEBUG) {
            session.setTrace((layer, from, to, event) -> System.err.println("ppp: " + layer + " "
                    + io.jwip.ppp.PppFsm.name(from) + " -> " + io.jwip.ppp.PppFsm.name(to) + " (" + event + ")"));
        }
    }

    public static PppLink serial(String device, int baud, int mru) throws IOException {
        return new PppLink(serialLine(device, baud, mru).open(), mru);
    }

    public static PppLink tcp(String host, int port, int mru) throws IOException {
        return new PppLink(tcpLine(host, port).open(), mru);
    }

    /** What opens a serial line for PPP (for {@link #reconnect}). */
    public static LineOpener serialLine(String device, int baud, int mru) {
        return () -> new JsscLine(device, baud, HdlcFraming.maxEncodedLength(mru));
    }

    /** What connects to a PPP peer over TCP (for {@link #reconnect}). */
    public static LineOpener tcpLine(String host, int port) {
        return () -> StreamLine.connect(host, port, 5000);
    }

    /** Brings the link back after every drop, reopening the line with {@code opener} when it hung up. */
    public PppLink reconnect(LineOpener opener) {
        this.reopen = opener;
        return this;
    }

    /** How many times the link was negotiated again after a drop. */
    public int reconnects() { return reconnects; }

    /** The netif to configure when IPCP opens. */
    public PppLink netif(Netif n) {
        this.netif = n;
        return this;
    }

    public PppSession session() { return session; }

    /** Hears one line when the link comes up ("up: ADDRESS peer PEER dns DNS") or goes down ("down: REASON"). */
    public PppLink announce(java.util.function.Consumer<String> a) {
        this.announce = a;
        return this;
    }

    /** The last "up" description ("10.0.2.15 peer 10.0.2.2 dns 10.0.2.3"), or null. */
    public String lastUp() { return lastUp; }

    @Override
    public void attach(LinkUpper upper) {
        this.upper = upper;
        session.attach(upper);
    }

    @Override
    public void joined(PbufPool pool, io.jwip.stats.Stats stats, StackTime time, StackRandom random) {
        session.joined(pool, stats, time, random);
    }

    @Override
    public long timers(long now) {
        lastNow = now;
        if (!started && down == null) {
            started = true;
            session.start();
        }
        if (restartAt != StackTime.NO_DEADLINE && now >= restartAt) {
            retry(now);
        }
        return Math.min(session.timers(now), restartAt);
    }

    /** The backoff ran out: reopen the line if it hung up, then negotiate again. */
    private void retry(long now) {
        if (lineDead) {
            try {
                line = reopen.open();
            } catch (IOException e) {
                backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
                restartAt = now + backoff;
                say("reconnect failed: " + e.getMessage() + "; next try in " + backoff / 1000 + " s");
                return;
            }
            if (wakeup != null) {
                line.signalWith(wakeup);
            }
            lineDead = false;
            down = null;
        }
        restartAt = StackTime.NO_DEADLINE;
        backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
        reconnects++;
        say("reconnecting (attempt " + reconnects + ")");
        session.restart();
    }

    private void say(String line) {
        if (announce != null) {
            announce.accept(line);
        }
    }

    @Override
    public int output(Pbuf p) {
        if (down != null) {
            return Err.IF;
        }
        return session.output(p);
    }

    @Override
    public boolean poll() {
        if (down != null) {
            return false;
        }
        int n = line.read(rx, 0, rx.length);
        if (n < 0) {
            String why = line.downReason() != null ? line.downReason() : "line down";
            down = why;
            if (reopen != null) {
                lineDead = true;
                line.close();
            }
            session.lineDown("line hung up: " + why);
            if (upper != null) {
                upper.linkDown("line hung up: " + why);
            }
            return false;
        }
        if (n == 0) {
            return false;
        }
        session.received(rx, 0, n);
        if (DEBUG) {
            System.err.println("ppp: read " + n + " bytes; LCP " + io.jwip.ppp.PppFsm.name(session.lcp().fsm().state())
                    + ", IPCP " + io.jwip.ppp.PppFsm.name(session.ipcp().fsm().state()) + ", frames in "
                    + session.framing().framesIn() + ", bad FCS " + session.framing().badFcs() + ": " + hex(rx, n));
        }
        return true;
    }

    private static String hex(byte[] b, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(String.format("%02x", b[i] & 0xff));
        }
        return sb.toString();
    }

    @Override
    public boolean write(byte[] b, int off, int n) {
        if (DEBUG) {
            System.err.println("ppp: write " + n + " bytes: " + hex(java.util.Arrays.copyOfRange(b, off, off + n), n));
        }
        try {
            line.write(b, off, n);
            return true;
        } catch (IOException e) {
            if (upper != null) {
                upper.drop(Drop.LINK_IO_ERROR);
            }
            return false;
        }
    }

    @Override
    public void up(int ours, int peer, int dns1, int dns2) {
        backoff = FIRST_BACKOFF_MS;
        lastUp = io.jwip.wire.Ip4Addr.toString(ours) + " peer " + io.jwip.wire.Ip4Addr.toString(peer)
                + (dns1 != 0 ? " dns " + io.jwip.wire.Ip4Addr.toString(dns1) : "");
        if (netif != null) {
            netif.configure(ours, 0xffffffff, peer);
            netif.setUp(true);
        }
        if (announce != null) {
            announce.accept("up: " + lastUp);
        }
    }

    @Override
    public void down(String reason) {
        if (announce != null) {
            announce.accept("down: " + reason);
        }
        if (netif != null && down == null) {
            netif.linkDown("PPP down: " + reason);
        }
        if (reopen != null && restartAt == StackTime.NO_DEADLINE) {
            restartAt = lastNow + backoff;
        }
    }

    @Override
    public int fd() {
        return reopen != null ? NO_FD : line.fd(); // a reopened line has another descriptor
    }

    @Override
    public boolean signalWith(Wakeup w) {
        this.wakeup = w;
        return line.signalWith(w);
    }

    @Override
    public void close() {
        line.close();
        reopen = null;
        restartAt = StackTime.NO_DEADLINE;
        if (down == null) {
            down = "closed";
        }
    }
}
