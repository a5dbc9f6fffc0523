package io.jwip.ppp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwip.testutil.AllocMeter;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * PPP's packet path allocates nothing once the link is up (an echo both ways: framing, FCS, demux, IPv4;
 * TCP data both ways through VJ compression and decompression), and seeded fuzzing of what comes off the line (valid frames with bytes changed, random bytes, LCP and
 * IPCP packets with random codes, lengths and options) never throws and leaves every pool full.
 */
class PppAllocFuzzTest {
    @Test
    void echoOverAnOpenLink_allocatesZeroBytesPerFrame() {
        PppPair t = new PppPair();
        t.run(1000);
        t.client.flat = true; // a pipe that copies into one array: nothing allocated on the wire either
        t.server.flat = true;
        Runnable op = new Runnable() {
            int seq;

            @Override
            public void run() {
                t.client.stack.icmp().sendEcho(PppPair.SERVER, 1, seq++, 56);
                t.pump();
            }
        };
        for (int i = 0; i < 2000; i++) {
            op.run();
        }
        long total = AllocMeter.cleanestWindow(op, 20_000, 2_000, 5);
        System.out.println("[alloc] PPP echo over an open link: " + total + " bytes in 2,000 echoes");
        assertEquals(0, total);
        assertTrue(t.client.replies > 20_000);
    }

    /** A TCP echo over a VJ link: the server echoes from one array; the client's data and ACKs, compressed. */
    static final class ZeroAllocEcho implements io.jwip.tcp.TcpAccept, io.jwip.tcp.TcpRecv {
        final io.jwip.tcp.Tcp tcp;
        final byte[] buf = new byte[4096];
        long received;

        ZeroAllocEcho(io.jwip.tcp.Tcp tcp) {
            this.tcp = tcp;
        }

        @Override
        public int accept(io.jwip.tcp.TcpPcb listener, io.jwip.tcp.TcpPcb pcb) {
            tcp.recv(pcb, this);
            return io.jwip.Err.OK;
        }

        @Override
        public void recv(io.jwip.tcp.TcpPcb pcb, io.jwip.buf.Pbuf p) {
            if (p == null) {
                tcp.close(pcb);
                return;
            }
            int n = p.copyOut(0, buf, 0, Math.min(p.totalLength(), buf.length));
            io.jwip.buf.PbufPool.free(p);
            received += n;
            tcp.recved(pcb, n);
            tcp.write(pcb, buf, 0, n);
        }
    }

    @Test
    void tcpBothWaysOverVj_allocatesZeroBytesPerFrame() {
        PppPair t = new PppPair(16);
        t.run(1000);
        ZeroAllocEcho echo = new ZeroAllocEcho(t.server.tcp);
        io.jwip.tcp.TcpPcb l = t.server.tcp.newListener();
        t.server.tcp.bind(l, 0, 7);
        t.server.tcp.listen(l, 4);
        t.server.tcp.accept(l, echo);
        long[] back = new long[1];
        io.jwip.tcp.TcpPcb c = t.client.tcp.newPcb();
        t.client.tcp.connect(c, PppPair.SERVER, 7, p -> { });
        t.client.tcp.recv(c, (pcb, p) -> {
            if (p != null) {
                back[0] += p.totalLength();
                t.client.tcp.recved(pcb, p.totalLength());
                io.jwip.buf.PbufPool.free(p);
            }
        });
        t.run(500);
        t.client.flat = true;
        t.server.flat = true;
        byte[] data = new byte[200];
        Runnable op = new Runnable() {
            long now = t.now;

            @Override
            public void run() {
                t.client.tcp.write(c, data, 0, data.length);
                t.pump();
                now += 5;
                t.server.stack.timers(now);
                t.client.stack.timers(now);
                t.pump();
            }
        };
        for (int i = 0; i < 3000; i++) {
            op.run();
        }
        long compressedBefore = t.server.ppp.vjDecompressor().compressedPackets();
        long total = AllocMeter.cleanestWindow(op, 20_000, 2_000, 5);
        System.out.println("[alloc] TCP both ways over VJ-compressed PPP: " + total + " bytes in 2,000 writes");
        assertEquals(0, total);
        assertTrue(t.server.ppp.vjDecompressor().compressedPackets() - compressedBefore > 10_000, "compressed all along");
        assertTrue(t.client.ppp.vjDecompressor().compressedPackets() > 10_000, "the echo came back compressed");
        assertTrue(back[0] > 1_000_000);
    }

    /** Valid VJ packets from a real compressor with bytes changed, cut or made up: no exception, pools full. */
    @Test
    void fuzzedVjPackets_neverThrow_poolsFull() {
        for (long seed = 1; seed <= 4; seed++) {
            Random r = new Random(seed);
            PppPair t = new PppPair(16);
            t.run(1000);
            VjCompressor vj = new VjCompressor(16);
            vj.start(16, r.nextBoolean());
            HdlcFraming enc = new HdlcFraming(1500);
            byte[] out = new byte[HdlcFraming.maxEncodedLength(1500)];
            int seq = r.nextInt(), ack = r.nextInt();
            for (int i = 0; i < 5000; i++) {
                int data = r.nextInt(3) == 0 ? 0 : r.nextInt(300);
                byte[] p = VjTest.packet(i, 1000 + r.nextInt(4), 7, seq, ack, 0x10 | (r.nextBoolean() ? 0x08 : 0), 8000, data);
                io.jwip.wire.Bytes.put32(p, 12, PppPair.CLIENT);
                io.jwip.wire.Bytes.put32(p, 16, PppPair.SERVER);
                seq += data;
                ack += r.nextInt(100);
                int type = vj.compress(p, 0, p.length);
                byte[] info;
                int protocol;
                if (type == VjCompressor.TYPE_COMPRESSED) {
                    info = new byte[vj.headerLength() + p.length - vj.consumed()];
                    System.arraycopy(vj.header(), 0, info, 0, vj.headerLength());
                    System.arraycopy(p, vj.consumed(), info, vj.headerLength(), p.length - vj.consumed());
                    protocol = PppProtocol.VJ_COMPRESSED;
                } else {
                    info = p;
                    protocol = type == VjCompressor.TYPE_UNCOMPRESSED ? PppProtocol.VJ_UNCOMPRESSED : PppProtocol.IPV4;
                }
                switch (r.nextInt(4)) {
                    case 0:
                        info[r.nextInt(info.length)] ^= (byte) (1 + r.nextInt(255));
                        break;
                    case 1:
                        info = java.util.Arrays.copyOf(info, r.nextInt(info.length + 1));
                        break;
                    case 2:
                        r.nextBytes(info);
                        break;
                    default:
                        break;
                }
                if (r.nextInt(10) == 0) {
                    protocol = r.nextBoolean() ? PppProtocol.VJ_COMPRESSED : PppProtocol.VJ_UNCOMPRESSED;
                }
                int n = enc.encode(protocol, info, 0, info.length, out, 0);
                t.server.ppp.received(out, 0, n);
                if (i % 100 == 0) {
                    t.run(50);
                }
            }
            t.run(130_000);
            assertTrue(t.server.ppp.vjDecompressor().errors() > 0, "damaged packets were counted");
            assertTrue(t.client.stack.stats().allPoolsFull() && t.server.stack.stats().allPoolsFull(),
                    t.server.stack.stats().poolsNotFull());
        }
    }

    @Test
    void fuzzedLineInput_neverThrows_poolsFull() {
        for (long seed = 1; seed <= 4; seed++) {
            Random r = new Random(seed);
            PppPair t = new PppPair();
            t.run(1000);
            HdlcFraming enc = new HdlcFraming(1500);
            byte[] out = new byte[HdlcFraming.maxEncodedLength(1500)];
            int[] protocols = {PppProtocol.LCP, PppProtocol.IPCP, PppProtocol.IPV4, PppProtocol.PAP, PppProtocol.CHAP, 0x80fd, 0x0057,
                PppProtocol.VJ_COMPRESSED, PppProtocol.VJ_UNCOMPRESSED};
            for (int i = 0; i < 5000; i++) {
                byte[] info = new byte[r.nextInt(80)];
                r.nextBytes(info);
                if (info.length >= 4 && r.nextBoolean()) {
                    info[0] = (byte) (1 + r.nextInt(12)); // a known code
                    info[2] = 0;
                    info[3] = (byte) (r.nextBoolean() ? info.length : r.nextInt(256));
                }
                int n = enc.encode(protocols[r.nextInt(protocols.length)], info, 0, info.length, out, 0);
                for (int k = r.nextInt(3); k > 0; k--) {
                    out[r.nextInt(n)] ^= (byte) (1 + r.nextInt(255));
                }
                (r.nextBoolean() ? t.server : t.client).ppp.received(out, 0, n);
                if (i % 50 == 0) {
                    t.run(100);
                }
            }
            t.run(30_000);
            assertTrue(t.client.stack.stats().allPoolsFull() && t.server.stack.stats().allPoolsFull());
            assertEquals(true, t.client.ppp.framing().badFcs() > 0, "corrupted frames were counted");
        }
    }
}
