package io.jwip.ppp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwip.stats.Drop;
import org.junit.jupiter.api.Test;

/**
 * jwip to jwip over PPP on an in-memory byte pipe, on a virtual clock: LCP and IPCP open, the client gets
 * the address the server assigns and the DNS servers, pings go both ways; corrupted bytes fail the FCS and
 * are counted, never delivered; a peer that stops answering is found by the LCP echo keepalive.
 */
class PppSessionTest extends PppPair {
    @Test
    void lcpAndIpcpOpen_clientGetsTheAssignedAddressAndDns_pingsBothWays() {
        run(1000);
        assertEquals(PppFsm.OPENED, client.ppp.lcp().fsm().state());
        assertEquals(PppFsm.OPENED, client.ppp.ipcp().fsm().state());
        assertEquals(CLIENT, client.netif.address(), "the address the server assigned (IPCP Nak)");
        assertEquals(SERVER, client.netif.gateway());
        assertEquals(DNS, client.dns1, "RFC 1877 primary DNS");
        client.stack.icmp().sendEcho(SERVER, 1, 1, 56);
        server.stack.icmp().sendEcho(CLIENT, 1, 1, 56);
        run(100);
        assertEquals(1, client.replies);
        assertEquals(1, server.replies);
        assertTrue(client.ppp.framing().framesOut() > 0);
        assertTrue(client.stack.stats().allPoolsFull() && server.stack.stats().allPoolsFull());
    }

    @Test
    void corruptedBytes_failTheFcs_areCounted_neverDelivered() {
        run(1000);
        corruptAt = 10;
        for (int i = 0; i < 20; i++) {
            client.stack.icmp().sendEcho(SERVER, 1, i, 56);
        }
        run(100);
        assertEquals(0, client.replies, "no corrupted echo reached the server");
        assertTrue(server.stack.stats().drops(Drop.PPP_BAD_FCS) >= 20, "each counted: " + server.stack.stats().drops(Drop.PPP_BAD_FCS));
        corruptAt = -1;
        client.stack.icmp().sendEcho(SERVER, 1, 99, 56);
        run(100);
        assertEquals(1, client.replies);
    }

    @Test
    void peerStopsAnswering_echoKeepaliveTakesTheLinkDown() {
        client.ppp.setKeepalive(1000, 3);
        run(1000);
        serverSilent = true;
        run(6000);
        assertTrue(client.downReason != null && client.downReason.startsWith("echo timeout"), String.valueOf(client.downReason));
        assertTrue(!client.ppp.isUp());
    }

    @Test
    void stop_terminatesTheLink_andThePeerHearsIt() {
        run(1000);
        client.ppp.stop();
        run(10_000);
        assertEquals(PppFsm.CLOSED, client.ppp.lcp().fsm().state());
        assertTrue(server.downReason != null, "the server's IP layer went down");
    }

    @Test
    void restart_afterAnEchoTimeout_negotiatesAgain_andTheLinkComesBack() {
        client.ppp.setKeepalive(1000, 3);
        run(1000);
        serverSilent = true;
        run(6000);
        assertTrue(client.downReason.startsWith("echo timeout"));
        serverSilent = false;
        client.ppp.restart(); // what PppLink does after its backoff (--reconnect)
        run(3000);
        assertTrue(client.ppp.isUp(), "up again");
        assertEquals(2, client.ups);
        client.stack.icmp().sendEcho(SERVER, 1, 1, 56);
        run(100);
        assertEquals(1, client.replies);
    }

    @Test
    void trace_namesEveryTransitionAndItsEvent() {
        PppPair t = new PppPair(16, 16, false);
        StringBuilder log = new StringBuilder();
        t.client.ppp.setTrace((layer, from, to, event) ->
                log.append(layer).append(' ').append(PppFsm.name(from)).append(" -> ").append(PppFsm.name(to))
                        .append(" (").append(event).append(")\n"));
        t.start();
        t.run(1000);
        String s = log.toString();
        assertTrue(s.startsWith("LCP Initial -> Starting (Open)\nLCP Starting -> Req-Sent (Up)\n"), s);
        assertTrue(s.contains("LCP Ack-Sent -> Opened (RCA)") || s.contains("LCP Ack-Rcvd -> Opened (RCR+)"), s);
        assertTrue(s.contains("IPCP Initial -> Starting (Open)") && s.contains("-> Opened ("), s);
    }

    @Test
    void fcs32_askedByOneEnd_agreed_usedThatWay_pingsStillWork() {
        PppPair t = new PppPair(16, 16, false);
        t.client.ppp.setFcs32(true); // the client wants FCS-32 on what it receives (RFC 1570)
        t.start();
        t.run(1000);
        assertTrue(t.client.ppp.isUp());
        assertTrue(t.client.ppp.framing().rxFcs32() && !t.client.ppp.framing().txFcs32());
        assertTrue(t.server.ppp.framing().txFcs32() && !t.server.ppp.framing().rxFcs32());
        t.client.stack.icmp().sendEcho(SERVER, 1, 1, 56);
        t.run(100);
        assertEquals(1, t.client.replies);
        assertEquals(0, t.client.ppp.framing().badFcs());
    }

    @Test
    void peerThatNeverAnswersIpcp_linkEndsAfterMaxConfigure_notHeldOpenByLcpAlone() {
        PppPair t = new PppPair(16, 16, false);
        t.dropFromServer = PppProtocol.IPCP;
        t.start();
        t.run(60_000);
        assertEquals("IPCP did not open (the peer did not agree on IP addresses, or ended IP)", t.client.downReason);
        assertTrue(t.client.ppp.lcp().fsm().state() != PppFsm.OPENED, PppFsm.name(t.client.ppp.lcp().fsm().state()));
        assertTrue(!t.client.ppp.isUp());
    }
}
