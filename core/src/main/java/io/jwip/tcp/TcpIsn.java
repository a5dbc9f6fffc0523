package io.jwip.tcp;

import io.jwip.SipHash;
import io.jwip.StackTime;

/**
 * Initial sequence numbers (RFC 6528) and SYN cookies ({@link SynCookies}), which share one 128-bit secret.
 * Core has no randomness of its own: the port supplies the secret ({@code Tcp.setIsnSecret}; the ports
 * module's loops do it from {@code SecureRandom} when the application has not), and the stats warn while
 * it is unset.
 */
final class TcpIsn {
    private final StackTime time;
    private long k0;
    private long k1;
    private boolean keyed;
    /** When the last SYN cookie was sent (-1: never): ACKs are checked for cookies only for a while after. */
    private long lastCookieAt = -1;
    /** Test hook: when set, the next ISN is {@link #forced} (wraparound tests). */
    boolean force;
    int forced;

    TcpIsn(StackTime time) {
        this.time = time;
    }

    void setSecret(long k0, long k1) {
        this.k0 = k0;
        this.k1 = k1;
        this.keyed = true;
    }

    boolean keyed() {
        return keyed;
    }

    /**
     * RFC 6528 initial sequence number: ISN = M + F(localip, localport, remoteip, remoteport, secretkey),
     * where M is a timer ticking every 4 microseconds (from {@code time.now()}) and F is SipHash-2-4
     * keyed with the port's secret.
     */
    int next(int local, int lport, int remote, int rport) {
        if (force) {
            force = false;
            return forced;
        }
        long m0 = ((long) local << 32) | (remote & 0xffffffffL);
        long m1 = ((long) lport << 16) | rport;
        long f = SipHash.hash(k0, k1, m0, m1);
        return (int) (time.now() * 250) + (int) f;
    }

    /** A SYN cookie ({@link SynCookies}) for a SYN from {@code remote:rport} with ISN {@code peerIsn}. */
    int cookie(int local, int lport, int remote, int rport, int peerIsn, int mssIndex) {
        lastCookieAt = time.now();
        return SynCookies.make(k0, k1, time.now(), local, lport, remote, rport, peerIsn, mssIndex);
    }

    /**
     * The MSS index of the cookie an ACK returns, or -1. Only while cookies were sent in the last two
     * counter periods: otherwise no ACK can carry a valid one, and checking would only cost a hash.
     */
    int checkCookie(int cookie, int local, int lport, int remote, int rport, int peerIsn) {
        if (!cookiesRecently()) {
            return -1;
        }
        return SynCookies.check(k0, k1, time.now(), cookie, local, lport, remote, rport, peerIsn);
    }

    /** True if a SYN cookie went out in the last two counter periods (so a valid one may come back). */
    boolean cookiesRecently() {
        return lastCookieAt >= 0 && time.now() - lastCookieAt <= 2L * SynCookies.SLOT_MS;
    }
}
