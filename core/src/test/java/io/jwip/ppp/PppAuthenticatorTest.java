package io.jwip.ppp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * jwip as the authenticator (RFC 1334 PAP, RFC 1994 CHAP-MD5) against jwip as the authenticated peer, on
 * the in-memory line: right credentials open IPCP; a wrong name or secret is refused with a message, and
 * both ends report why the link went down; a peer without credentials rejects the option and is refused.
 */
class PppAuthenticatorTest {
    static PppPair pair(int protocol, String user, String password) {
        PppPair t = new PppPair(16, 16, false);
        t.server.ppp.requireAuthentication(protocol, "jwip", "s3cret");
        if (user != null) {
            t.client.ppp.setCredentials(user, password);
        }
        t.start();
        t.run(3000);
        return t;
    }

    @Test
    void pap_rightNameAndPassword_ackThenIpcpOpens() {
        PppPair t = pair(PppProtocol.PAP, "jwip", "s3cret");
        assertTrue(t.client.ppp.isUp() && t.server.ppp.isUp());
        assertEquals(PppProtocol.PAP, t.server.ppp.lcp().ourAuth());
        assertEquals(PppProtocol.PAP, t.client.ppp.lcp().peerAuth());
        assertNull(t.server.downReason);
    }

    @Test
    void pap_wrongPassword_nak_bothEndsReportIt() {
        PppPair t = pair(PppProtocol.PAP, "jwip", "guess");
        assertTrue(!t.client.ppp.isUp() && !t.server.ppp.isUp());
        assertEquals("authentication failed: PAP: the peer sent a wrong name or password", t.server.downReason);
        assertEquals("authentication failed: PAP: the peer refused our name or password (wrong name or password)",
                t.client.downReason);
        assertEquals(1, t.server.ppp.authenticator().failures());
    }

    @Test
    void pap_wrongName_nak() {
        PppPair t = pair(PppProtocol.PAP, "mallory", "s3cret");
        assertEquals("authentication failed: PAP: the peer sent a wrong name or password", t.server.downReason);
    }

    @Test
    void chap_rightSecret_successThenIpcpOpens() {
        PppPair t = pair(PppProtocol.CHAP, "jwip", "s3cret");
        assertTrue(t.client.ppp.isUp() && t.server.ppp.isUp());
        assertEquals(PppProtocol.CHAP, t.server.ppp.lcp().ourAuth());
    }

    @Test
    void chap_wrongSecret_failure_bothEndsReportIt() {
        PppPair t = pair(PppProtocol.CHAP, "jwip", "guess");
        assertTrue(!t.client.ppp.isUp());
        assertEquals("authentication failed: CHAP: the peer's response did not match our secret (or its name is not ours)",
                t.server.downReason);
        assertEquals("authentication failed: CHAP: the peer refused our secret (wrong name or secret)", t.client.downReason);
    }

    @Test
    void peerWithoutCredentials_rejectsTheOption_andIsRefused() {
        PppPair t = pair(PppProtocol.CHAP, null, null);
        assertTrue(!t.server.ppp.isUp());
        assertEquals("authentication failed: the peer refused to authenticate (it rejected our CHAP request)", t.server.downReason);
    }

    @Test
    void peerThatNeverSendsAPapRequest_failsAfterTheWait() {
        String[] why = new String[1];
        PppAuthenticator a = new PppAuthenticator((protocol, packet, len) -> { });
        a.setListener(new PppAuthenticator.Listener() {
            @Override
            public void peerAuthenticated() {
            }

            @Override
            public void peerAuthenticationFailed(String w) {
                why[0] = w;
            }
        });
        a.start(PppProtocol.PAP, 0);
        assertEquals(PppAuthenticator.WAIT_MS, a.timers(1000));
        a.timers(PppAuthenticator.WAIT_MS);
        assertEquals("PAP: the peer sent no Authenticate-Request", why[0]);
    }

    @Test
    void peerThatNeverAnswersTheChallenge_isChallengedTenTimes_thenFails() {
        int[] challenges = new int[1];
        String[] why = new String[1];
        PppAuthenticator a = new PppAuthenticator((protocol, packet, len) -> challenges[0]++);
        a.setRandom(new io.jwip.StackRandom());
        a.setListener(new PppAuthenticator.Listener() {
            @Override
            public void peerAuthenticated() {
            }

            @Override
            public void peerAuthenticationFailed(String w) {
                why[0] = w;
            }
        });
        a.start(PppProtocol.CHAP, 0);
        for (long now = 0; now <= 40_000; now += 500) {
            a.timers(now);
        }
        assertEquals(PppAuthenticator.TRIES, challenges[0]);
        assertEquals("CHAP: the peer did not answer 10 challenges", why[0]);
    }

    @Test
    void authenticatorAndPeer_atOnce_bothWays() {
        PppPair t = new PppPair(16, 16, false);
        t.server.ppp.requireAuthentication(PppProtocol.CHAP, "client", "a");
        t.client.ppp.setCredentials("client", "a");
        t.client.ppp.requireAuthentication(PppProtocol.PAP, "server", "b");
        t.server.ppp.setCredentials("server", "b");
        t.start();
        t.run(3000);
        assertTrue(t.client.ppp.isUp() && t.server.ppp.isUp(), "each proved itself to the other");
    }

    @Test
    void chapPeer_authenticatorThatNeverChallenges_failsAfterTheWait() {
        String[] why = new String[1];
        PppAuth a = new PppAuth((protocol, packet, len) -> { });
        a.setCredentials("jwip", "s3cret");
        a.setListener(new PppAuth.Listener() {
            @Override
            public void authenticated() {
            }

            @Override
            public void authenticationFailed(String w) {
                why[0] = w;
            }
        });
        a.start(PppProtocol.CHAP, 0);
        a.timers(PppAuth.CHAP_WAIT_MS - 1);
        assertNull(why[0]);
        a.timers(PppAuth.CHAP_WAIT_MS);
        assertEquals("CHAP: the peer sent no challenge", why[0]);
    }
}
