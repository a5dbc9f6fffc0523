package io.jwip.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwip.Err;
import io.jwip.JwipOptions;
import io.jwip.buf.Pbuf;
import io.jwip.netif.mem.InMemoryLink;
import io.jwip.stats.Drop;
import io.jwip.wire.Bytes;
import io.jwip.wire.Checksum;
import io.jwip.wire.Ip4Addr;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Seeded, deterministic fuzzing of TCP input (house rule 3: untrusted input never throws, every drop is
 * counted, pools end full).
 *
 * <p>{@link #mutatedSegmentsAgainstEveryState} builds, per seed, a stack with connections in every state
 * it can reach and feeds it mutations of valid segments (flags, sequence and acknowledgment numbers near
 * and far from the windows, windows, options well and badly formed, data offsets, truncation, checksums,
 * garbage) while a virtual clock jumps so that every timer fires in between.
 *
 * <p>{@link #bulkTransferUnderBlindInjection} runs a transfer between two stacks while a third party who
 * knows the four-tuple and even the receiver's RCV.NXT, but not the sender's sequence space, injects
 * segments into both. RFC 5961's claim is that such segments are harmless: a RST needs the exact RCV.NXT
 * (section 3), a SYN is always answered with a challenge ACK (section 4), and data needs an acceptable
 * ACK, SND.UNA - MAX.SND.WND &lt;= SEG.ACK &lt;= SND.NXT (section 5). The injector never meets those
 * conditions, so the transfer must complete byte-exact with no error.
 */
class TcpFuzzTest {
    static final int S = TcpHeader0.SYN;
    static final int A = TcpHeader0.ACK;
    static final int F = TcpHeader0.FIN;
    static final int R = TcpHeader0.RST;

    /** Flag bits, local copies so the generator reads plainly. */
    static final class TcpHeader0 {
        static final int FIN = 0x01;
        static final int SYN = 0x02;
        static final int RST = 0x04;
        static final int PSH = 0x08;
        static final int ACK = 0x10;
        static final int URG = 0x20;
    }

    /** A connection the fuzzer aims at: its ports and last known sequence numbers. */
    static final class Target {
        final int lport;
        final int pport;
        int rcvNxt; // what the stack expects from the peer
        int sndNxt; // what the stack sent up to
        int sndUna;
        int peerTs = 1000;

        Target(int lport, int pport) {
            this.lport = lport;
            this.pport = pport;
        }
    }

    // ====================================================================== single stack, all states

    /** Seeds run in {@code make test}; {@code -Djwip.fuzz.seeds=N -Djwip.fuzz.first=K} explores further. */
    static final int SEEDS = Integer.getInteger("jwip.fuzz.seeds", 80);
    static final int FIRST = Integer.getInteger("jwip.fuzz.first", 1);
    static final int PER_SEED = 2500; // 200k segments in all
    /** Per state: segments aimed at a connection in that state (LISTEN: at a fresh port with a listener). */
    static final long[] STATE_HITS = new long[TcpState.COUNT];
    static final long[] DROPS = new long[Drop.COUNT];
    /** Segments that found no buffer to be received into (scarce seeds). */
    static final long[] NO_PBUF = new long[1];
    /** Invariant checks that saw: RCV.WND 0, SND.WND 0, two or more out-of-order segments, fast recovery. */
    static final long[] SEEN = new long[4];

    @Test
    @Timeout(300) // a hang (an input or timer loop that never ends) fails instead of blocking the build
    void mutatedSegmentsAgainstEveryState() {
        long t0 = System.nanoTime();
        long total = 0;
        for (int seed = FIRST; seed < FIRST + SEEDS; seed++) {
            total += fuzzOne(seed, PER_SEED);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        StringBuilder sb = new StringBuilder("TcpFuzzTest: " + total + " segments, " + SEEDS + " seeds, " + ms
                + " ms\n  segments aimed at a connection in:");
        for (int s = 0; s < TcpState.COUNT; s++) {
            sb.append(' ').append(TcpState.name(s)).append('=').append(STATE_HITS[s]);
        }
        sb.append("\n  connections seen with RCV.WND 0: ").append(SEEN[0]).append(", SND.WND 0: ").append(SEEN[1])
                .append(", 2+ out-of-order segments: ").append(SEEN[2]).append(", in fast recovery: ").append(SEEN[3]);
        sb.append("\n  no receive buffer: ").append(NO_PBUF[0]).append("\n  TCP drops:");
        for (int d = 0; d < Drop.COUNT; d++) {
            if (Drop.protocol(d) == Drop.P_TCP && DROPS[d] > 0) {
                sb.append("\n    ").append(DROPS[d]).append("  ").append(Drop.name(d));
            }
        }
        System.out.println(sb);
        assertEquals((long) SEEDS * PER_SEED, total);
        for (int s = TcpState.LISTEN; s < TcpState.COUNT; s++) {
            assertTrue(STATE_HITS[s] > 6L * SEEDS, "fuzzed " + TcpState.name(s) + " " + STATE_HITS[s] + " times");
        }
    }

    static JwipOptions options(int seed) {
        JwipOptions o = new JwipOptions();
        o.tcpTimestamps = (seed & 1) == 0;
        o.tcpWindowScaling = (seed & 2) == 0;
        if ((seed & 4) != 0) {
            o.tcpKeepalive = true;
            o.tcpKeepIdleMs = 3000;
            o.tcpKeepIntervalMs = 1000;
            o.tcpKeepCount = 3;
        }
        if ((seed & 8) != 0) {
            o.tcpWnd = 4 * 8760;
            o.tcpSndBuf = 4 * 8760;
        }
        o.tcpAckDelayMs = (seed % 3 == 0) ? 0 : 100;
        if (seed % 7 == 0) {
            o.tcpWnd = 2920; // with an application that does not read: windows close
        }
        o.tcpPcbs = 32;
        if (seed % 5 == 0) {
            // scarce: buffers, segment descriptors, TIME_WAIT slots and pcbs run out under fire
            o.pbufs = 24;
            o.tcpSegs = 12;
            o.tcpTimeWait = 2;
            o.tcpPcbs = 10;
        }
        return o;
    }

    /** One seed: build every state, inject {@code n} segments, tear down, check. Returns n. */
    static int fuzzOne(int seed, int n) {
        nextPort = 10000; // each seed stands alone (reproducible with -Djwip.fuzz.first)
        Harness h = new Harness(options(seed), false);
        Random r = new Random(seed);
        App app = new App();
        app.autoRecved = seed % 7 != 0; // else receive windows fill and close (zero-window paths)
        TcpPcb l = h.listen(app, 4);
        List<Target> targets = new ArrayList<>();
        buildStates(h, app, targets);
        if (seed % 5 != 0) {
            assertAllStates(h, seed);
        }
        Fuzzer fz = new Fuzzer(r, h);
        int i = 0;
        try {
            for (; i < n; i++) {
                Target t = pick(h, targets, r);
                refresh(h, t);
                STATE_HITS[stateOf(h, t)]++;
                fz.injectOne(t);
                h.link.sent.clear();
                int c = r.nextInt(20);
                if (c == 0) {
                    h.advance(1 + r.nextInt(3000)); // RTO, persist, keepalive, delayed ACK
                } else if (c == 1 && r.nextInt(10) == 0) {
                    h.advance(r.nextInt(130_000)); // FIN_WAIT_2, TIME_WAIT, giving up
                } else if (c == 2) {
                    appAction(h, app, r);
                } else if (c == 3 || c == 4) {
                    legitPeer(h, t, r);
                }
                if ((i & 15) == 15) {
                    checkInvariants(h, app);
                }
                if (i % 250 == 249) {
                    // Connections die under fire; rebuild so that every state keeps being hit.
                    buildStates(h, app, targets);
                    h.link.sent.clear();
                }
            }
        } catch (Throwable e) {
            throw new AssertionError("seed " + seed + " segment " + i + ": " + e + "\n" + fz.last, e);
        }
        for (int d = 0; d < Drop.COUNT; d++) {
            DROPS[d] += h.stack.stats().drops(d);
        }
        teardown(h, app, l, "seed " + seed);
        return n;
    }

    /** Brings every state into being on fresh peer ports. */
    static void buildStates(Harness h, App app, List<Target> targets) {
        Target t;
        // ESTABLISHED with data in flight and out-of-order data queued
        t = open(h, app, targets);
        if (t != null) {
            TcpPcb p = h.tcp.table.findActive(Harness.US, t.lport, Harness.PEER, t.pport);
            h.tcp.write(p, new byte[3000], 0, 3000);
            h.tcp.output(p);
            refresh(h, t);
            peer(h, t, A, t.rcvNxt + 700, t.sndUna, new byte[300]);
        }
        // ESTABLISHED with a peer that announced a tiny MSS (1..60), writing
        t = open(h, app, targets, 1 + nextPort % 60);
        if (t != null) {
            TcpPcb p = h.tcp.table.findActive(Harness.US, t.lport, Harness.PEER, t.pport);
            h.tcp.write(p, new byte[200], 0, 200); // a few segments: descriptors stay for the others
            h.tcp.output(p);
        }
        // SYN_RCVD
        int pp = nextPort++;
        h.seg(S, 5000 * pp, 0).from(pp).mss(1460).send();
        targets.add(syncFromStack(h, new Target(Harness.PORT, pp)));
        // SYN_SENT
        TcpPcb c = h.tcp.newPcb();
        if (c != null) {
            App ca = new App();
            ca.attach(h.tcp, c);
            app.accepted.add(c);
            int pport = nextPort++;
            if (h.tcp.connect(c, Harness.PEER, pport, ca) == Err.OK) {
                targets.add(syncFromStack(h, new Target(c.localPort(), pport)));
            } else {
                h.tcp.close(c); // no route or no segment: the unconnected pcb goes back
            }
        }
        // FIN_WAIT_1
        t = open(h, app, targets);
        if (t != null) {
            h.tcp.close(pcbOf(h, t));
        }
        // FIN_WAIT_2
        t = open(h, app, targets);
        if (t != null) {
            h.tcp.close(pcbOf(h, t));
            refresh(h, t);
            peer(h, t, A, t.rcvNxt, t.sndNxt, new byte[0]);
        }
        // CLOSE_WAIT
        t = open(h, app, targets);
        if (t != null) {
            peer(h, t, A | F, t.rcvNxt, t.sndNxt, new byte[0]);
        }
        // LAST_ACK
        t = open(h, app, targets);
        if (t != null) {
            peer(h, t, A | F, t.rcvNxt, t.sndNxt, new byte[0]);
            h.tcp.close(pcbOf(h, t));
        }
        // CLOSING
        t = open(h, app, targets);
        if (t != null) {
            int una = t.sndNxt;
            h.tcp.close(pcbOf(h, t));
            refresh(h, t);
            peer(h, t, A | F, t.rcvNxt, una, new byte[0]);
        }
        // TIME_WAIT
        t = open(h, app, targets);
        if (t != null) {
            h.tcp.close(pcbOf(h, t));
            refresh(h, t);
            peer(h, t, A | F, t.rcvNxt, t.sndNxt, new byte[0]);
        }
        // a port nobody listens on
        targets.add(new Target(81, nextPort++));
        h.link.sent.clear();
    }

    /** Peer ports for new connections: about a hundred per seed, restarted for each. */
    static int nextPort = 10000;

    /**
     * What must hold between any two segments: list membership matches state, sequence variables are
     * ordered, queues are sorted and their counters right, listeners' pending counts match their children,
     * and every pcb taken from the pool is on a list or held (detached, CLOSED) by the application.
     */
    static void checkInvariants(Harness h, App app) {
        int listed = 0;
        int oooPbufs = 0;
        for (TcpPcb p = h.tcp.table.active; p != null; p = p.next) {
            for (TcpSeg s = p.ooseq; s != null; s = s.next) {
                oooPbufs += s.p == null ? 0 : s.p.chainLength();
            }
        }
        assertEquals(oooPbufs, h.tcp.ooo.pbufs, "out-of-order buffers counted");
        assertTrue(oooPbufs <= h.tcp.ooo.maxPbufs, "out-of-order buffers within the budget");
        for (TcpPcb p = h.tcp.table.active; p != null; p = p.next) {
            listed++;
            String id = TcpState.name(p.state) + " :" + p.localPort + "-" + p.remotePort + ": ";
            assertTrue(p.isAllocated() && p.where == TcpTable.IN_ACTIVE, id + "on the active list");
            assertTrue(p.state >= TcpState.SYN_SENT && p.state <= TcpState.LAST_ACK, id + "state on the active list");
            assertTrue(Seq.leq(p.sndUna, p.sndNxt) && Seq.leq(p.sndNxt, p.sndMax),
                    id + "SND.UNA <= SND.NXT <= SND.MAX");
            // RCV.WND may fall below 0 by less than one scale unit: a scaled window is announced rounded up
            // and the bytes up to the announced edge are accepted (RFC 7323 2.4)
            assertTrue(p.rcvWnd > -(1 << p.rcvScale) && p.rcvWnd <= h.opt.tcpWnd, id + "RCV.WND " + p.rcvWnd);
            if (p.rcvWnd == 0) {
                SEEN[0]++;
            }
            if (p.sndWnd == 0 && p.state != TcpState.SYN_SENT) {
                SEEN[1]++;
            }
            if (p.ooseqSegs > 1) {
                SEEN[2]++;
            }
            if (p.inRecovery) {
                SEEN[3]++;
            }
            assertTrue(p.sndBuffered >= 0 && p.sndBuffered <= h.opt.tcpSndBuf, id + "send buffer " + p.sndBuffered);
            assertTrue(p.mss >= 1 && p.mss <= h.opt.tcpMss, id + "MSS " + p.mss);
            if (p.state != TcpState.SYN_SENT && p.state != TcpState.SYN_RCVD) {
                // RTT estimation and congestion control stay in range whatever TSecr or ACKs arrived
                assertTrue(p.rto >= h.opt.tcpRtoMinMs && p.rto <= h.opt.tcpRtoMaxMs, id + "RTO " + p.rto);
                assertTrue(p.srtt8 >= -1 && p.rttvar4 >= 0, // -1: no sample yet
                        id + "SRTT " + p.srtt8 + " RTTVAR " + p.rttvar4);
                assertTrue(p.cwnd >= 1 && p.ssthresh >= 1, id + "cwnd " + p.cwnd + " ssthresh " + p.ssthresh);
                assertTrue(p.sndWnd >= 0 && p.maxSndWnd >= 0, id + "SND.WND " + p.sndWnd);
            }
            int segs = 0;
            int bytes = 0;
            for (TcpSeg s = p.ooseq; s != null; s = s.next) {
                segs++;
                bytes += s.len;
                assertTrue(Seq.gt(s.seq, p.rcvNxt), id + "out-of-order segment beyond RCV.NXT");
                if (s.next != null) {
                    assertTrue(Seq.leq(s.end(), s.next.seq), id + "out-of-order queue sorted, no overlap: "
                            + queue(p));
                }
            }
            assertEquals(p.ooseqSegs, segs, id + "ooseq segment count");
            assertEquals(p.ooseqBytes, bytes, id + "ooseq byte count");
            assertTrue(segs <= h.opt.tcpOooMaxSegs && bytes <= h.opt.tcpOooMaxBytes, id + "ooseq bounded");
            for (TcpSeg s = p.unacked; s != null; s = s.next) {
                if (s.next != null) {
                    assertTrue(Seq.leq(s.end(), s.next.seq), id + "unacked queue sorted");
                }
            }
            if (p.listener != null) {
                assertTrue(p.listener.isAllocated() && p.listener.state == TcpState.LISTEN, id + "listener alive");
            }
        }
        for (TcpPcb l = h.tcp.table.listeners; l != null; l = l.next) {
            int children = 0;
            for (TcpPcb p = h.tcp.table.active; p != null; p = p.next) {
                if (p.listener == l) {
                    children++;
                }
            }
            assertEquals(children, l.pending, "listener pending = its SYN_RCVD/unaccepted children");
            assertTrue(l.pending <= l.backlog, "backlog respected");
        }
        for (TcpPcb p = h.tcp.table.bound; p != null; p = p.next) {
            listed++;
        }
        int detached = 0;
        for (TcpPcb p : app.accepted) {
            if (p.isAllocated() && p.where == TcpTable.IN_NONE) {
                detached++;
            }
        }
        int tw = 0;
        for (int i = 0; i < h.tcp.table.tw.capacity(); i++) {
            if (h.tcp.table.tw.expiry[i] != 0) {
                tw++;
            }
        }
        assertEquals(tw, h.tcp.stats().timeWaitCount(), "TIME_WAIT count");
        int used = h.stack.stats().pool("TCP_PCB").used();
        assertTrue(used <= listed + detached,
                "pcbs used " + used + " but listed " + listed + " + detached " + detached);
        String dead = TcpLiveness.check(h.tcp);
        assertEquals(null, dead, "liveness");
    }

    /** The out-of-order queue relative to RCV.NXT: [start,end) and F for a FIN. */
    static String queue(TcpPcb p) {
        StringBuilder sb = new StringBuilder();
        for (TcpSeg s = p.ooseq; s != null; s = s.next) {
            sb.append('[').append(s.seq - p.rcvNxt).append(',').append(s.seq + s.len - p.rcvNxt).append(')');
            if ((s.flags & F) != 0) {
                sb.append('F');
            }
            sb.append(' ');
        }
        return sb.toString();
    }

    /** Mostly a live connection (dead targets are dropped from the list), sometimes any. */
    static Target pick(Harness h, List<Target> targets, Random r) {
        for (int k = 0; k < 8; k++) {
            int j = r.nextInt(targets.size());
            Target t = targets.get(j);
            int st = stateOf(h, t);
            if (st != TcpState.CLOSED && st != TcpState.LISTEN) {
                return t;
            }
            if (targets.size() > 40) {
                targets.remove(j);
            }
        }
        return targets.get(r.nextInt(targets.size()));
    }

    static int stateOf(Harness h, Target t) {
        TcpPcb p = pcbOf(h, t);
        if (p != null) {
            return p.state;
        }
        if (h.tcp.table.tw.find(Harness.US, t.lport, Harness.PEER, t.pport) >= 0) {
            return TcpState.TIME_WAIT;
        }
        return h.tcp.table.findListener(Harness.US, t.lport) != null ? TcpState.LISTEN : TcpState.CLOSED;
    }

    static TcpPcb pcbOf(Harness h, Target t) {
        return h.tcp.table.findActive(Harness.US, t.lport, Harness.PEER, t.pport);
    }

    /** A passive open from a fresh peer port; null if the stack refused (pools in use). */
    static Target open(Harness h, App app, List<Target> targets) {
        return open(h, app, targets, 1460);
    }

    /** As above, the peer announcing MSS {@code mss}. */
    static Target open(Harness h, App app, List<Target> targets, int mss) {
        int pport = nextPort++;
        int piss = pport * 7919;
        Target t = new Target(Harness.PORT, pport);
        boolean ts = h.opt.tcpTimestamps;
        h.link.sent.clear();
        h.seg(S, piss, 0).from(pport).wnd(65535).mss(mss).ws(7).tsIf(ts, t.peerTs, 0).send();
        TcpPcb p = pcbOf(h, t);
        if (p == null) {
            return null;
        }
        h.seg(A, piss + 1, p.sndNxt).from(pport).wnd(65535).tsIf(ts, ++t.peerTs, p.tsRecent).send();
        h.link.sent.clear();
        if (p.state != TcpState.ESTABLISHED) {
            return null;
        }
        targets.add(syncFromStack(h, t));
        return t;
    }

    static void peer(Harness h, Target t, int flags, int seq, int ack, byte[] data) {
        h.seg(flags, seq, ack).from(t.pport).to(t.lport).wnd(65535).data(data).tsIf(h.opt.tcpTimestamps, ++t.peerTs, 0).send();
        refresh(h, t);
    }

    static Target syncFromStack(Harness h, Target t) {
        refresh(h, t);
        return t;
    }

    /** Updates a target's sequence numbers from the pcb or TIME_WAIT entry, if it still exists. */
    static void refresh(Harness h, Target t) {
        TcpPcb p = pcbOf(h, t);
        if (p != null) {
            t.rcvNxt = p.rcvNxt;
            t.sndNxt = p.sndNxt;
            t.sndUna = p.sndUna;
            return;
        }
        int i = h.tcp.table.tw.find(Harness.US, t.lport, Harness.PEER, t.pport);
        if (i >= 0) {
            t.rcvNxt = h.tcp.table.tw.rcvNxt[i];
            t.sndNxt = h.tcp.table.tw.sndNxt[i];
            t.sndUna = t.sndNxt;
        }
    }

    static void assertAllStates(Harness h, int seed) {
        int[] states = {TcpState.LISTEN, TcpState.SYN_SENT, TcpState.SYN_RCVD, TcpState.ESTABLISHED,
                TcpState.FIN_WAIT_1, TcpState.FIN_WAIT_2, TcpState.CLOSE_WAIT, TcpState.CLOSING, TcpState.LAST_ACK,
                TcpState.TIME_WAIT};
        for (int s : states) {
            assertTrue(h.tcp.stats().count(s) > 0, "seed " + seed + ": no connection in " + TcpState.name(s));
        }
        boolean ooseq = false;
        boolean inFlight = false;
        for (TcpPcb p = h.tcp.table.active; p != null; p = p.next) {
            ooseq |= p.ooseqSegs > 0;
            inFlight |= p.state == TcpState.ESTABLISHED && p.sndNxt != p.sndUna;
        }
        assertTrue(ooseq && inFlight, "seed " + seed + ": out-of-order data queued and data in flight");
    }

    /**
     * What a well-behaved peer sends, so that the mutations meet connections in the middle of things: data
     * exactly in order (windows fill and, with a lazy application, close), three duplicate ACKs (fast
     * retransmit and recovery), an ACK of everything.
     */
    static void legitPeer(Harness h, Target t, Random r) {
        TcpPcb p = pcbOf(h, t);
        if (p == null || !TcpState.synchronised(p.state)) {
            return;
        }
        switch (r.nextInt(3)) {
            case 0:
                peer(h, t, A, p.rcvNxt, p.sndUna, new byte[1 + r.nextInt(1400)]);
                break;
            case 1:
                for (int k = 0; k < 3 + r.nextInt(3); k++) {
                    peer(h, t, A, p.rcvNxt, p.sndUna, new byte[0]);
                }
                break;
            default:
                peer(h, t, A, p.rcvNxt, p.sndNxt, new byte[0]);
                break;
        }
        h.link.sent.clear();
    }

    /** What an application might do between segments: write, consume, close, shut down, abort. */
    static void appAction(Harness h, App app, Random r) {
        int k = 0;
        for (TcpPcb p = h.tcp.table.active; p != null; p = p.next) {
            k++;
        }
        if (k == 0) {
            return;
        }
        int pick = r.nextInt(k);
        TcpPcb p = h.tcp.table.active;
        while (pick-- > 0) {
            p = p.next;
        }
        if (!p.appOwned && p.state != TcpState.SYN_SENT) {
            return; // still the listener's (SYN_RCVD), or released to the stack
        }
        if (p.appClosed) {
            return;
        }
        switch (r.nextInt(8)) {
            case 0:
            case 1:
            case 2:
                h.tcp.write(p, new byte[1 + r.nextInt(2000)], 0, 1 + r.nextInt(2000));
                h.tcp.output(p);
                break;
            case 3:
                h.tcp.setNoDelay(p, r.nextBoolean());
                break;
            case 4:
                h.tcp.close(p);
                break;
            case 5:
                h.tcp.shutdown(p, r.nextBoolean(), r.nextBoolean());
                break;
            case 6:
                h.tcp.setKeepAlive(p, r.nextBoolean());
                break;
            default:
                if (r.nextInt(4) == 0) {
                    h.tcp.abort(p);
                }
                break;
        }
    }

    /** Aborts and closes everything, runs the clock past every timeout, checks the stack is empty. */
    static void teardown(Harness h, App app, TcpPcb l, String id) {
        h.tcp.close(l);
        for (int guard = 0; h.tcp.table.active != null && guard < 1000; guard++) {
            h.tcp.abort(h.tcp.table.active);
        }
        for (TcpPcb p = h.tcp.table.bound; p != null; p = h.tcp.table.bound) {
            h.tcp.abort(p);
        }
        // A connection that ended while its application still held it (e.g. shutdown, then the peer's FIN
        // and TIME_WAIT) keeps its pcb, detached and CLOSED, until the application closes it.
        for (TcpPcb p : app.accepted) {
            if (p.isAllocated() && p.where == TcpTable.IN_NONE) {
                assertEquals(TcpState.CLOSED, p.state, id + ": a detached pcb is CLOSED");
                h.tcp.close(p);
            }
        }
        for (int k = 0; k < 20; k++) {
            h.advance(60_000); // past 2*MSL, FIN_WAIT_2, RTO giving up and keepalive
        }
        h.link.sent.clear();
        assertEquals(null, h.tcp.table.active, id + ": active connections left: " + h.tcp.netstat(new StringBuilder()));
        assertEquals(null, h.tcp.table.listeners, id + ": listeners left");
        assertEquals(0, h.tcp.stats().timeWaitCount(), id + ": TIME_WAIT left");
        for (int s = 0; s < TcpState.COUNT; s++) {
            assertEquals(0, h.tcp.stats().count(s), id + ": connections in " + TcpState.name(s));
        }
        assertTrue(h.stack.stats().allPoolsFull(), id + ": pools not full: " + h.stack.stats().poolsNotFull());
    }

    // ====================================================================== two stacks under fire

    static final int BULK = 96 * 1024;
    /** Transfers under fire in {@code make test}; {@code -Djwip.fuzz.fireSeeds=N} explores further. */
    static final int FIRE_SEEDS = Integer.getInteger("jwip.fuzz.fireSeeds", 8);

    @Test
    @Timeout(300) // a hang (an input or timer loop that never ends) fails instead of blocking the build
    void bulkTransferUnderBlindInjection() {
        long injected = 0;
        long refused = 0;
        int first = Integer.getInteger("jwip.fuzz.first", 1);
        for (int seed = first; seed < first + FIRE_SEEDS; seed++) {
            long[] r = underFire(seed, false);
            injected += r[0];
            refused += r[1];
        }
        System.out.println("TcpFuzzTest: two stacks, " + FIRE_SEEDS + " seeds, " + injected + " segments injected, "
                + refused + " refused as RFC 5961 says (challenge ACKs, bad ACKs, RSTs ignored, no ACK)");
        assertTrue(injected > 600L * FIRE_SEEDS, "injected " + injected);
    }

    /** An on-path attacker who sees RCV.NXT can reset: the connection fails with a counted RST, pools end full. */
    @Test
    @Timeout(300) // a hang (an input or timer loop that never ends) fails instead of blocking the build
    void exactRstDuringTransferResetsBothEnds() {
        for (int seed = 1; seed <= 4; seed++) { // with and without timestamps and window scaling
            underFire(seed, true);
        }
    }

    /**
     * A bulk transfer both ways between two stacks while a third party injects segments into both with the
     * right four-tuple. Returns {segments injected, refused by the RFC 5961 checks}.
     */
    static long[] underFire(long seed, boolean exactRst) {
        JwipOptions o = new JwipOptions();
        o.tcpTimestamps = (seed & 1) == 0;
        o.tcpWindowScaling = (seed & 2) == 0;
        SimNet n = new SimNet(o, seed, 256);
        n.faults(5, 0, 20, 1, 10);
        SimPeer client = new SimPeer(n.ta, 0, BULK);
        SimPeer server = new SimPeer(n.tb, 1, BULK);
        TcpPcb l = n.tb.newListener();
        n.tb.bind(l, 0, 80);
        n.tb.listen(l, 4);
        n.tb.accept(l, server);
        TcpPcb c = n.ta.newPcb();
        client.attach(c);
        assertEquals(Err.OK, n.ta.connect(c, SimNet.B_ADDR, 80, client));
        Random r = new Random(seed * 31 + 7);
        long injected = 0;
        boolean rstSent = false;
        String id = "seed " + seed + ": ";
        try {
            while (n.now < 3_600_000) {
                client.pump();
                server.pump();
                if ((client.closed || client.err != Err.OK) && (server.closed || server.err != Err.OK)
                        && n.ta.stats().timeWaitCount() == 0 && n.tb.stats().timeWaitCount() == 0 && n.wire.idle()
                        && n.ta.table.active == null && n.tb.table.active == null) {
                    break;
                }
                if (exactRst && !rstSent && server.received > BULK / 2 && server.pcb != null) {
                    // RFC 5961 3.2: a RST exactly at RCV.NXT resets, whoever sent it.
                    TcpPcb v = server.pcb;
                    inject(n.wire.b(), SimNet.A_ADDR, SimNet.B_ADDR, v.remotePort, v.localPort, R, v.rcvNxt, 0,
                            0, null, 0);
                    rstSent = true;
                }
                if (!exactRst) {
                    int k = r.nextInt(16);
                    for (int j = 0; j < k; j++) {
                        boolean toB = r.nextBoolean();
                        TcpPcb v = toB ? server.pcb : client.pcb;
                        if (v != null && v.isAllocated() && v.state >= TcpState.ESTABLISHED) {
                            injectHarmless(r, toB ? n.wire.b() : n.wire.a(), toB ? SimNet.A_ADDR : SimNet.B_ADDR,
                                    toB ? SimNet.B_ADDR : SimNet.A_ADDR, v);
                            injected++;
                        }
                    }
                }
                if (!n.step()) {
                    break;
                }
            }
        } catch (Throwable e) {
            throw new AssertionError(id + e, e);
        }
        n.tb.close(l);
        for (int k = 0; k < 10; k++) { // past 2*MSL and any half-open leftovers
            n.now += 60_000;
            n.sa.timers(n.now);
            n.sb.timers(n.now);
        }
        long refused = 0;
        for (Stack0 s : new Stack0[] {new Stack0(n.sa), new Stack0(n.sb)}) {
            refused += s.drops(Drop.TCP_RST_IGNORED) + s.drops(Drop.TCP_SYN_IGNORED) + s.drops(Drop.TCP_BAD_ACK)
                    + s.drops(Drop.TCP_NO_ACK);
        }
        if (exactRst) {
            assertTrue(rstSent, id + "RST injected");
            assertEquals(Err.RST, server.err, id + "server reset: " + Err.name(server.err));
            assertEquals(Err.RST, client.err, id + "client reset by the server's answer: " + Err.name(client.err));
            assertTrue(server.received < BULK, id + "cut short");
        } else {
            assertEquals(Err.OK, client.err, id + "client error " + Err.name(client.err));
            assertEquals(Err.OK, server.err, id + "server error " + Err.name(server.err));
            assertEquals(BULK, server.received, id + "server received");
            assertEquals(BULK, client.received, id + "client received");
            assertEquals(0, client.mismatches + server.mismatches, id + "byte-exact");
            assertTrue(client.closed && server.closed, id + "closed");
            assertTrue(refused > 0, id + "injections refused");
        }
        assertEquals(0, n.ta.stats().timeWaitCount() + n.tb.stats().timeWaitCount(), id + "TIME_WAIT expired");
        assertTrue(n.ta.table.active == null && n.tb.table.active == null, id + "all CLOSED");
        assertTrue(n.poolsFull(), id + "pools: " + n.sa.stats().poolsNotFull() + " / " + n.sb.stats().poolsNotFull());
        return new long[] {injected, refused};
    }

    /** Stats of a stack (keeps the loop above short). */
    static final class Stack0 {
        final io.jwip.stack.Stack s;

        Stack0(io.jwip.stack.Stack s) {
            this.s = s;
        }

        long drops(int reason) {
            return s.stats().drops(reason);
        }
    }

    /**
     * A forged segment that RFC 5961 says cannot hurt {@code v}: a RST not at RCV.NXT, a SYN, or a segment
     * whose ACK is outside SND.UNA - MAX.SND.WND .. SND.NXT (or has no ACK bit) - whatever its sequence
     * number (often exactly RCV.NXT), data, FIN and timestamps (TSval far ahead).
     */
    static void injectHarmless(Random r, InMemoryLink.End into, int src, int dst, TcpPcb v) {
        int rcvNxt = v.rcvNxt;
        int wnd = v.rcvWnd > 0 ? v.rcvWnd : 1;
        int seq;
        switch (r.nextInt(3)) {
            case 0:
                seq = rcvNxt;
                break;
            case 1:
                seq = rcvNxt + r.nextInt(wnd);
                break;
            default:
                seq = r.nextInt();
                break;
        }
        int badAck = r.nextBoolean() ? v.sndMax + 1 + r.nextInt(1 << 30)
                : v.sndUna - (v.maxSndWnd > 65535 ? v.maxSndWnd : 65535) - 1 - r.nextInt(1 << 30);
        int flags;
        int ack;
        switch (r.nextInt(4)) {
            case 0: // RST, never at RCV.NXT
                flags = R | (r.nextBoolean() ? A : 0);
                if (seq == rcvNxt) {
                    seq++;
                }
                ack = badAck;
                break;
            case 1: // SYN
                flags = S | (r.nextBoolean() ? A : 0);
                ack = r.nextBoolean() ? badAck : v.sndNxt;
                break;
            case 2: // ACK, data, FIN with an unacceptable ACK
                flags = A | (r.nextInt(4) == 0 ? F : 0) | (r.nextBoolean() ? TcpHeader0.PSH : 0);
                ack = badAck;
                break;
            default: // no ACK bit
                flags = r.nextInt(3) == 0 ? F : 0;
                ack = r.nextInt();
                break;
        }
        byte[] data = new byte[r.nextInt(3) == 0 ? 0 : 1 + r.nextInt(1000)];
        java.util.Arrays.fill(data, (byte) 0xEE);
        int tsVal = v.tsOk ? v.tsRecent + 1 + r.nextInt(1 << 30) : 0;
        int rcvNxt0 = v.rcvNxt;
        int sndUna0 = v.sndUna;
        int sndWnd0 = v.sndWnd;
        int tsRecent0 = v.tsRecent;
        int state0 = v.state;
        inject(into, src, dst, v.remotePort, v.localPort, flags, seq, ack, r.nextInt(65536), data,
                v.tsOk ? tsVal : 0);
        // Refused means refused: nothing of the connection moved.
        String what = TcpHeader0.class.getSimpleName() + " flags=0x" + Integer.toHexString(flags) + " seq-RCV.NXT="
                + (seq - rcvNxt0) + " ack=" + Integer.toUnsignedString(ack) + " len=" + data.length;
        assertEquals(state0, v.state, "state after " + what);
        assertEquals(rcvNxt0, v.rcvNxt, "RCV.NXT after " + what);
        assertEquals(sndUna0, v.sndUna, "SND.UNA after " + what);
        assertEquals(sndWnd0, v.sndWnd, "SND.WND after " + what);
        assertEquals(tsRecent0, v.tsRecent, "TS.Recent after " + what);
        if (r.nextInt(10) == 0) {
            // and sometimes a malformed one on top
            inject(into, src, dst, v.remotePort, v.localPort, flags | 0x100, seq, ack, 0, null, -1);
        }
    }

    /**
     * Hands a segment to the stack behind {@code into}'s link. {@code tsVal} != 0 adds a timestamps option;
     * -1 builds a segment with a bad checksum.
     */
    static void inject(InMemoryLink.End into, int src, int dst, int sport, int dport, int flags, int seq, int ack,
            int wnd, byte[] data, int tsVal) {
        int dlen = data == null ? 0 : data.length;
        int thl = tsVal != 0 && tsVal != -1 ? 32 : 20;
        int len = 20 + thl + dlen;
        byte[] b = new byte[len];
        b[0] = 0x45;
        b[8] = 64;
        b[9] = 6;
        Bytes.put16(b, 2, len);
        Bytes.put32(b, 12, src);
        Bytes.put32(b, 16, dst);
        Bytes.put16(b, 10, Checksum.of(b, 0, 20));
        Bytes.put16(b, 20, sport);
        Bytes.put16(b, 22, dport);
        Bytes.put32(b, 24, seq);
        Bytes.put32(b, 28, ack);
        b[32] = (byte) ((thl / 4) << 4 | ((flags >> 8) & 1));
        b[33] = (byte) flags;
        Bytes.put16(b, 34, wnd);
        if (thl == 32) {
            b[40] = 1;
            b[41] = 1;
            b[42] = 8;
            b[43] = 10;
            Bytes.put32(b, 44, tsVal);
            Bytes.put32(b, 48, 0);
        }
        if (dlen > 0) {
            System.arraycopy(data, 0, b, 20 + thl, dlen);
        }
        long sum = Checksum.addPseudoHeader(0, src, dst, 6, thl + dlen);
        int cs = Checksum.finish(Checksum.add(sum, b, 20, thl + dlen));
        Bytes.put16(b, 36, tsVal == -1 ? cs ^ 0x5a5a : cs);
        Pbuf p = into.upper().allocInput(len);
        if (p != null) {
            p.copyIn(0, b, 0, len);
            into.upper().input(p);
        }
    }

    // ====================================================================== the segment generator

    /** Builds mutated segments and checks that the structural drops are counted as what they are. */
    static final class Fuzzer {
        final Random r;
        final Harness h;
        String last = "";

        Fuzzer(Random r, Harness h) {
            this.r = r;
            this.h = h;
        }

        int near(int base, int spread) {
            return base + r.nextInt(2 * spread + 1) - spread;
        }

        int seqFor(int base) {
            switch (r.nextInt(8)) {
                case 0:
                    return base;
                case 1:
                case 2:
                    return near(base, 100);
                case 3:
                    return near(base, 70000);
                case 4:
                    return base + 0x80000000 + r.nextInt(3) - 1; // half the space away
                case 5:
                    return r.nextBoolean() ? 0xffffffff - r.nextInt(4) : r.nextInt(4); // wraparound edges
                default:
                    return r.nextInt();
            }
        }

        int flags() {
            switch (r.nextInt(6)) {
                case 0:
                    return r.nextInt(256) | (r.nextInt(8) == 0 ? 0x100 : 0); // anything, NS/reserved too
                case 1:
                    return A;
                case 2:
                    return A | TcpHeader0.PSH;
                case 3:
                    return (r.nextBoolean() ? A : 0) | (r.nextBoolean() ? F : 0) | (r.nextBoolean() ? S : 0);
                case 4:
                    return R | (r.nextBoolean() ? A : 0);
                default:
                    return A | F;
            }
        }

        /** Options: valid and malformed, padded (or not) to a multiple of 4, at most 40 bytes. */
        byte[] options() {
            byte[] o = new byte[64];
            int n = 0;
            int items = r.nextInt(6);
            for (int k = 0; k < items && n < 40; k++) {
                switch (r.nextInt(12)) {
                    case 0: { // MSS: anything, often tiny (0..63)
                        int mss = r.nextBoolean() ? r.nextInt(64) : r.nextInt(65536);
                        o[n++] = 2;
                        o[n++] = 4;
                        o[n++] = (byte) (mss >> 8);
                        o[n++] = (byte) mss;
                        break;
                    }
                    case 1: { // MSS, wrong length
                        int len = r.nextInt(8);
                        o[n++] = 2;
                        o[n++] = (byte) len;
                        for (int j = 2; j < len && n < 64; j++) {
                            o[n++] = (byte) r.nextInt(256);
                        }
                        break;
                    }
                    case 2: // window scale, any shift (> 14 included)
                        o[n++] = 3;
                        o[n++] = (byte) (r.nextBoolean() ? 3 : r.nextInt(6));
                        o[n++] = (byte) (r.nextBoolean() ? r.nextInt(16) : r.nextInt(256));
                        break;
                    case 3: { // timestamps, right or wrong length
                        int len = r.nextInt(3) == 0 ? r.nextInt(14) : 10;
                        o[n++] = 8;
                        o[n++] = (byte) len;
                        for (int j = 2; j < len && n < 64; j++) {
                            o[n++] = (byte) r.nextInt(256);
                        }
                        break;
                    }
                    case 4:
                    case 5:
                        o[n++] = 1; // NOP
                        break;
                    case 6:
                        o[n++] = 0; // EOL
                        break;
                    case 7: // option length 0 or 1
                        o[n++] = (byte) (2 + r.nextInt(250));
                        o[n++] = (byte) r.nextInt(2);
                        break;
                    case 8: // running past the header
                        o[n++] = (byte) r.nextInt(256);
                        o[n++] = (byte) (40 + r.nextInt(216));
                        break;
                    case 9: // SACK permitted / SACK
                        o[n++] = (byte) (4 + r.nextInt(2));
                        o[n++] = (byte) (2 + r.nextInt(12));
                        break;
                    case 10: // a kind on its own as the last byte
                        o[n++] = (byte) r.nextInt(256);
                        break;
                    default: { // garbage
                        int len = r.nextInt(8);
                        for (int j = 0; j < len && n < 64; j++) {
                            o[n++] = (byte) r.nextInt(256);
                        }
                        break;
                    }
                }
            }
            if (n > 40) {
                n = 40;
            }
            if (r.nextInt(4) != 0) {
                while ((n & 3) != 0) {
                    o[n++] = (byte) (r.nextBoolean() ? 1 : 0);
                }
            }
            byte[] res = new byte[n];
            System.arraycopy(o, 0, res, 0, n);
            return res;
        }

        void injectOne(Target t) {
            int src = Harness.PEER;
            int dst = Harness.US;
            int sport = t.pport;
            int dport = t.lport;
            int c = r.nextInt(100);
            if (c < 3) {
                sport = r.nextInt(65536);
            } else if (c < 6) {
                dport = r.nextInt(65536);
            } else if (c < 7) {
                src = Harness.US; // a "land" segment: from ourselves
                sport = dport;
            } else if (c < 8) {
                dst = Ip4Addr.of(10, 0, 0, 255); // subnet broadcast
            }
            int flags = flags();
            int seq = seqFor(t.rcvNxt);
            int ack = seqFor(r.nextBoolean() ? t.sndNxt : t.sndUna);
            int wnd = r.nextInt(4) == 0 ? 0 : r.nextInt(4) == 0 ? r.nextInt(16) : r.nextInt(65536);
            byte[] opt;
            if (r.nextInt(3) == 0 && h.opt.tcpTimestamps) {
                opt = new byte[12];
                opt[0] = 1;
                opt[1] = 1;
                opt[2] = 8;
                opt[3] = 10;
                int tsv = r.nextInt(4) == 0 ? r.nextInt() : t.peerTs + r.nextInt(5) - 1;
                t.peerTs = r.nextBoolean() ? tsv : t.peerTs;
                Bytes.put32(opt, 4, tsv);
                Bytes.put32(opt, 8, r.nextInt());
            } else {
                opt = r.nextInt(3) == 0 ? new byte[0] : options();
            }
            int dlen;
            switch (r.nextInt(5)) {
                case 0:
                case 1:
                    dlen = 0;
                    break;
                case 2:
                    dlen = 1 + r.nextInt(20);
                    break;
                case 3:
                    dlen = r.nextInt(1400);
                    break;
                default:
                    dlen = 1400 - opt.length; // beyond a small window
                    break;
            }
            int thl = 20 + opt.length;
            byte[] b = new byte[20 + thl + dlen];
            b[0] = 0x45;
            b[8] = 64;
            b[9] = 6;
            Bytes.put32(b, 12, src);
            Bytes.put32(b, 16, dst);
            Bytes.put16(b, 20, sport);
            Bytes.put16(b, 22, dport);
            Bytes.put32(b, 24, seq);
            Bytes.put32(b, 28, ack);
            int off = (thl + 3) / 4;
            boolean badOff = r.nextInt(20) == 0;
            if (badOff) {
                off = r.nextInt(16);
            }
            b[32] = (byte) ((off << 4) | ((flags >> 8) & 1) | (r.nextInt(10) == 0 ? r.nextInt(16) & 0x0e : 0));
            b[33] = (byte) flags;
            Bytes.put16(b, 34, wnd);
            Bytes.put16(b, 38, r.nextInt(10) == 0 ? r.nextInt(65536) : 0); // urgent pointer
            System.arraycopy(opt, 0, b, 40, opt.length);
            for (int j = 20 + thl; j < b.length; j++) {
                b[j] = (byte) j;
            }
            int len = b.length;
            boolean garbage = r.nextInt(50) == 0;
            if (garbage) {
                len = 20 + r.nextInt(b.length - 19 < 80 ? b.length - 19 : 80);
                for (int j = 20; j < len; j++) {
                    b[j] = (byte) r.nextInt(256);
                }
            } else if (r.nextInt(25) == 0) {
                len = 20 + r.nextInt(b.length - 19); // truncated, IP length follows
            }
            Bytes.put16(b, 2, len);
            Bytes.put16(b, 10, 0);
            Bytes.put16(b, 10, Checksum.of(b, 0, 20));
            int tcpLen = len - 20;
            boolean badSum = r.nextInt(12) == 0;
            if (tcpLen >= 18) {
                long sum = Checksum.addPseudoHeader(0, src, dst, 6, tcpLen);
                int cs = Checksum.finish(Checksum.add(sum, b, 20, tcpLen));
                Bytes.put16(b, 36, badSum ? cs ^ (1 + r.nextInt(0xfffe)) : cs);
            }
            // The structural drops are counted as exactly what they are.
            int expect = -1;
            boolean bcast = dst != Harness.US;
            int thlOnWire = tcpLen >= 13 ? ((b[32] >> 4) & 0x0f) * 4 : 0;
            if (tcpLen < 20) {
                expect = Drop.TCP_TRUNCATED;
            } else if (bcast) {
                expect = Drop.TCP_BROADCAST;
            } else if (thlOnWire < 20 || thlOnWire > tcpLen) {
                expect = Drop.TCP_BAD_OFFSET;
            } else if (badSum) {
                expect = Drop.TCP_BAD_CHECKSUM;
            }
            last = "src=" + Ip4Addr.toString(src) + " dst=" + Ip4Addr.toString(dst) + " "
                    + hex(b, len < 100 ? len : 100);
            long before = expect >= 0 ? h.stack.stats().drops(expect) : 0;
            long recvBefore = h.stack.stats().tcp.recv;
            Pbuf p = h.netif.allocInput(len);
            if (p == null) {
                NO_PBUF[0]++; // every buffer is held (send, out-of-order queues): the link would drop it
                return;
            }
            p.copyIn(0, b, 0, len);
            long martians = h.stack.stats().drops(Drop.IP_MARTIAN);
            h.netif.input(p);
            if (src == Harness.US) {
                // a "land" segment from our own address: a martian, stopped by IP (RFC 1122 3.2.1.3)
                assertEquals(martians + 1, h.stack.stats().drops(Drop.IP_MARTIAN), "land segment dropped by IP");
                assertEquals(recvBefore, h.stack.stats().tcp.recv, "land segment never reaches TCP");
                return;
            }
            assertEquals(recvBefore + 1, h.stack.stats().tcp.recv, "every segment reaches TCP");
            if (DEBUG && expect < 0 && (flags & (A | S | R)) == 0 && stateOf(h, t) == TcpState.ESTABLISHED) {
                System.out.println("noack seq-rcvNxt=" + (seq - t.rcvNxt) + " sport=" + sport + " dport=" + dport
                        + " src=" + Ip4Addr.toString(src) + " NO_ACK=" + h.stack.stats().drops(Drop.TCP_NO_ACK));
            }
            if (expect >= 0) {
                assertEquals(before + 1, h.stack.stats().drops(expect), "counted as " + Drop.name(expect));
            }
        }
    }

    static boolean DEBUG = false;

    static String hex(byte[] b, int len) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < len; i++) {
            sb.append(Character.forDigit((b[i] >> 4) & 15, 16)).append(Character.forDigit(b[i] & 15, 16));
        }
        return sb.toString();
    }
}
