package io.jwip.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwip.Err;
import io.jwip.JwipOptions;
import io.jwip.buf.Pbuf;
import io.jwip.buf.PbufPool;
import io.jwip.stats.Drop;
import io.jwip.testutil.TwoStacks;
import io.jwip.udp.UdpPcb;
import io.jwip.udp.UdpRecv;
import io.jwip.wire.Bytes;
import io.jwip.wire.DnsHeader;
import io.jwip.wire.Ip4Addr;
import io.jwip.wire.UdpHeader;
import org.junit.jupiter.api.Test;

/**
 * The stub resolver against a scripted DNS server on stack B, on the two-stack fixture's virtual clock:
 * answers, CNAME chains, the cache and its TTL, retries and timeouts, and every way an answer can be
 * refused (wrong ID, wrong port, wrong question, pointer loops, truncation).
 */
class DnsResolverTest {
    static final int DEVICE = Ip4Addr.of(192, 0, 2, 7);

    /** What the scripted server does with the next query. */
    enum Mode { RAW, FUZZ, ANSWER, CNAME_CHAIN, NXDOMAIN, TRUNCATED, SILENT, WRONG_ID, POINTER_LOOP, WRONG_QUESTION, FROM_OTHER_PORT }

    static final class Server implements UdpRecv {
        final TwoStacks t;
        final UdpPcb pcb;
        final UdpPcb other;
        final byte[] b = new byte[600];
        Mode mode = Mode.ANSWER;
        int ttl = 60;
        /** With Mode.FUZZ: a valid answer (CNAME chain) with random bytes changed. */
        java.util.Random fuzz = new java.util.Random(1);
        int queries;
        int lastSourcePort;
        /** Mode.RAW: what follows the header (the question kept or not) and the header's flags and counts. */
        byte[] raw = new byte[0];
        boolean keepQuestion;
        int rawFlags;
        int rawAncount;

        Server(TwoStacks t) {
            this.t = t;
            pcb = t.b.udp().newPcb();
            t.b.udp().bind(pcb, 0, DnsHeader.PORT);
            pcb.recv(this);
            other = t.b.udp().newPcb();
            t.b.udp().bind(other, 0, 5353);
        }

        @Override
        public void recv(UdpPcb p0, Pbuf p, int src, int sport) {
            int len = p.totalLength();
            p.copyOut(0, b, 0, len);
            PbufPool.free(p);
            queries++;
            lastSourcePort = sport;
            if (mode == Mode.SILENT) {
                return;
            }
            if (mode == Mode.RAW) {
                int at = keepQuestion ? len : DnsHeader.HEADER_LENGTH;
                int n = Math.min(b.length, at + raw.length);
                System.arraycopy(raw, 0, b, at, n - at);
                Bytes.put16(b, 2, rawFlags);
                Bytes.put16(b, 6, rawAncount);
                Pbuf out = t.b.allocTransport(UdpHeader.HEADER_LENGTH, n);
                out.copyIn(0, b, 0, n);
                t.b.udp().sendTo(pcb, out, src, sport);
                PbufPool.free(out);
                return;
            }
            int id = Bytes.u16(b, 0);
            int flags = DnsHeader.FLAG_QR | DnsHeader.FLAG_RD | 0x0080;
            int n = len; // the question stays as asked
            int an = 0;
            if (mode == Mode.WRONG_ID) {
                id ^= 1;
            }
            if (mode == Mode.NXDOMAIN) {
                flags |= DnsHeader.RCODE_NXDOMAIN;
            } else if (mode == Mode.TRUNCATED) {
                flags |= DnsHeader.FLAG_TC;
            } else if (mode == Mode.WRONG_QUESTION) {
                b[13] ^= 0x20 ^ 1; // change a letter of the question
            } else if (mode == Mode.POINTER_LOOP) {
                // One answer whose name is a pointer to itself.
                b[n] = (byte) 0xc0;
                b[n + 1] = (byte) n;
                n += 2;
                n = rr(n, DnsHeader.TYPE_A, DEVICE);
                an = 1;
            } else if (mode == Mode.CNAME_CHAIN || mode == Mode.FUZZ) {
                // device.test CNAME alias.test (pointer to the question), alias.test A DEVICE: A record first.
                n = aliasA(n);
                an++;
                b[n] = (byte) 0xc0;
                b[n + 1] = 12;
                n += 2;
                Bytes.put16(b, n, DnsHeader.TYPE_CNAME);
                Bytes.put16(b, n + 2, DnsHeader.CLASS_IN);
                Bytes.put32(b, n + 4, ttl);
                Bytes.put16(b, n + 8, 2);
                b[n + 10] = (byte) 0xc0;
                b[n + 11] = (byte) (len);
                n += 12;
                an++;
            } else {
                b[n] = (byte) 0xc0;
                b[n + 1] = 12;
                n += 2;
                n = rr(n, DnsHeader.TYPE_A, DEVICE);
                b[n] = (byte) 0xc0;
                b[n + 1] = 12;
                n += 2;
                n = rr(n, DnsHeader.TYPE_A, DEVICE + 1);
                an = 2;
            }
            Bytes.put16(b, 0, id);
            Bytes.put16(b, 2, flags);
            Bytes.put16(b, 6, an);
            if (mode == Mode.FUZZ) {
                n = fuzz(n);
            }
            Pbuf out = t.b.allocTransport(UdpHeader.HEADER_LENGTH, n);
            out.copyIn(0, b, 0, n);
            t.b.udp().sendTo(mode == Mode.FROM_OTHER_PORT ? other : pcb, out, src, sport);
            PbufPool.free(out);
        }

        /** Builds a CNAME chain answer into b (n bytes of question given), then changes random bytes. */
        int fuzz(int n) {
            int len = n;
            int flips = 1 + fuzz.nextInt(6);
            for (int i = 0; i < flips; i++) {
                int at = fuzz.nextInt(Math.max(1, len + 4));
                if (at >= 2 || fuzz.nextInt(8) == 0) { // mostly keep the ID, so the answer is parsed
                    b[Math.min(at, b.length - 1)] = (byte) fuzz.nextInt(256);
                }
            }
            return fuzz.nextInt(10) == 0 ? fuzz.nextInt(len + 1) : Math.min(b.length, len + fuzz.nextInt(3));
        }

        /** "alias.test" A DEVICE at n (the alias's name written in full). */
        int aliasA(int n) {
            byte[] alias = {5, 'a', 'l', 'i', 'a', 's', 4, 't', 'e', 's', 't', 0};
            System.arraycopy(alias, 0, b, n, alias.length);
            return rr(n + alias.length, DnsHeader.TYPE_A, DEVICE);
        }

        int rr(int n, int type, int addr) {
            Bytes.put16(b, n, type);
            Bytes.put16(b, n + 2, DnsHeader.CLASS_IN);
            Bytes.put32(b, n + 4, ttl);
            Bytes.put16(b, n + 8, 4);
            Bytes.put32(b, n + 10, addr);
            return n + 14;
        }
    }

    static final class Result implements DnsResolver.Callback {
        int calls;
        int result = -1;
        int count;
        int first;
        boolean cached;

        @Override
        public void resolved(CharSequence name, int r, DnsResolver.Answer a, Object arg) {
            calls++;
            result = r;
            count = a.count();
            first = a.count() > 0 ? a.address(0) : 0;
            cached = a.fromCache();
        }
    }

    final TwoStacks t = new TwoStacks(new JwipOptions(), 64, 1500);
    final Server server = new Server(t);
    final DnsResolver dns = new DnsResolver(t.a);
    long now;

    DnsResolverTest() {
        dns.setServers(new int[] {TwoStacks.B}, 1);
    }

    void run(long ms) {
        for (long end = now + ms; now < end; now += 10) {
            t.a.timers(now);
            t.b.timers(now);
            t.exchange();
        }
    }

    Result lookup(String name) {
        Result r = new Result();
        assertEquals(Err.OK, dns.resolve(name, r, null));
        run(50);
        return r;
    }

    @Test
    void answer_givesTheAddresses_fromARandomPortWithARandomId() {
        Result r = lookup("Device.Test");
        assertEquals(DnsResolver.OK, r.result);
        assertEquals(2, r.count);
        assertEquals(DEVICE, r.first);
        assertTrue(server.lastSourcePort >= 49152, "an ephemeral source port: " + server.lastSourcePort);
        int first = server.lastSourcePort;
        dns.flush();
        lookup("device.test");
        assertTrue(first != server.lastSourcePort, "a new port per query");
        assertEquals(0, dns.inFlight());
        assertTrue(t.a.stats().allPoolsFull(), t.a.stats().poolsNotFull());
    }

    @Test
    void cache_answersWithoutAQuery_untilTheTtlRunsOut() {
        server.ttl = 30;
        lookup("device.test");
        assertEquals(1, server.queries);
        Result again = lookup("DEVICE.test");
        assertTrue(again.cached);
        assertEquals(1, server.queries, "from the cache, case-insensitively");
        run(30_000);
        Result later = lookup("device.test");
        assertTrue(!later.cached);
        assertEquals(2, server.queries, "the TTL ran out");
    }

    @Test
    void cnameChain_isFollowedToTheAddress() {
        server.mode = Mode.CNAME_CHAIN;
        Result r = lookup("device.test");
        assertEquals(DnsResolver.OK, r.result);
        assertEquals(1, r.count);
        assertEquals(DEVICE, r.first);
    }

    @Test
    void nxdomain_andTruncated_areReportedAsSuch() {
        server.mode = Mode.NXDOMAIN;
        assertEquals(DnsResolver.NXDOMAIN, lookup("nothing.test").result);
        server.mode = Mode.TRUNCATED;
        assertEquals(DnsResolver.TRUNCATED, lookup("big.test").result);
    }

    @Test
    void silentServer_retriedThenTimeout() {
        server.mode = Mode.SILENT;
        Result r = new Result();
        dns.resolve("device.test", r, null);
        run(3990);
        assertEquals(-1, r.result);
        assertEquals(2, server.queries, "dnsTries 2, every dnsTimeoutMs");
        run(100);
        assertEquals(DnsResolver.TIMEOUT, r.result);
        assertTrue(t.a.stats().allPoolsFull(), t.a.stats().poolsNotFull());
    }

    @Test
    void answersThatAreNotOurs_areDropped_andTheQueryStillWaits() {
        for (Mode m : new Mode[] {Mode.WRONG_ID, Mode.WRONG_QUESTION, Mode.FROM_OTHER_PORT}) {
            server.mode = m;
            Result r = lookup("device.test");
            assertEquals(-1, r.result, m + " is not an answer");
            run(5000);
            assertEquals(DnsResolver.TIMEOUT, r.result);
        }
        assertEquals(6, t.a.stats().drops(Drop.DNS_NOT_OURS));
    }

    @Test
    void pointerLoop_isMalformed_notFollowed() {
        server.mode = Mode.POINTER_LOOP;
        Result r = lookup("device.test");
        assertEquals(DnsResolver.SERVER_FAILURE, r.result);
        assertEquals(1, t.a.stats().drops(Drop.DNS_MALFORMED));
    }

    @Test
    void badNames_noServers_andFullQueryTable_areErrorCodes() {
        Result r = new Result();
        assertEquals(Err.VAL, dns.resolve("a..b", r, null));
        StringBuilder longLabel = new StringBuilder();
        for (int i = 0; i < 64; i++) {
            longLabel.append('x');
        }
        assertEquals(Err.VAL, dns.resolve(longLabel + ".test", r, null));
        server.mode = Mode.SILENT;
        for (int i = 0; i < 4; i++) {
            assertEquals(Err.OK, dns.resolve("n" + i + ".test", r, null));
        }
        assertEquals(Err.MEM, dns.resolve("n5.test", r, null), "dnsQueries 4 in flight");
        DnsResolver none = new DnsResolver(t.b);
        assertEquals(Err.RTE, none.resolve("device.test", r, null));
    }
}
