package io.jwip.tcp;

import io.jwip.SipHash;

/**
 * SYN cookies (RFC 4987 section 3.6, after Bernstein): when a listener cannot keep state for a new SYN,
 * the connection's state goes into the initial sequence number of our SYN,ACK instead, and comes back in
 * the acknowledgment number of the peer's ACK. No control block is held for a half-open connection, so a
 * flood of spoofed SYNs takes none.
 *
 * <pre>
 *    31      27 26  24 23                                            0
 *   +----------+------+-----------------------------------------------+
 *   |   slot   | MSS  |  SipHash(key ^ counter, addresses, ports,     |
 *   | (5 bits) |index |          the peer's ISN), low 24 bits         |
 *   +----------+------+-----------------------------------------------+
 * </pre>
 *
 * {@code counter} is the stack's clock in units of {@link #SLOT_MS} (64 s); {@code slot} is its low 5
 * bits, so the validator knows which counter made the cookie. A cookie is valid for the counter it was
 * made in and the next one (64 to 128 s). The hash covers the whole counter, so an old cookie whose slot
 * comes round again does not validate. The MSS is one of {@link #MSS}, the largest not above what the peer
 * announced.
 *
 * <p>Window scaling and SACK cannot fit in 32 bits; with timestamps (RFC 7323) our SYN,ACK's TSval
 * carries the peer's window scale in its low 4 bits and the ACK's TSecr echoes it ({@link #tsVal},
 * {@link #wsFromTsEcr}). Without timestamps the cookie SYN,ACK offers no window scaling, so both sides
 * agree on none.
 */
final class SynCookies {
    private SynCookies() {}

    /** Milliseconds per counter value. */
    static final int SLOT_MS = 64_000;
    /** The MSS values a cookie can carry, by index. */
    static final int[] MSS = {48, 256, 536, 1024, 1220, 1360, 1440, 1460};
    /** Separates the cookie's use of the ISN key from the ISN's own ("cookie" in ASCII). */
    private static final long TAG = 0x636f6f6b69650000L;

    /** Index of the largest cookie MSS not above {@code peerMss} (0 if even the smallest is). */
    static int mssIndex(int peerMss) {
        int i = MSS.length - 1;
        while (i > 0 && MSS[i] > peerMss) {
            i--;
        }
        return i;
    }

    /** The cookie: our ISN for a SYN from {@code remote:rport} with ISN {@code peerIsn}, at time {@code now}. */
    static int make(long k0, long k1, long now, int local, int lport, int remote, int rport, int peerIsn,
            int mssIndex) {
        long counter = now / SLOT_MS;
        return ((int) (counter & 31) << 27) | (mssIndex << 24)
                | (hash(k0, k1, counter, local, lport, remote, rport, peerIsn) & 0xffffff);
    }

    /**
     * Checks the cookie an ACK returns ({@code SEG.ACK - 1}) against the segment's addresses, ports and
     * ISN ({@code SEG.SEQ - 1}) at time {@code now}.
     *
     * @return the MSS index it carries, or -1 if it is not one of ours or too old
     */
    static int check(long k0, long k1, long now, int cookie, int local, int lport, int remote, int rport,
            int peerIsn) {
        long counter = now / SLOT_MS;
        int slot = cookie >>> 27;
        if (slot != (int) (counter & 31)) {
            counter--;
            if (counter < 0 || slot != (int) (counter & 31)) {
                return -1;
            }
        }
        int h = hash(k0, k1, counter, local, lport, remote, rport, peerIsn) & 0xffffff;
        return h == (cookie & 0xffffff) ? (cookie >>> 24) & 7 : -1;
    }

    private static int hash(long k0, long k1, long counter, int local, int lport, int remote, int rport,
            int peerIsn) {
        long m0 = ((long) local << 32) | (remote & 0xffffffffL);
        long m1 = ((long) lport << 48) | ((long) rport << 32) | (peerIsn & 0xffffffffL);
        return (int) SipHash.hash(k0 ^ TAG ^ counter, k1, m0, m1);
    }

    /**
     * Our TSval in a cookie SYN,ACK: the clock with its low 4 bits replaced by the peer's window scale + 1
     * (0: the peer offered no scaling), never above the clock, so that our later TSvals do not run behind
     * it (the peer's PAWS would drop them).
     */
    static int tsVal(int now, int peerWs) {
        int v = (now & ~0xf) | (peerWs < 0 ? 0 : (peerWs > 14 ? 14 : peerWs) + 1);
        return v - now > 0 ? v - 16 : v;
    }

    /** The peer's window scale from the TSecr of its ACK, or -1 for none. */
    static int wsFromTsEcr(int tsEcr) {
        return (tsEcr & 0xf) - 1;
    }
}
