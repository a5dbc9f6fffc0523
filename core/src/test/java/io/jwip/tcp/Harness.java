package io.jwip.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jwip.JwipOptions;
import io.jwip.stack.Stack;
import io.jwip.buf.Pbuf;
import io.jwip.netif.Netif;
import io.jwip.wire.Bytes;
import io.jwip.wire.Checksum;
import io.jwip.wire.Ip4Addr;
import io.jwip.wire.TcpFlags;
import io.jwip.wire.TcpHeader;
import io.jwip.testutil.CaptureLink;

/**
 * Packet-level test harness: one stack with TCP on a netif whose link captures every packet sent, and a
 * scripted peer that injects hand-built segments. Tests state exactly which segment must come out.
 */
final class Harness {
    static final int US = Ip4Addr.of(10, 0, 0, 1);
    static final int PEER = Ip4Addr.of(10, 0, 0, 2);
    static final int PORT = 80;
    static final int PPORT = 4000;

    static final int S = TcpFlags.SYN;
    static final int A = TcpFlags.ACK;
    static final int F = TcpFlags.FIN;
    static final int R = TcpFlags.RST;
    static final int P = TcpFlags.PSH;

    /** A parsed segment the stack sent. */
    static final class Seg {
        int src, dst, sport, dport, flags, seq, ack, wnd, mss;
        /** Window scale option's shift, -1 if none. */
        int ws;
        /** Timestamps option present, its values; TCP header length. */
        boolean ts;
        int tsVal, tsEcr, hdrLen;
        byte[] data;

        boolean has(int f) {
            return (flags & f) == f;
        }

        @Override
        public String toString() {
            return TcpFlags.append(new StringBuilder(), flags) + " seq=" + Integer.toUnsignedString(seq)
                    + " ack=" + Integer.toUnsignedString(ack) + " wnd=" + wnd + " len=" + data.length;
        }
    }

    final JwipOptions opt;
    final Stack stack;
    final Tcp tcp;
    final CaptureLink link = new CaptureLink();
    final Netif netif;
    final StringBuilder trace = new StringBuilder();
    long now = 1000;

    Harness() {
        this(new JwipOptions());
    }

    /**
     * A harness whose stack acknowledges every data segment at once ({@code tcpAckDelayMs = 0}): the
     * scripts written before delayed ACKs expect an ACK for each segment. Tests of delayed ACKs use
     * {@link #Harness(JwipOptions, boolean)}.
     */
    Harness(JwipOptions o) {
        this(o, true);
    }

    /** @param immediateAcks sets {@code tcpAckDelayMs = 0} (else the options are used as given) */
    Harness(JwipOptions o, boolean immediateAcks) {
        if (immediateAcks) {
            o.tcpAckDelayMs = 0;
        }
        this.opt = o;
        stack = new Stack(o);
        tcp = Tcp.install(stack);
        tcp.setIsnSecret(0x0123456789abcdefL, 0x0fedcba987654321L);
        tcp.setTrace(new TcpTracePrinter(trace));
        netif = new Netif("tap0", 1500, link);
        netif.configure(US, Ip4Addr.maskOf(24), 0);
        stack.addNetif(netif);
        stack.timers(now);
    }

    /** Advances the virtual clock by {@code ms} and runs the timers. */
    void advance(long ms) {
        now += ms;
        stack.timers(now);
    }

    /**
     * A segment from the peer, to be shaped and sent: {@code h.seg(A, seq, ack).wnd(0).data(d).send()}. By
     * default from PEER:PPORT to US:PORT, window 8760, no data, no options.
     */
    Segment seg(int flags, int seq, int ack) {
        return new Segment(flags, seq, ack);
    }

    /** Injects a segment from the peer (PEER:PPORT to US:PORT). */
    void inject(int flags, int seq, int ack, int wnd, byte[] data) {
        seg(flags, seq, ack).wnd(wnd).data(data).send();
    }

    /** A bare segment from peer port {@code pport}. */
    void injectP(int pport, int flags, int seq, int ack) {
        seg(flags, seq, ack).from(pport).send();
    }

    void inject(int flags, int seq, int ack) {
        seg(flags, seq, ack).send();
    }

    /** A segment under construction (see {@link #seg}); {@link #send} injects it. */
    final class Segment {
        private final int flags;
        private final int seq;
        private final int ack;
        private int sport = PPORT;
        private int dport = PORT;
        private int wnd = 8760;
        private byte[] data = new byte[0];
        private int mss = -1;
        private int ws = -1;
        private boolean ts;
        private int tsVal;
        private int tsEcr;

        Segment(int flags, int seq, int ack) {
            this.flags = flags;
            this.seq = seq;
            this.ack = ack;
        }

        Segment from(int port) { sport = port; return this; }
        Segment to(int port) { dport = port; return this; }
        Segment wnd(int w) { wnd = w; return this; }
        Segment data(byte[] d) { data = d; return this; }
        /** An MSS option of {@code m} (-1: none). */
        Segment mss(int m) { mss = m; return this; }
        /** A window scale option of shift {@code s} after the MSS option (-1: none). */
        Segment ws(int s) { ws = s; return this; }
        /** A timestamps option (NOP, NOP, TS) after the others. */
        Segment ts(int val, int ecr) { return tsIf(true, val, ecr); }
        /** As {@link #ts} when {@code on}. */
        Segment tsIf(boolean on, int val, int ecr) { ts = on; tsVal = val; tsEcr = ecr; return this; }

        void send() {
            int thl = mss >= 0 ? (ws >= 0 ? 28 : 24) : 20;
            int tsAt = thl;
            if (ts) {
                thl += 12;
            }
            int tot = 20 + thl + data.length;
            byte[] b = new byte[tot];
            b[0] = 0x45;
            Bytes.put16(b, 2, tot);
            b[8] = 64;
            b[9] = 6;
            Bytes.put32(b, 12, PEER);
            Bytes.put32(b, 16, US);
            Bytes.put16(b, 10, Checksum.of(b, 0, 20));
            TcpHeader h = new TcpHeader().wrap(b, 20);
            h.sourcePort(sport).destinationPort(dport).seq(seq).ack(ack).headerLength(thl).flags(flags).window(wnd);
            if (mss >= 0) {
                h.mssOption(mss);
                if (ws >= 0) {
                    h.wsOption(24, ws);
                }
            }
            if (ts) {
                h.tsOption(tsAt, tsVal, tsEcr);
            }
            System.arraycopy(data, 0, b, 20 + thl, data.length);
            long sum = Checksum.addPseudoHeader(0, PEER, US, 6, thl + data.length);
            h.checksum(Checksum.finish(Checksum.add(sum, b, 20, thl + data.length)));
            Pbuf p = netif.allocInput(tot);
            assertNotNull(p, "no pbuf to inject");
            p.copyIn(0, b, 0, tot);
            netif.input(p);
        }
    }

    /** Parses a packet the stack sent and checks its checksums. */
    static Seg parse(byte[] b) {
        assertEquals(0x45, b[0] & 0xff);
        assertEquals(0, Checksum.of(b, 0, 20), "IP checksum");
        assertEquals(6, b[9]);
        Seg s = new Seg();
        s.src = Bytes.i32(b, 12);
        s.dst = Bytes.i32(b, 16);
        int tlen = b.length - 20;
        long sum = Checksum.addPseudoHeader(0, s.src, s.dst, 6, tlen);
        assertEquals(0, Checksum.finish(Checksum.add(sum, b, 20, tlen)), "TCP checksum");
        TcpHeader h = new TcpHeader().wrap(b, 20);
        s.sport = h.sourcePort();
        s.dport = h.destinationPort();
        s.flags = h.flags();
        s.seq = h.seq();
        s.ack = h.ack();
        s.wnd = h.window();
        s.mss = h.headerLength() > 20 ? h.mssOption() : -1;
        s.ws = h.headerLength() > 20 ? h.wsOption() : -1;
        s.hdrLen = h.headerLength();
        int tsAt = h.headerLength() > 20 ? h.tsOffset() : -1;
        if (tsAt >= 0) {
            s.ts = true;
            s.tsVal = Bytes.i32(b, tsAt);
            s.tsEcr = Bytes.i32(b, tsAt + 4);
        }
        s.data = java.util.Arrays.copyOfRange(b, 20 + h.headerLength(), b.length);
        return s;
    }

    /** The next segment the stack sent, or fails. */
    Seg next() {
        byte[] b = link.sent.poll();
        if (b == null) {
            fail("expected a segment, none was sent");
        }
        return parse(b);
    }

    /** Exactly one segment was sent: returns it. */
    Seg one() {
        Seg s = next();
        if (!link.sent.isEmpty()) {
            fail("expected one segment, more were sent: " + s + " then " + parse(link.sent.peek()));
        }
        return s;
    }

    /** Asserts the next segment has exactly these flags, seq and ack. */
    Seg expect(int flags, int seq, int ack) {
        Seg s = one();
        assertEquals(flagStr(flags), flagStr(s.flags & ~P), "flags of " + s);
        assertEquals(Integer.toUnsignedString(seq), Integer.toUnsignedString(s.seq), "seq of " + s);
        if ((flags & A) != 0 || (flags & R) != 0) {
            assertEquals(Integer.toUnsignedString(ack), Integer.toUnsignedString(s.ack), "ack of " + s);
        }
        return s;
    }

    /** As {@link #expect} without checking seq (our ISN is a keyed hash). */
    Seg expectAnySeq(int flags, int ack) {
        Seg s = one();
        assertEquals(flagStr(flags), flagStr(s.flags & ~P), "flags of " + s);
        assertEquals(Integer.toUnsignedString(ack), Integer.toUnsignedString(s.ack), "ack of " + s);
        return s;
    }

    void none() {
        if (!link.sent.isEmpty()) {
            fail("expected no segment, got " + parse(link.sent.peek()));
        }
    }

    static String flagStr(int f) {
        return TcpFlags.append(new StringBuilder(), f).toString();
    }

    void assertPoolsFull() {
        assertTrue(stack.stats().allPoolsFull(), "pools not full: " + stack.stats().poolsNotFull());
    }

    // ---------------------------------------------------------------- scripted openings

    /** A listener on PORT with the test app. */
    TcpPcb listen(App app, int backlog) {
        TcpPcb l = tcp.newListener();
        assertNotNull(l);
        app.tcp = tcp;
        assertEquals(0, tcp.bind(l, 0, PORT));
        assertEquals(0, tcp.listen(l, backlog));
        tcp.accept(l, app);
        return l;
    }

    /** Completes a passive open from PEER with initial sequence {@code piss}; returns our ISS. */
    int passiveOpen(App app, int piss) {
        return passiveOpen(app, PPORT, piss);
    }

    /** As {@link #passiveOpen(App, int)} from peer port {@code pport}. */
    int passiveOpen(App app, int pport, int piss) {
        seg(S, piss, 0).from(pport).mss(1460).send();
        Seg sa = expectAnySeq(S | A, piss + 1);
        seg(A, piss + 1, sa.seq + 1).from(pport).send();
        none();
        assertNotNull(app.pcb, "accepted");
        assertEquals(TcpState.ESTABLISHED, app.pcb.state());
        return sa.seq;
    }

    /** Completes an active open to PEER:PORT-> from our pcb; the peer uses {@code piss}. Returns our ISS. */
    int activeOpen(App app, int piss) {
        TcpPcb c = tcp.newPcb();
        app.attach(tcp, c);
        assertEquals(0, tcp.connect(c, PEER, PPORT, app));
        Seg syn = one();
        assertEquals("S", flagStr(syn.flags));
        assertEquals(1460, syn.mss);
        app.pcb = c;
        seg(S | A, piss, syn.seq + 1).to(c.localPort()).mss(1460).send();
        expectFromActive(A, syn.seq + 1, piss + 1);
        assertEquals(TcpState.ESTABLISHED, c.state());
        assertTrue(app.connected);
        return syn.seq;
    }

    void expectFromActive(int flags, int seq, int ack) {
        expect(flags, seq, ack);
    }
}
