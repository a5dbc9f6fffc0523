package io.jwip.ppp;

import io.jwip.StackRandom;
import io.jwip.StackTime;
import io.jwip.wire.Bytes;

/**
 * Authenticating the peer after LCP, as the authenticator, with the protocol LCP agreed and one name and
 * secret the peer must present:
 * <ul>
 *   <li>PAP (RFC 1334 2.2): we wait for the peer's Authenticate-Request and answer Ack when its Peer-ID
 *       and Password are ours, Nak otherwise (the link then goes down); a peer that sends none within
 *       {@link #WAIT_MS} fails.</li>
 *   <li>CHAP with MD5 (RFC 1994 4): we send a Challenge of 16 random bytes with a new Identifier, again
 *       every {@link #RETRY_MS} until answered (at most {@link #TRIES} times); the Response must carry that
 *       Identifier, our name and MD5(Identifier, secret, challenge); Success or Failure follows. A
 *       retransmitted Response to an answered challenge gets the same answer again (4.1).</li>
 * </ul>
 * Names and secrets are compared in constant time for their length. The outcome goes to the
 * {@link Listener}, with a message that says what the peer got wrong. Nothing allocates once made.
 */
public final class PppAuthenticator {
    static final long WAIT_MS = 30_000;
    static final long RETRY_MS = 3000;
    static final int TRIES = 10;

    /** The outcome. */
    public interface Listener {
        void peerAuthenticated();

        void peerAuthenticationFailed(String why);
    }

    private final Lcp.Output out;
    private final Md5 md5 = new Md5();
    private final byte[] tx = new byte[64];
    private final byte[] challenge = new byte[16];
    private final byte[] expected = new byte[16];
    private byte[] user = new byte[0];
    private byte[] secret = new byte[0];
    private StackRandom random;
    private Listener listener;
    private int protocol;
    private int id;
    private int tries;
    private long deadline = StackTime.NO_DEADLINE;
    /** 0 while waiting; else the answer given (Ack/Success or Nak/Failure), repeated for retransmissions. */
    private int answered;
    private long failures;

    public PppAuthenticator(Lcp.Output out) {
        this.out = out;
    }

    public void setListener(Listener l) { this.listener = l; }

    /** The name and secret the peer must present (ASCII, at most 255 bytes each). */
    public void setCredentials(String name, String password) {
        user = PppAuth.ascii(name);
        secret = PppAuth.ascii(password);
    }

    public void setRandom(StackRandom r) { this.random = r; }

    /** Peers refused so far. */
    public long failures() { return failures; }

    /** LCP opened with {@code protocol} (PAP or CHAP) agreed for the peer: wait for PAP, challenge for CHAP. */
    public void start(int protocol, long now) {
        this.protocol = protocol;
        answered = 0;
        tries = 0;
        if (protocol == PppProtocol.CHAP) {
            sendChallenge(now);
        } else {
            deadline = now + WAIT_MS;
        }
    }

    public void stop() {
        protocol = 0;
        deadline = StackTime.NO_DEADLINE;
    }

    public long timers(long now) {
        if (protocol == 0 || answered != 0 || now < deadline) {
            return answered != 0 ? StackTime.NO_DEADLINE : deadline;
        }
        if (protocol == PppProtocol.CHAP && tries < TRIES) {
            sendChallenge(now);
            return deadline;
        }
        deadline = StackTime.NO_DEADLINE;
        fail(protocol == PppProtocol.PAP ? "PAP: the peer sent no Authenticate-Request"
                : "CHAP: the peer did not answer " + TRIES + " challenges");
        return deadline;
    }

    private void sendChallenge(long now) {
        id = (id + 1) & 0xff;
        tries++;
        for (int i = 0; i < 16; i += 8) {
            Bytes.put32(challenge, i, (int) random.next());
            Bytes.put32(challenge, i + 4, (int) random.next());
        }
        md5.reset().update(id).update(secret, 0, secret.length).update(challenge, 0, 16).digest(expected, 0);
        int n = 4;
        tx[n++] = 16;
        System.arraycopy(challenge, 0, tx, n, 16);
        n += 16;
        header(PppAuth.CHAP_CHALLENGE, id, n);
        out.send(PppProtocol.CHAP, tx, n);
        deadline = now + RETRY_MS;
    }

    /** A PAP Authenticate-Request from the peer (other codes are {@link PppAuth}'s). */
    public void papRequest(byte[] b, int off, int len) {
        if (protocol != PppProtocol.PAP || len < 6) {
            return;
        }
        int pid = Bytes.u8(b, off + 1);
        int plen = Math.min(Bytes.u16(b, off + 2), len);
        int ulen = Bytes.u8(b, off + 4);
        if (5 + ulen + 1 > plen) {
            return;
        }
        int plenAt = off + 5 + ulen;
        int pwlen = Bytes.u8(b, plenAt);
        if (5 + ulen + 1 + pwlen > plen) {
            return;
        }
        boolean ok = answered != PppAuth.PAP_NAK && equal(b, off + 5, ulen, user) & equal(b, plenAt + 1, pwlen, secret);
        int code = ok ? PppAuth.PAP_ACK : PppAuth.PAP_NAK;
        int n = message(ok ? "welcome" : "wrong name or password", true);
        header(code, pid, n);
        out.send(PppProtocol.PAP, tx, n);
        if (answered == 0) {
            answered = code;
            deadline = StackTime.NO_DEADLINE;
            if (ok) {
                succeed();
            } else {
                fail("PAP: the peer sent a wrong name or password");
            }
        }
    }

    /** A CHAP Response from the peer (other codes are {@link PppAuth}'s). */
    public void chapResponse(byte[] b, int off, int len) {
        if (protocol != PppProtocol.CHAP || len < 5 || Bytes.u8(b, off + 1) != id) {
            return;
        }
        int plen = Math.min(Bytes.u16(b, off + 2), len);
        int vlen = Bytes.u8(b, off + 4);
        if (plen < 5 + vlen) {
            return;
        }
        boolean ok = answered != PppAuth.CHAP_FAILURE && vlen == 16 && equal(b, off + 5, 16, expected)
                & equal(b, off + 5 + vlen, plen - 5 - vlen, user);
        int code = ok ? PppAuth.CHAP_SUCCESS : PppAuth.CHAP_FAILURE;
        int n = message(ok ? "welcome" : "wrong name or secret", false);
        header(code, id, n);
        out.send(PppProtocol.CHAP, tx, n);
        if (answered == 0) {
            answered = code;
            deadline = StackTime.NO_DEADLINE;
            if (ok) {
                succeed();
            } else {
                fail("CHAP: the peer's response did not match our secret (or its name is not ours)");
            }
        }
    }

    /** Compares without stopping at the first difference. */
    private static boolean equal(byte[] b, int at, int n, byte[] want) {
        int diff = n ^ want.length;
        for (int i = 0; i < want.length; i++) {
            diff |= (i < n ? b[at + i] : 0) ^ want[i];
        }
        return diff == 0;
    }

    /** A message after the header: PAP's with its Msg-Length byte (RFC 1334 2.2.2), CHAP's without (RFC 1994 4.2). */
    private int message(String m, boolean lengthByte) {
        int at = 4;
        if (lengthByte) {
            tx[at++] = (byte) m.length();
        }
        for (int i = 0; i < m.length(); i++) {
            tx[at++] = (byte) m.charAt(i);
        }
        return at;
    }

    private void succeed() {
        if (listener != null) {
            listener.peerAuthenticated();
        }
    }

    private void fail(String why) {
        failures++;
        if (listener != null) {
            listener.peerAuthenticationFailed(why);
        }
    }

    private void header(int code, int pid, int len) {
        tx[0] = (byte) code;
        tx[1] = (byte) pid;
        Bytes.put16(tx, 2, len);
    }
}
