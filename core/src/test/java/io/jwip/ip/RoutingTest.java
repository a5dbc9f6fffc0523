package io.jwip.ip;

import io.jwip.JwipOptions;
import io.jwip.stack.Stack;
import io.jwip.netif.Netif;
import io.jwip.stats.Drop;
import io.jwip.testutil.CaptureLink;
import io.jwip.testutil.Packets;
import io.jwip.wire.IcmpHeader;
import io.jwip.wire.Ip4Addr;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Choosing between several netifs, the default route, forwarding, and the stats table. */
class RoutingTest {
    private final CaptureLink l1 = new CaptureLink();
    private final CaptureLink l2 = new CaptureLink();
    private Stack stack;
    private Netif n1;
    private Netif n2;

    private void build(boolean forward) {
        JwipOptions o = new JwipOptions();
        o.ipForward = forward;
        stack = new Stack(o);
        n1 = new Netif("sl0", 1006, l1).configure(Ip4Addr.of(10, 0, 0, 1), Ip4Addr.maskOf(24), Ip4Addr.of(10, 0, 0, 254));
        n2 = new Netif("tun0", 1500, l2).configure(Ip4Addr.of(192, 168, 7, 1), Ip4Addr.maskOf(24), 0);
        stack.addNetif(n1);
        stack.addNetif(n2);
    }

    @Test
    void subnetMatchThenDefault() {
        build(false);
        assertSame(n1, stack.route(Ip4Addr.of(10, 0, 0, 77)));
        assertSame(n2, stack.route(Ip4Addr.of(192, 168, 7, 9)));
        assertSame(n1, stack.route(Ip4Addr.of(8, 8, 8, 8)), "first netif added is the default");
        stack.setDefaultNetif(n2);
        assertSame(n2, stack.route(Ip4Addr.of(8, 8, 8, 8)));
        assertSame(stack.loopback(), stack.route(Ip4Addr.of(192, 168, 7, 1)), "our own address goes to loopback");
        n2.setUp(false);
        stack.setDefaultNetif(n1);
        assertSame(n1, stack.route(Ip4Addr.of(192, 168, 7, 9)), "a down netif is not chosen for its subnet");
        stack.setDefaultNetif(n2);
        assertNull(stack.route(Ip4Addr.of(8, 8, 8, 8)), "a down default route is no route");
    }

    @Test
    void pointToPointLink_itsPeerIsOnTheLink_notTheDefaultRoute() {
        build(false);
        CaptureLink l3 = new CaptureLink();
        Netif ppp = new Netif("ppp0", 1500, l3).configure(Ip4Addr.of(10, 96, 1, 1), 0xffffffff, Ip4Addr.of(10, 96, 1, 2));
        stack.addNetif(ppp);
        assertSame(ppp, stack.route(Ip4Addr.of(10, 96, 1, 2)), "a /32 with its peer (IPCP's) reaches the peer");
        assertSame(n1, stack.route(Ip4Addr.of(10, 96, 1, 3)), "nothing else: the default route");
    }

    @Test
    void forwardsBetweenNetifsAndDecrementsTtl() {
        build(true);
        byte[] p = Packets.ipv4(Ip4Addr.of(10, 0, 0, 2), Ip4Addr.of(192, 168, 7, 2), 17, 1, 0, 64,
                Packets.udp(Ip4Addr.of(10, 0, 0, 2), Ip4Addr.of(192, 168, 7, 2), 1, 2, new byte[10], true));
        l1.inject(p);
        byte[] out = l2.take();
        assertEquals(63, out[8] & 0xff);
        assertTrue(Packets.ipChecksumOk(out));
        assertEquals(1, stack.stats().ip.fwd);
        assertTrue(stack.stats().allPoolsFull());
    }

    @Test
    void ttlExpiryAnsweredWithTimeExceeded() {
        build(true);
        l1.inject(Packets.ipv4(Ip4Addr.of(10, 0, 0, 2), Ip4Addr.of(192, 168, 7, 2), 17, 1, 0, 1, new byte[12]));
        assertNull(l2.poll());
        byte[] err = l1.take();
        assertEquals(IcmpHeader.TYPE_TIME_EXCEEDED, Packets.payload(err)[0]);
        assertEquals(1, stack.stats().drops(Drop.IP_TTL_EXPIRED));
        assertTrue(stack.stats().allPoolsFull());
    }

    @Test
    void statsDumpIsAReadableTable() {
        build(false);
        l1.inject(new byte[3]);
        String s = stack.stats().toString();
        assertTrue(s.contains("POOL                 avail   used    max    err"), s);
        assertTrue(s.contains("PBUF_POOL"), s);
        assertTrue(s.contains("ip: shorter than a header"), s);
        assertTrue(s.lines().anyMatch(l -> l.startsWith("IP ") && l.trim().endsWith("1")), s);
    }
}
