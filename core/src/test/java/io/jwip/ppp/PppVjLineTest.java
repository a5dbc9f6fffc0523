package io.jwip.ppp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwip.Err;
import io.jwip.buf.Pbuf;
import io.jwip.buf.PbufPool;
import io.jwip.stats.Drop;
import io.jwip.tcp.Tcp;
import io.jwip.tcp.TcpAccept;
import io.jwip.tcp.TcpPcb;
import io.jwip.tcp.TcpRecv;
import org.junit.jupiter.api.Test;

/**
 * Van Jacobson compression on a PPP link between two jwip stacks (in-memory line, virtual clock): IPCP
 * agrees on it when both ends offer it and not otherwise, TCP runs over it byte-exact, a lost frame is
 * survived (the decompressor tosses, TCP retransmits), and the bytes per TCP segment on the line are
 * measured with and without it, for bulk data and for one-byte interactive echoes.
 */
class PppVjLineTest {
    /** A TCP service on port 7: counts and checks what arrives (the pattern below), echoes it when asked. */
    static final class Service implements TcpAccept, TcpRecv {
        final Tcp tcp;
        final boolean echo;
        long received;
        boolean intact = true;
        boolean eof;
        final TcpPcb l;

        Service(Tcp tcp, boolean echo) {
            this.tcp = tcp;
            this.echo = echo;
            l = tcp.newListener();
            tcp.bind(l, 0, 7);
            tcp.listen(l, 4);
            tcp.accept(l, this);
        }

        @Override
        public int accept(TcpPcb listener, TcpPcb pcb) {
            tcp.recv(pcb, this);
            return Err.OK;
        }

        @Override
        public void recv(TcpPcb pcb, Pbuf p) {
            if (p == null) {
                eof = true;
                tcp.close(pcb);
                return;
            }
            int n = p.totalLength();
            byte[] b = new byte[n];
            p.copyOut(0, b, 0, n);
            PbufPool.free(p);
            for (int i = 0; i < n; i++) {
                intact &= b[i] == pattern(received + i);
            }
            received += n;
            tcp.recved(pcb, n);
            if (echo) {
                tcp.write(pcb, b, 0, n);
            }
        }
    }

    /** A client that counts what comes back. */
    static final class Client implements TcpRecv {
        long received;

        @Override
        public void recv(TcpPcb pcb, Pbuf p) {
            if (p != null) {
                received += p.totalLength();
                PbufPool.free(p);
            }
        }
    }

    static byte pattern(long i) {
        return (byte) (i * 31 + (i >>> 8));
    }

    /** What one run put on the line, client to server and back. */
    record Line(long up, long upFrames, long down, long downFrames, long compressed, long tossed) {
        double upPerFrame() { return (double) up / upFrames; }
        double downPerFrame() { return (double) down / downFrames; }
    }

    /** Sends {@code total} bytes from the client in writes of {@code chunk}; with {@code interactive} one write per echo. */
    Line transfer(PppPair t, int total, int chunk, boolean interactive) {
        Service service = new Service(t.server.tcp, interactive);
        Client c = new Client();
        TcpPcb pcb = t.client.tcp.newPcb();
        assertEquals(Err.OK, t.client.tcp.connect(pcb, PppPair.SERVER, 7, p -> { }));
        t.client.tcp.recv(pcb, c);
        t.run(500);
        long up0 = t.client.lineBytes, upF0 = t.client.lineFrames, down0 = t.server.lineBytes, downF0 = t.server.lineFrames;
        byte[] buf = new byte[chunk];
        long sent = 0;
        while (sent < total) {
            int n = (int) Math.min(Math.min(chunk, total - sent), t.client.tcp.sndBuf(pcb));
            if (n > 0 && (!interactive || c.received == sent)) {
                for (int i = 0; i < n; i++) {
                    buf[i] = pattern(sent + i);
                }
                if (t.client.tcp.write(pcb, buf, 0, n) == Err.OK) {
                    sent += n;
                }
            }
            t.run(interactive ? 10 : 20);
        }
        t.run(2000);
        Line l = new Line(t.client.lineBytes - up0, t.client.lineFrames - upF0, t.server.lineBytes - down0,
                t.server.lineFrames - downF0, t.server.ppp.vjDecompressor() == null ? 0
                : t.server.ppp.vjDecompressor().compressedPackets(), t.server.ppp.vjDecompressor() == null ? 0
                : t.server.ppp.vjDecompressor().tossed());
        assertEquals(total, service.received, "all data arrived");
        assertTrue(service.intact, "byte-exact");
        if (interactive) {
            assertEquals(total, c.received, "every byte echoed");
        }
        t.client.tcp.close(pcb);
        t.server.tcp.close(service.l);
        t.run(130_000); // FIN both ways and TIME_WAIT: the pools come back
        assertTrue(service.eof);
        assertTrue(t.client.stack.stats().allPoolsFull() && t.server.stack.stats().allPoolsFull(), "pools full");
        return l;
    }

    @Test
    void bothEndsOfferVj_ipcpAgreesOnItBothWays() {
        PppPair t = new PppPair(16);
        t.run(1000);
        assertEquals(16, t.client.ppp.ipcp().vjSendSlots());
        assertEquals(16, t.client.ppp.ipcp().vjReceiveSlots());
        assertTrue(t.client.ppp.vjCompressor().active() && t.server.ppp.vjDecompressor().active());
    }

    @Test
    void oneEndWithoutVj_rejectsTheOption_bothDirectionsPlainIp() {
        PppPair t = new PppPair(16, 0); // a server offering VJ, a client without it
        t.run(1000);
        assertTrue(t.client.ppp.isUp() && t.server.ppp.isUp());
        assertEquals(0, t.server.ppp.ipcp().vjReceiveSlots(), "the client rejected the server's VJ option");
        assertEquals(0, t.server.ppp.ipcp().vjSendSlots(), "the client did not ask for VJ");
        assertTrue(!t.server.ppp.vjCompressor().active());
        Line l = transfer(t, 20_000, 1000, false);
        assertEquals(0, l.compressed());
    }

    @Test
    void bulkData_overVj_byteExact_headersCompressed() {
        PppPair t = new PppPair(16);
        t.run(1000);
        Line l = transfer(t, 200_000, 4096, false);
        assertTrue(l.compressed() > 100, "segments went compressed: " + l.compressed());
        assertEquals(0, t.server.stack.stats().drops(Drop.PPP_VJ_ERROR));
    }

    @Test
    void aCorruptedFrame_isTossedByTheFcs_vjResyncs_tcpRetransmits_byteExact() {
        PppPair t = new PppPair(16);
        t.run(1000);
        t.corruptEvery = 37; // every 37th frame from the client is damaged on the line
        Line l = transfer(t, 100_000, 2048, false);
        assertTrue(t.server.stack.stats().drops(Drop.PPP_BAD_FCS) > 0);
        assertTrue(l.tossed() + l.compressed() > 0);
    }

    /**
     * The figure of issue 13: bytes on the line per TCP segment, with and without VJ compression, for
     * 1460-byte bulk segments (and their ACKs) and for one-byte interactive echoes.
     */
    @Test
    void bytesPerSegmentOnTheLine_withAndWithoutVj() {
        Line bulkVj = transfer(open(16), 300_000, 8192, false);
        Line bulkPlain = transfer(open(0), 300_000, 8192, false);
        Line keysVj = transfer(open(16), 200, 1, true);
        Line keysPlain = transfer(open(0), 200, 1, true);
        System.out.printf("[vj] bulk data, client to server: %.1f bytes per frame with VJ, %.1f without (%d / %d frames)%n",
                bulkVj.upPerFrame(), bulkPlain.upPerFrame(), bulkVj.upFrames(), bulkPlain.upFrames());
        System.out.printf("[vj] bulk data, ACKs back: %.1f bytes per frame with VJ, %.1f without%n",
                bulkVj.downPerFrame(), bulkPlain.downPerFrame());
        System.out.printf("[vj] one-byte echoes: %.1f bytes per frame with VJ, %.1f without (client), %.1f / %.1f (server)%n",
                keysVj.upPerFrame(), keysPlain.upPerFrame(), keysVj.downPerFrame(), keysPlain.downPerFrame());
        assertTrue(bulkVj.upPerFrame() < bulkPlain.upPerFrame() - 30, "bulk: about 36 header bytes saved a segment");
        assertTrue(bulkVj.downPerFrame() < 15, "an ACK: a few bytes");
        assertTrue(keysVj.upPerFrame() < 15 && keysPlain.upPerFrame() > 45, "a keystroke: ~10 bytes instead of ~47");
    }

    static PppPair open(int vj) {
        PppPair t = new PppPair(vj);
        t.run(1000);
        return t;
    }
}
