package io.jwip.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwip.JwipOptions;
import io.jwip.buf.Pbuf;
import io.jwip.buf.PbufPool;
import io.jwip.eth.EthernetLink;
import io.jwip.netif.Netif;
import io.jwip.netif.mem.EthernetHub;
import io.jwip.stack.Stack;
import io.jwip.stats.Drop;
import io.jwip.udp.UdpPcb;
import io.jwip.udp.UdpRecv;
import io.jwip.wire.DhcpHeader;
import io.jwip.wire.EthernetHeader;
import io.jwip.wire.Ip4Addr;
import io.jwip.wire.UdpHeader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The DHCP client against a small DHCP server (a second jwip stack on the same in-memory Ethernet segment),
 * on a virtual clock: one test per arrow of {@link DhcpState}'s diagram, with the RFC 2131 timers.
 */
class DhcpClientTest {
    static final int SERVER = Ip4Addr.of(10, 0, 0, 1);
    static final int POOL_FIRST = Ip4Addr.of(10, 0, 0, 50);
    static final int DNS1 = Ip4Addr.of(10, 0, 0, 53);
    static final long MAC_SERVER = 0x020000000001L;
    static final long MAC_CLIENT = 0x020000000002L;
    static final long MAC_OTHER = 0x020000000003L;

    /** A DHCP server for the tests: offers POOL_FIRST + n, ACKs requests for what it offered, NAKs the rest. */
    static final class Server implements UdpRecv {
        final Stack stack;
        final Netif netif;
        final UdpPcb pcb;
        final byte[] b = new byte[1500];
        final DhcpHeader h = new DhcpHeader();
        long leaseS = 120;
        boolean on = true;
        boolean nakAll;
        int next = POOL_FIRST;
        /** No log of what it saw (the allocation test). */
        boolean quiet;
        /** When set, every reply gets random bytes and lengths changed before it goes out (the fuzz test). */
        java.util.Random mutate;
        final List<String> seen = new ArrayList<>();

        Server(JwipOptions o, EthernetHub.Port port) {
            stack = new Stack(o);
            netif = new Netif("eth0", 1500, new EthernetLink(o, MAC_SERVER, port)).configure(SERVER, Ip4Addr.maskOf(24), 0);
            stack.addNetif(netif);
            pcb = stack.udp().newPcb();
            stack.udp().bind(pcb, 0, DhcpHeader.SERVER_PORT);
            pcb.recv(this);
        }

        @Override
        public void recv(UdpPcb pcb, Pbuf p, int src, int sport) {
            int len = p.totalLength();
            p.copyOut(0, b, 0, len);
            PbufPool.free(p);
            h.wrap(b, 0, len);
            int type = h.option8(DhcpHeader.OPT_MESSAGE_TYPE);
            long requested = h.option32(DhcpHeader.OPT_REQUESTED_IP, 0);
            int ciaddr = io.jwip.wire.Bytes.i32(b, DhcpHeader.CIADDR);
            if (!quiet) {
                seen.add(type + (src == 0 ? " from 0.0.0.0" : " from " + Ip4Addr.toString(src)) + " ciaddr " + Ip4Addr.toString(ciaddr));
            }
            if (!on) {
                return;
            }
            int xid = h.xid();
            if (type == DhcpHeader.DISCOVER) {
                reply(xid, DhcpHeader.OFFER, next, src);
            } else if (type == DhcpHeader.REQUEST) {
                int want = requested != 0 ? (int) requested : ciaddr;
                reply(xid, nakAll || want != next ? DhcpHeader.NAK : DhcpHeader.ACK, nakAll ? 0 : want, ciaddr);
            } else if (type == DhcpHeader.DECLINE) {
                next++; // that one is taken: offer the next
            }
        }

        void reply(int xid, int type, int yiaddr, int unicastTo) {
            h.wrap(b, 0, b.length).request(xid, 0, true, 0, MAC_CLIENT, 400);
            b[DhcpHeader.OP] = DhcpHeader.OP_REPLY;
            io.jwip.wire.Bytes.put32(b, DhcpHeader.YIADDR, yiaddr);
            int n = h.put8(DhcpHeader.OPTIONS, DhcpHeader.OPT_MESSAGE_TYPE, type);
            n = h.put32(n, DhcpHeader.OPT_SERVER_ID, SERVER);
            if (type != DhcpHeader.NAK) {
                n = h.put32(n, DhcpHeader.OPT_SUBNET_MASK, Ip4Addr.maskOf(24));
                n = h.put32(n, DhcpHeader.OPT_ROUTER, SERVER);
                n = h.put32(n, DhcpHeader.OPT_DNS, DNS1);
                n = h.put32(n, DhcpHeader.OPT_LEASE_TIME, (int) leaseS);
            }
            n = h.end(n);
            if (mutate != null) {
                for (int k = mutate.nextInt(5); k > 0; k--) {
                    int at = mutate.nextInt(n);
                    if (at != DhcpHeader.XID || mutate.nextInt(8) == 0) {
                        b[at] = (byte) mutate.nextInt(256);
                    }
                }
                if (mutate.nextInt(6) == 0) {
                    n = mutate.nextInt(n + 1); // truncated anywhere
                } else if (mutate.nextInt(6) == 0) {
                    // an option whose length runs past the end
                    b[n - 1] = (byte) (1 + mutate.nextInt(254));
                    b[n - 2] = (byte) mutate.nextInt(256);
                }
            }
            Pbuf p = stack.allocTransport(UdpHeader.HEADER_LENGTH, n);
            p.copyIn(0, b, 0, n);
            int dst = unicastTo != 0 ? unicastTo : Ip4Addr.BROADCAST;
            stack.udp().sendToIf(pcb, p, dst, DhcpHeader.CLIENT_PORT, netif, SERVER);
            PbufPool.free(p);
        }

        /** Sends {@code len} bytes of {@code msg} as a reply (the fuzz target shapes every byte). */
        void raw(byte[] msg, int len) {
            Pbuf p = stack.allocTransport(UdpHeader.HEADER_LENGTH, len);
            if (p == null) {
                return;
            }
            p.copyIn(0, msg, 0, len);
            stack.udp().sendToIf(pcb, p, Ip4Addr.BROADCAST, DhcpHeader.CLIENT_PORT, netif, SERVER);
            PbufPool.free(p);
        }

        long count(int type) {
            return seen.stream().filter(s -> s.startsWith(type + " ")).count();
        }
    }

    static final class Rig implements DhcpListener {
        final EthernetHub hub = new EthernetHub(4, 64, 1514);
        final Server server;
        final Stack client;
        final Netif netif;
        final EthernetLink eth;
        final DhcpClient dhcp;
        final List<String> trace = new ArrayList<>();
        Stack other;
        long now;

        Rig() {
            JwipOptions o = new JwipOptions();
            o.linkHeadroom = EthernetHeader.HEADER_LENGTH;
            server = new Server(o, hub.port(0));
            client = new Stack(o);
            eth = new EthernetLink(o, MAC_CLIENT, hub.port(1));
            netif = new Netif("eth0", 1500, eth);
            client.addNetif(netif);
            dhcp = new DhcpClient(client, netif, eth);
            dhcp.setListener(this);
        }

        /** A third host that already uses {@code a}. */
        void otherHostHas(int a) {
            JwipOptions o = new JwipOptions();
            other = new Stack(o);
            other.addNetif(new Netif("eth0", 1500, new EthernetLink(o, MAC_OTHER, hub.port(2))).configure(a, Ip4Addr.maskOf(24), 0));
        }

        @Override
        public void transition(DhcpClient c, int from, int to, String why, long t) {
            trace.add(t + " " + DhcpState.name(from) + " -> " + DhcpState.name(to) + " (" + why + ")");
        }

        void runUntil(long until) {
            for (long t = now; t <= until; t += 100) {
                now = t;
                hub.pumpUntilIdle(16);
                server.stack.timers(t);
                client.timers(t);
                if (other != null) {
                    other.timers(t);
                }
                hub.pumpUntilIdle(16);
            }
            now = until;
        }

        /** Runs until the client is in {@code state}; returns the time, or fails. */
        long until(int state, long limit) {
            while (dhcp.state() != state && now < limit) {
                runUntil(now + 100);
            }
            assertEquals(DhcpState.name(state), DhcpState.name(dhcp.state()), String.join("\n", trace));
            return now;
        }

        /** Closes the client and the server, lets what they sent go, and checks every pool. */
        boolean poolsFull() {
            dhcp.close();
            server.stack.udp().remove(server.pcb);
            runUntil(now + 10_000);
            boolean full = client.stats().allPoolsFull() && server.stack.stats().allPoolsFull();
            if (!full) {
                System.out.println("not full: client " + client.stats().poolsNotFull() + "; server "
                        + server.stack.stats().poolsNotFull());
            }
            return full;
        }
    }

    @Test
    void init_discoverOfferRequestAck_probe_bound_withTheLeasesOptions() {
        Rig r = new Rig();
        r.dhcp.start();
        long bound = r.until(DhcpState.BOUND, 20_000);
        assertTrue(bound >= 3000 && bound <= 10_000, "three probes take 3 to 7 s, then the address is used: " + bound);
        assertEquals(POOL_FIRST, r.netif.address());
        assertEquals(Ip4Addr.maskOf(24), r.netif.netmask());
        assertEquals(SERVER, r.netif.gateway());
        assertEquals(1, r.dhcp.dnsCount());
        assertEquals(DNS1, r.dhcp.dns(0));
        assertEquals(120, r.dhcp.leaseSeconds());
        assertTrue(r.trace.get(0).contains("OFF -> INIT"), r.trace.toString());
        assertTrue(String.join("\n", r.trace).contains("SELECTING -> REQUESTING (OFFER)"));
        assertTrue(String.join("\n", r.trace).contains("REQUESTING -> CHECKING"));
        assertEquals("1 from 0.0.0.0 ciaddr 0.0.0.0", r.server.seen.get(0), "DISCOVER broadcast from 0.0.0.0");
        assertTrue(r.poolsFull());
    }

    @Test
    void bound_atT1_renewsByUnicastToTheServer_andStaysBound() {
        Rig r = new Rig();
        r.dhcp.start();
        r.until(DhcpState.BOUND, 20_000);
        long t1 = r.dhcp.t1At();
        r.runUntil(t1 - 100);
        assertEquals(DhcpState.BOUND, r.dhcp.state());
        r.runUntil(t1 + 1000);
        assertEquals(1, r.dhcp.renewals(), String.join("\n", r.trace));
        assertEquals(DhcpState.BOUND, r.dhcp.state());
        assertTrue(r.server.seen.contains("3 from 10.0.0.50 ciaddr 10.0.0.50"), "unicast REQUEST from the leased address: " + r.server.seen);
        assertTrue(r.dhcp.t1At() > t1, "a new lease from the renewal");
        assertTrue(r.poolsFull());
    }

    @Test
    void serverGone_renewingThenRebindingAtT2_thenLeaseExpiry_takesTheAddressAway() {
        Rig r = new Rig();
        r.server.leaseS = 600;
        r.dhcp.start();
        r.until(DhcpState.BOUND, 20_000);
        r.server.on = false;
        long t1 = r.dhcp.t1At(), t2 = r.dhcp.t2At(), exp = r.dhcp.expiresAt();
        r.runUntil(t1 + 100);
        assertEquals(DhcpState.RENEWING, r.dhcp.state());
        r.runUntil(t2 + 100);
        assertEquals(DhcpState.REBINDING, r.dhcp.state());
        long unicast = r.server.seen.stream().filter(s -> s.equals("3 from 10.0.0.50 ciaddr 10.0.0.50")).count();
        assertTrue(unicast >= 2, "renewal REQUESTs retransmitted at half the time to T2, at least 60 s apart: " + unicast);
        assertEquals(POOL_FIRST, r.netif.address(), "the address is kept until the lease expires");
        r.runUntil(exp - 100);
        assertEquals(POOL_FIRST, r.netif.address());
        r.runUntil(exp + 100);
        assertEquals(0, r.netif.address(), "lease expired: the address is gone");
        assertEquals(1, r.dhcp.expiries());
        assertEquals(DhcpState.SELECTING, r.dhcp.state(), "and the client starts over");
        assertTrue(r.poolsFull());
    }

    @Test
    void renewing_nak_goesToInit_andStartsOver() {
        Rig r = new Rig();
        r.dhcp.start();
        r.until(DhcpState.BOUND, 20_000);
        r.server.nakAll = true;
        r.runUntil(r.dhcp.t1At() + 1000);
        assertTrue(r.dhcp.naks() >= 1);
        assertEquals(0, r.netif.address());
        assertTrue(String.join("\n", r.trace).contains("RENEWING -> INIT (NAK)"), String.join("\n", r.trace));
        assertTrue(r.poolsFull());
    }

    @Test
    void checking_addressInUse_declines_waits10s_thenGetsAnother() {
        Rig r = new Rig();
        r.otherHostHas(POOL_FIRST);
        r.runUntil(3000);
        r.dhcp.start();
        r.until(DhcpState.BOUND, 40_000);
        assertEquals(1, r.dhcp.declines());
        assertEquals(1, r.server.count(DhcpHeader.DECLINE));
        assertEquals(POOL_FIRST + 1, r.netif.address(), "the next address, after the DECLINE");
        assertTrue(r.client.stats().drops(Drop.ARP_CONFLICT) >= 1);
        String t = String.join("\n", r.trace);
        assertTrue(t.contains("CHECKING -> INIT (address in use by another host: DECLINE)"), t);
        assertTrue(r.poolsFull());
    }

    @Test
    void selecting_noServer_discoverRetransmittedWithRandomisedDoublingBackoff() {
        Rig r = new Rig();
        r.server.on = false;
        r.dhcp.start();
        r.runUntil(130_000);
        // 0, ~4, ~12, ~28, ~60, ~124 s (each +-1 s): six DISCOVERs in 130 s.
        assertEquals(6, r.server.count(DhcpHeader.DISCOVER), r.server.seen.toString());
        assertEquals(DhcpState.SELECTING, r.dhcp.state());
        assertTrue(r.poolsFull());
    }

    @Test
    void initReboot_remembersItsAddress_requestsIt_andIsBound() {
        Rig r = new Rig();
        r.dhcp.remember(POOL_FIRST);
        r.dhcp.start();
        r.until(DhcpState.BOUND, 20_000);
        String t = String.join("\n", r.trace);
        assertTrue(t.contains("OFF -> INIT-REBOOT") && t.contains("INIT-REBOOT -> REBOOTING") && t.contains("REBOOTING -> CHECKING"), t);
        assertEquals(0, r.server.count(DhcpHeader.DISCOVER));
        assertEquals(POOL_FIRST, r.netif.address());
    }

    @Test
    void rebooting_nak_goesToInit_andDiscovers() {
        Rig r = new Rig();
        r.dhcp.remember(Ip4Addr.of(10, 0, 0, 99));
        r.dhcp.start();
        r.until(DhcpState.BOUND, 20_000);
        assertTrue(String.join("\n", r.trace).contains("REBOOTING -> INIT (NAK)"));
        assertEquals(POOL_FIRST, r.netif.address());
    }

    @Test
    void stop_sendsRelease_andTakesTheAddressAway() {
        Rig r = new Rig();
        r.dhcp.start();
        r.until(DhcpState.BOUND, 20_000);
        r.dhcp.stop();
        r.runUntil(r.now + 1000);
        assertEquals(1, r.server.count(DhcpHeader.RELEASE), r.server.seen.toString());
        assertEquals(0, r.netif.address());
        assertEquals(DhcpState.OFF, r.dhcp.state());
        assertTrue(r.poolsFull());
    }

    @Test
    void repliesThatAreNotOurs_areDroppedByReason() {
        Rig r = new Rig();
        r.server.on = false;
        r.dhcp.start();
        r.runUntil(100);
        r.server.reply(0x12345678, DhcpHeader.OFFER, POOL_FIRST, 0); // another transaction
        r.runUntil(200);
        assertEquals(1, r.client.stats().drops(Drop.DHCP_NOT_OURS));
        assertEquals(DhcpState.SELECTING, r.dhcp.state());
        assertTrue(r.poolsFull());
    }
}
