package io.jwip.ppp;

import io.jwip.StackTime;
import io.jwip.wire.Bytes;

/**
 * Authenticating ourselves to the peer after LCP, with the protocol LCP agreed: PAP (RFC 1334: our name
 * and password in an Authenticate-Request, repeated every 3 s until the peer answers, at most 10 times)
 * or CHAP with MD5 (RFC 1994: the answer to each Challenge is MD5 of its Identifier, our secret and the
 * challenge). The outcome goes to the {@link Listener}: success, or failure with the peer's message. A
 * peer that asks for CHAP and then never challenges, or never answers our Response, fails after
 * {@link #CHAP_WAIT_MS}: the Authenticate phase cannot be held open forever.
 */
public final class PppAuth {
    static final int PAP_REQUEST = 1;
    static final int PAP_ACK = 2;
    static final int PAP_NAK = 3;
    static final int CHAP_CHALLENGE = 1;
    static final int CHAP_RESPONSE = 2;
    static final int CHAP_SUCCESS = 3;
    static final int CHAP_FAILURE = 4;
    static final long PAP_RETRY_MS = 3000;
    static final int PAP_TRIES = 10;
    /** CHAP: how long we wait for a Challenge, and after our Response for Success or Failure. */
    static final long CHAP_WAIT_MS = 30_000;

    /** The outcome. */
    public interface Listener {
        void authenticated();

        /** {@code why} names the protocol and carries the peer's message, if it sent one. */
        void authenticationFailed(String why);
    }

    private final Lcp.Output out;
    private final Md5 md5 = new Md5();
    private final byte[] tx = new byte[320];
    private final byte[] digest = new byte[16];
    private byte[] user = new byte[0];
    private byte[] secret = new byte[0];
    private Listener listener;
    private int protocol;
    private int id;
    private int tries;
    private long retryAt = StackTime.NO_DEADLINE;
    private boolean done;
    private boolean responded;
    /** The time of the last timer run (a Response restarts the wait from about then). */
    private long now;

    public PppAuth(Lcp.Output out) {
        this.out = out;
    }

    public void setListener(Listener l) { this.listener = l; }

    /** Our name and secret (ASCII, at most 255 bytes each). */
    public void setCredentials(String name, String password) {
        user = ascii(name);
        secret = ascii(password);
    }

    public boolean hasCredentials() { return user.length > 0; }

    static byte[] ascii(String s) {
        int n = Math.min(s.length(), 255);
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) s.charAt(i);
        }
        return b;
    }

    /** LCP opened with {@code protocol} (PAP or CHAP) asked of us: start (PAP sends, CHAP waits). */
    public void start(int protocol, long now) {
        this.protocol = protocol;
        this.now = now;
        done = false;
        responded = false;
        tries = 0;
        if (protocol == PppProtocol.PAP) {
            sendPap(now);
        } else {
            retryAt = now + CHAP_WAIT_MS;
        }
    }

    public void stop() {
        retryAt = StackTime.NO_DEADLINE;
        protocol = 0;
    }

    public long timers(long now) {
        this.now = now;
        if (now >= retryAt && protocol == PppProtocol.CHAP && !done) {
            retryAt = StackTime.NO_DEADLINE;
            fail(responded ? "CHAP: no Success or Failure from the peer" : "CHAP: the peer sent no challenge");
        }
        if (now >= retryAt && protocol == PppProtocol.PAP && !done) {
            if (tries >= PAP_TRIES) {
                retryAt = StackTime.NO_DEADLINE;
                fail("PAP: no answer to " + PAP_TRIES + " Authenticate-Requests");
            } else {
                sendPap(now);
            }
        }
        return retryAt;
    }

    private void sendPap(long now) {
        id = (id + 1) & 0xff;
        tries++;
        int n = 4;
        tx[n++] = (byte) user.length;
        System.arraycopy(user, 0, tx, n, user.length);
        n += user.length;
        tx[n++] = (byte) secret.length;
        System.arraycopy(secret, 0, tx, n, secret.length);
        n += secret.length;
        header(PAP_REQUEST, id, n);
        out.send(PppProtocol.PAP, tx, n);
        retryAt = now + PAP_RETRY_MS;
    }

    /** A PAP packet from the peer. */
    public void papInput(byte[] b, int off, int len) {
        if (len < 4 || protocol != PppProtocol.PAP || done) {
            return;
        }
        int code = Bytes.u8(b, off);
        if (Bytes.u8(b, off + 1) != id) {
            return;
        }
        if (code == PAP_ACK) {
            succeed();
        } else if (code == PAP_NAK) {
            fail("PAP: the peer refused our name or password" + message(b, off + 5, len >= 5 ? Math.min(Bytes.u8(b, off + 4), len - 5) : 0));
        }
    }

    /** A CHAP packet from the peer. */
    public void chapInput(byte[] b, int off, int len) {
        if (len < 4 || protocol != PppProtocol.CHAP) {
            return;
        }
        int code = Bytes.u8(b, off);
        int pid = Bytes.u8(b, off + 1);
        int plen = Math.min(Bytes.u16(b, off + 2), len);
        if (code == CHAP_CHALLENGE && plen >= 5) {
            int vlen = Bytes.u8(b, off + 4);
            if (5 + vlen > plen) {
                return;
            }
            md5.update(pid).update(secret, 0, secret.length).update(b, off + 5, vlen).digest(digest, 0);
            int n = 4;
            tx[n++] = 16;
            System.arraycopy(digest, 0, tx, n, 16);
            n += 16;
            System.arraycopy(user, 0, tx, n, user.length);
            n += user.length;
            header(CHAP_RESPONSE, pid, n);
            out.send(PppProtocol.CHAP, tx, n);
            if (!done) {
                responded = true;
                retryAt = now + CHAP_WAIT_MS;
            }
        } else if (code == CHAP_SUCCESS) {
            succeed();
        } else if (code == CHAP_FAILURE) {
            fail("CHAP: the peer refused our secret" + message(b, off + 4, plen - 4));
        }
    }

    private static String message(byte[] b, int at, int n) {
        if (n <= 0) {
            return "";
        }
        StringBuilder sb = new StringBuilder(" (");
        for (int i = 0; i < n; i++) {
            int c = b[at + i] & 0xff;
            sb.append(c >= 0x20 && c < 0x7f ? (char) c : '?');
        }
        return sb.append(')').toString();
    }

    private void succeed() {
        if (!done) {
            done = true;
            retryAt = StackTime.NO_DEADLINE;
            if (listener != null) {
                listener.authenticated();
            }
        }
    }

    private void fail(String why) {
        done = true;
        retryAt = StackTime.NO_DEADLINE;
        if (listener != null) {
            listener.authenticationFailed(why);
        }
    }

    private void header(int code, int pid, int len) {
        tx[0] = (byte) code;
        tx[1] = (byte) pid;
        Bytes.put16(tx, 2, len);
    }
}
