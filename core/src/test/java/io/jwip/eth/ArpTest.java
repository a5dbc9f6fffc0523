package io.jwip.eth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwip.JwipOptions;
import io.jwip.buf.Pbuf;
import io.jwip.buf.PbufPool;
import io.jwip.icmp.EchoListener;
import io.jwip.netif.Netif;
import io.jwip.netif.mem.EthernetHub;
import io.jwip.stack.Stack;
import io.jwip.stats.Drop;
import io.jwip.wire.ArpHeader;
import io.jwip.wire.EthernetHeader;
import io.jwip.wire.Ip4Addr;
import io.jwip.wire.Mac;
import org.junit.jupiter.api.Test;

/**
 * Ethernet and ARP between stacks on one in-memory segment ({@link EthernetHub}), on a virtual clock: one
 * test per row of {@link ArpState}'s diagram, RFC 826's reception rules, RFC 5227's probe and defence, and
 * the frame filter. After each, every pool is full.
 */
class ArpTest {
    static final int A = Ip4Addr.of(10, 0, 0, 1);
    static final int B = Ip4Addr.of(10, 0, 0, 2);
    static final int NOBODY = Ip4Addr.of(10, 0, 0, 9);
    static final long MAC_A = 0x020000000001L;
    static final long MAC_B = 0x020000000002L;
    static final long MAC_C = 0x020000000003L;

    /** Stacks on a hub; each {@link Host} is one stack with one Ethernet netif. */
    static final class Segment {
        final EthernetHub hub;
        final Host[] hosts;
        long now;

        Segment(JwipOptions o, long... macs) {
            hub = new EthernetHub(macs.length + 1, 64, 1514);
            hosts = new Host[macs.length];
            for (int i = 0; i < macs.length; i++) {
                hosts[i] = new Host(o, macs[i], hub.port(i));
            }
        }

        /** Delivers frames and runs timers, in 10 ms steps of virtual time, until {@code until}. */
        void runUntil(long until) {
            for (long t = now; t <= until; t += 10) {
                now = t;
                hub.pumpUntilIdle(16);
                for (Host h : hosts) {
                    h.stack.timers(now);
                }
                hub.pumpUntilIdle(16);
            }
            now = until;
        }

        /** Delivers what is in flight, with replies, at the current time. */
        void exchange() {
            for (Host h : hosts) {
                h.stack.timers(now);
            }
            hub.pumpUntilIdle(16);
        }

        boolean poolsFull() {
            for (Host h : hosts) {
                if (!h.stack.stats().allPoolsFull()) {
                    return false;
                }
            }
            return true;
        }
    }

    static final class Host implements EchoListener, AddressListener {
        final Stack stack;
        final EthernetLink eth;
        final Netif netif;
        int replies;
        int probed;
        int conflicts;
        boolean conflictWhileProbing;

        Host(JwipOptions o, long mac, EthernetHub.Port port) {
            stack = new Stack(o);
            eth = new EthernetLink(o, mac, port);
            eth.setAddressListener(this);
            netif = new Netif("eth0", 1500, eth);
            stack.addNetif(netif);
            stack.icmp().setEchoListener(this);
        }

        Host address(int a) {
            netif.configure(a, Ip4Addr.maskOf(24), 0);
            return this;
        }

        @Override
        public void echoReply(int src, int identifier, int sequence, int dataLength, long now) {
            replies++;
        }

        @Override
        public void probed(int ip) {
            probed++;
        }

        @Override
        public void conflict(int ip, long mac, boolean whileProbing) {
            conflicts++;
            conflictWhileProbing |= whileProbing;
        }

        long drops(int reason) {
            return stack.stats().drops(reason);
        }
    }

    static JwipOptions options() {
        JwipOptions o = new JwipOptions();
        o.linkHeadroom = EthernetHeader.HEADER_LENGTH;
        return o;
    }

    static Segment twoHosts() {
        Segment s = new Segment(options(), MAC_A, MAC_B);
        s.hosts[0].address(A);
        s.hosts[1].address(B);
        s.runUntil(5000); // the announcements of both addresses are over
        return s;
    }

    @Test
    void free_packetToUnknownNeighbour_requestSentAndPacketQueued_thenReachableBothWays() {
        Segment s = twoHosts();
        Host a = s.hosts[0], b = s.hosts[1];
        assertEquals(0, a.stack.icmp().sendEcho(B, 1, 1, 32));
        assertEquals(ArpState.INCOMPLETE, a.eth.cache().state(B));
        s.exchange();
        assertEquals(1, a.replies, "the queued echo went out once B answered, and B's reply came back");
        assertEquals(ArpState.REACHABLE, a.eth.cache().state(B));
        assertEquals(MAC_B, a.eth.cache().mac(B));
        assertEquals(ArpState.REACHABLE, b.eth.cache().state(A), "B learned A from the request for it (RFC 826)");
        assertTrue(s.poolsFull());
    }

    @Test
    void incomplete_unanswered_retriesWithBackoffThenDropsTheQueue() {
        Segment s = twoHosts();
        Host a = s.hosts[0];
        long arpBefore = a.stack.stats().arp.xmit;
        a.stack.icmp().sendEcho(NOBODY, 1, 1, 32);
        s.runUntil(s.now + 990);
        assertEquals(arpBefore + 1, a.stack.stats().arp.xmit, "one request until the first retry at 1 s");
        s.runUntil(s.now + 2000);
        assertEquals(arpBefore + 2, a.stack.stats().arp.xmit, "the second 1 s later, the third 2 s after that");
        s.runUntil(s.now + 2000);
        assertEquals(arpBefore + 3, a.stack.stats().arp.xmit);
        assertEquals(ArpState.INCOMPLETE, a.eth.cache().state(NOBODY));
        s.runUntil(s.now + 4000);
        assertEquals(ArpState.FREE, a.eth.cache().state(NOBODY), "3 requests unanswered: given up after 7 s");
        assertEquals(1, a.drops(Drop.ARP_UNRESOLVED));
        assertTrue(s.poolsFull());
    }

    @Test
    void incomplete_queueFull_dropsTheOldest() {
        Segment s = twoHosts();
        Host a = s.hosts[0];
        for (int i = 0; i < 5; i++) {
            a.stack.icmp().sendEcho(NOBODY, 1, i, 32);
        }
        assertEquals(2, a.drops(Drop.ARP_QUEUE_FULL), "arpQueueLen 3: the two oldest of five make room");
        assertEquals(3, a.stack.stats().pool("ARP_QUEUE").used());
        s.runUntil(s.now + 8000);
        assertEquals(3, a.drops(Drop.ARP_UNRESOLVED));
        assertTrue(s.poolsFull());
    }

    @Test
    void incomplete_packetsToManySilentNeighbours_neverTakeTheReceiveReserve_andAreGoneIn7s() {
        JwipOptions o = options();
        o.pbufs = 16;
        o.tcpRxPbufReserve = 4;
        Segment s = new Segment(o, MAC_A, MAC_B);
        Host a = s.hosts[0].address(A);
        s.hosts[1].address(B);
        s.runUntil(5000);
        for (int i = 0; i < 200; i++) {
            a.stack.icmp().sendEcho(Ip4Addr.of(10, 0, 0, 100 + i % 50), 1, i, 32);
            assertTrue(a.stack.pbufPool().pool().avail() >= 4, "the receive reserve stays free");
        }
        assertTrue(a.stack.stats().pool("ARP_QUEUE").used() <= 30);
        s.runUntil(s.now + 7000);
        assertEquals(0, a.stack.stats().pool("ARP_QUEUE").used(), "every resolution gave up within 7 s");
        assertTrue(s.poolsFull());
    }

    @Test
    void reachable_afterReachableTime_becomesStale_andItsNextUseChecksItByUnicast() {
        JwipOptions o = options();
        o.arpReachableMs = 10_000;
        Segment s = new Segment(o, MAC_A, MAC_B);
        Host a = s.hosts[0].address(A);
        s.hosts[1].address(B);
        s.runUntil(5000);
        a.stack.icmp().sendEcho(B, 1, 1, 8);
        s.exchange();
        assertEquals(ArpState.REACHABLE, a.eth.cache().state(B));
        s.runUntil(s.now + 10_000);
        assertEquals(ArpState.STALE, a.eth.cache().state(B));
        long requests = s.hosts[1].stack.stats().arp.recv;
        a.stack.icmp().sendEcho(B, 1, 2, 8);
        assertEquals(0, a.stack.stats().pool("ARP_QUEUE").used(), "the stale entry is still used: nothing waits");
        s.exchange();
        assertEquals(2, a.replies);
        assertEquals(requests + 1, s.hosts[1].stack.stats().arp.recv, "one unicast request checks it");
        assertEquals(ArpState.REACHABLE, a.eth.cache().state(B));
        assertTrue(s.poolsFull());
    }

    @Test
    void stale_unanswered_isRemoved() {
        JwipOptions o = options();
        o.arpReachableMs = 10_000;
        Segment s = new Segment(o, MAC_A, MAC_B);
        Host a = s.hosts[0].address(A);
        s.hosts[1].address(B);
        s.runUntil(5000);
        a.stack.icmp().sendEcho(B, 1, 1, 8);
        s.exchange();
        s.runUntil(s.now + 10_000);
        s.hosts[1].netif.configure(Ip4Addr.of(10, 0, 0, 3), Ip4Addr.maskOf(24), 0); // B moved away
        s.runUntil(s.now + 5000);
        a.stack.icmp().sendEcho(B, 1, 2, 8);
        s.runUntil(s.now + 8000);
        assertEquals(ArpState.FREE, a.eth.cache().state(B));
        assertTrue(s.poolsFull());
    }

    @Test
    void tableFull_leastRecentlyUsedMakesRoom_butNotAnEntryBeingResolved() {
        JwipOptions o = options();
        o.arpEntries = 2;
        Segment s = new Segment(o, MAC_A, MAC_B, MAC_C);
        Host a = s.hosts[0].address(A);
        s.hosts[1].address(B);
        s.hosts[2].address(Ip4Addr.of(10, 0, 0, 3));
        s.runUntil(5000);
        a.stack.icmp().sendEcho(B, 1, 1, 8);
        s.exchange();
        s.runUntil(s.now + 10);
        a.stack.icmp().sendEcho(Ip4Addr.of(10, 0, 0, 3), 1, 2, 8);
        s.exchange();
        assertEquals(2, a.replies);
        s.runUntil(s.now + 10);
        a.stack.icmp().sendEcho(NOBODY, 1, 3, 8);
        assertEquals(ArpState.FREE, a.eth.cache().state(B), "B was used longest ago");
        assertEquals(ArpState.INCOMPLETE, a.eth.cache().state(NOBODY));
        a.stack.icmp().sendEcho(Ip4Addr.of(10, 0, 0, 8), 1, 4, 8);
        s.exchange();
        s.runUntil(s.now + 10);
        a.stack.icmp().sendEcho(Ip4Addr.of(10, 0, 0, 7), 1, 5, 8);
        assertEquals(1, a.drops(Drop.ARP_TABLE_FULL), "both entries are being resolved: nothing to evict");
        s.runUntil(s.now + 8000);
        assertTrue(s.poolsFull());
    }

    @Test
    void static_entryIsUsedWithoutArp_andNotOverwrittenByTheWire() {
        Segment s = twoHosts();
        Host a = s.hosts[0];
        assertTrue(a.eth.cache().addStatic(B, MAC_B));
        long arp = a.stack.stats().arp.xmit;
        a.stack.icmp().sendEcho(B, 1, 1, 8);
        assertEquals(arp, a.stack.stats().arp.xmit, "no request for a static neighbour");
        assertEquals(0, a.stack.stats().pool("ARP_QUEUE").used());
        s.exchange();
        assertEquals(1, a.replies);
        assertEquals(ArpState.STATIC, a.eth.cache().state(B));
        s.runUntil(s.now + 400_000);
        assertEquals(ArpState.STATIC, a.eth.cache().state(B), "never aged");
        assertTrue(s.poolsFull());
    }

    @Test
    void addressChange_sendsGratuitousArp_thatUpdatesNeighboursWhoKnowTheSender() {
        Segment s = twoHosts();
        Host a = s.hosts[0], b = s.hosts[1];
        a.stack.icmp().sendEcho(B, 1, 1, 8);
        s.exchange();
        assertEquals(MAC_A, b.eth.cache().mac(A));
        // A third host takes over A's address (A left): its announcements move B's entry to it.
        Segment t = new Segment(options(), MAC_A, MAC_B, MAC_C);
        t.hosts[1].address(B);
        t.hosts[0].address(A);
        t.runUntil(5000);
        t.hosts[0].stack.icmp().sendEcho(B, 1, 1, 8);
        t.exchange();
        assertEquals(MAC_A, t.hosts[1].eth.cache().mac(A));
        t.hosts[0].netif.configure(0, 0, 0);
        t.hosts[2].address(A);
        t.runUntil(t.now + 5000);
        assertEquals(MAC_C, t.hosts[1].eth.cache().mac(A), "the announcement updated B's cache (RFC 826 merge)");
        assertTrue(s.poolsFull() && t.poolsFull());
    }

    @Test
    void bound_anotherHostClaimsOurAddress_conflictDetectedCountedAndDefended() {
        Segment s = new Segment(options(), MAC_A, MAC_B, MAC_C);
        Host a = s.hosts[0].address(A);
        Host b = s.hosts[1].address(B);
        s.runUntil(5000);
        a.stack.icmp().sendEcho(B, 1, 1, 8);
        s.exchange();
        Host c = s.hosts[2].address(B); // a third answers for B's address
        s.runUntil(s.now + 5000);
        assertTrue(b.conflicts >= 1, "B saw C's announcement of its address");
        assertTrue(b.drops(Drop.ARP_CONFLICT) >= 1);
        assertTrue(b.eth.conflicts() >= 1);
        assertTrue(c.conflicts >= 1, "C saw B's defence");
        assertTrue(s.poolsFull());
    }

    @Test
    void probing_noOneAnswers_addressMayBeUsedAfterThreeProbes() {
        Segment s = new Segment(options(), MAC_A, MAC_B);
        Host a = s.hosts[0];
        s.hosts[1].address(B);
        s.runUntil(5000);
        long sent = a.stack.stats().arp.xmit;
        a.eth.probe(A);
        s.runUntil(s.now + 9000);
        assertEquals(1, a.probed);
        assertEquals(0, a.conflicts);
        assertEquals(sent + 5, a.stack.stats().arp.xmit, "three probes, then two announcements (RFC 5227 2.3)");
        assertTrue(s.poolsFull());
    }

    @Test
    void probing_theAddressIsTaken_conflictAndNoUse() {
        Segment s = new Segment(options(), MAC_A, MAC_B);
        Host a = s.hosts[0];
        s.hosts[1].address(B);
        s.runUntil(5000);
        a.eth.probe(B);
        s.runUntil(s.now + 9000);
        assertEquals(0, a.probed);
        assertEquals(1, a.conflicts);
        assertTrue(a.conflictWhileProbing);
        assertEquals("CONFLICT", a.eth.acdState());
        assertTrue(s.poolsFull());
    }

    // ------------------------------------------------------------------ the frame filter

    static final PbufPool RAW = new PbufPool("RAW", 2, 1536);

    /** Sends a raw frame from port 2 of a two-host hub (port 2 has no host). */
    static void inject(Segment s, byte[] frame) {
        Pbuf p = RAW.alloc(0, frame.length);
        p.copyIn(0, frame, 0, frame.length);
        s.hub.port(2).output(p);
        PbufPool.free(p);
        s.hub.pumpUntilIdle(4);
    }

    static byte[] frame(long dst, long src, int type, int len) {
        byte[] f = new byte[len];
        new EthernetHeader().wrap(f, 0).destination(dst).source(src).type(type);
        return f;
    }

    @Test
    void frameFilter_dropsByReason() {
        Segment s = twoHosts();
        Host a = s.hosts[0];
        inject(s, frame(MAC_C, MAC_B, EthernetHeader.TYPE_IPV4, 60));
        assertEquals(1, a.drops(Drop.ETH_NOT_FOR_US));
        inject(s, frame(MAC_A, MAC_A, EthernetHeader.TYPE_IPV4, 60));
        assertEquals(1, a.drops(Drop.ETH_OWN_SOURCE));
        inject(s, frame(Mac.BROADCAST, Mac.BROADCAST, EthernetHeader.TYPE_IPV4, 60));
        assertEquals(1, a.drops(Drop.ETH_BAD_SOURCE));
        inject(s, frame(MAC_A, MAC_C, 0x86dd, 60));
        assertEquals(1, a.drops(Drop.ETH_UNKNOWN_TYPE), "IPv6 is not ours");
        inject(s, new byte[10]);
        assertEquals(1, a.drops(Drop.ETH_TRUNCATED));
        byte[] arp = frame(Mac.BROADCAST, MAC_C, EthernetHeader.TYPE_ARP, 60);
        new ArpHeader().wrap(arp, 14).fill(ArpHeader.OP_REQUEST, MAC_C, Ip4Addr.of(10, 0, 0, 3), 0, A);
        arp[14 + ArpHeader.HARDWARE_LENGTH] = 8;
        inject(s, arp);
        assertEquals(1, a.drops(Drop.ARP_MALFORMED));
        arp[14 + ArpHeader.HARDWARE_LENGTH] = 6;
        arp[14 + ArpHeader.OPERATION + 1] = 9;
        inject(s, arp);
        assertEquals(1, a.drops(Drop.ARP_BAD_OPERATION));
        new ArpHeader().wrap(arp, 14).fill(ArpHeader.OP_REQUEST, Mac.BROADCAST, Ip4Addr.of(10, 0, 0, 3), 0, A);
        inject(s, arp);
        assertEquals(1, a.drops(Drop.ARP_BAD_SENDER));
        inject(s, frame(MAC_A, MAC_C, EthernetHeader.TYPE_ARP, 20));
        assertEquals(2, a.drops(Drop.ARP_MALFORMED), "truncated ARP");
        assertTrue(s.poolsFull());
    }
}
