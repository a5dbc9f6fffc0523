package io.jwip.tests;

import io.jwip.testutil.TwoStacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwip.Err;
import io.jwip.JwipOptions;
import io.jwip.buf.Pbuf;
import io.jwip.buf.PbufPool;
import io.jwip.icmp.EchoListener;
import io.jwip.netif.mem.Faults;
import io.jwip.netif.mem.InMemoryLink;
import io.jwip.netif.pcap.PcapClock;
import io.jwip.netif.pcap.PcapLink;
import io.jwip.netif.pcap.PcapWriter;
import io.jwip.udp.UdpPcb;
import io.jwip.udp.UdpRecv;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rule 2, proven: after warm-up, ICMP echo and UDP echo between two stacks over the in-memory wire
 * allocate exactly 0 bytes per packet, measured with the thread's allocation counter ({@link Alloc}) and
 * escape analysis off.
 */
class ZeroAllocationTest {
    static final int WARMUP = 20_000;
    static final int ITERATIONS = 10_000;
    /** Measured windows allowed, for HotSpot's one-off JIT allocations (see {@link Alloc}). */
    static final int ATTEMPTS = 5;

    @BeforeAll
    static void escapeAnalysisIsOff() {
        assertTrue(ManagementFactory.getRuntimeMXBean().getInputArguments().contains("-XX:-DoEscapeAnalysis"),
                "the allocation tests must run with -XX:-DoEscapeAnalysis (parent pom argLine)");
    }

    /** Counts echo replies; no capture of locals, so calling it allocates nothing. */
    static final class Replies implements EchoListener {
        long count;
        long bytes;

        @Override
        public void echoReply(int src, int identifier, int sequence, int dataLength, long now) {
            count++;
            bytes += dataLength;
        }
    }

    /** Counts UDP datagrams that come back, checks their length, frees them. */
    static final class Sink implements UdpRecv {
        final int expectLength;
        long count;
        long wrong;

        Sink(int expectLength) {
            this.expectLength = expectLength;
        }

        @Override
        public void recv(UdpPcb pcb, Pbuf p, int srcAddr, int srcPort) {
            if (p.totalLength() == expectLength && srcPort == 7) {
                count++;
            } else {
                wrong++;
            }
            PbufPool.free(p);
        }
    }

    /** A pinging A and an answering B; {@link #run()} is one echo exchange (2 packets). */
    static final class Pinger implements Runnable {
        final TwoStacks s;
        final Replies replies = new Replies();
        int seq;

        Pinger(TwoStacks s) {
            this.s = s;
            s.a.icmp().setEchoListener(replies);
        }

        @Override
        public void run() {
            seq = (seq + 1) & 0xffff;
            s.a.icmp().sendEcho(TwoStacks.B, 0x4a57, seq, 56);
            s.wire.pump();
        }
    }

    /** A sending one preallocated datagram to B's echo port; {@link #run()} is one exchange (2 packets). */
    static final class UdpPinger implements Runnable {
        final TwoStacks s;
        final UdpEcho echo;
        final UdpPcb pcb;
        final Sink sink;
        final Pbuf payload;

        UdpPinger(TwoStacks s, int length) {
            this.s = s;
            this.echo = new UdpEcho(s.b, 7);
            this.sink = new Sink(length);
            this.pcb = s.a.udp().newPcb();
            assertEquals(Err.OK, s.a.udp().bind(pcb, 0, 40_000));
            pcb.recv(sink);
            this.payload = s.a.allocTransport(8, length);
            for (int i = 0; i < length; i++) {
                payload.copyIn(i, new byte[] {(byte) i}, 0, 1);
            }
        }

        @Override
        public void run() {
            s.a.udp().sendTo(pcb, payload, TwoStacks.B, 7);
            s.wire.pumpUntilIdle(8);
        }

        void close() {
            PbufPool.free(payload);
            s.a.udp().remove(pcb);
            echo.close();
        }
    }

    /** Every op run by the measurement, warm-up included. */
    private static long ops(Alloc.Result r) {
        return r.warmupOps + (long) r.attempts * r.iterations;
    }

    private static void report(String what, Alloc.Result r, long packets) {
        System.out.printf("[alloc] %-40s %4d bytes over %6d exchanges / %6d packets = %.3f B/packet"
                + " (after %d warm-up exchanges; windows tried %s; overhead %d B)%n",
                what, r.totalBytes, r.iterations, packets, r.per(packets), r.warmupOps,
                java.util.Arrays.toString(r.windows), r.overheadBytes);
    }

    @Test
    void icmpEchoAllocatesZeroBytesPerPacket() {
        TwoStacks s = new TwoStacks(32, 1500);
        Pinger ping = new Pinger(s);
        Alloc.Result r = Alloc.measureSteady(WARMUP, ITERATIONS, ATTEMPTS, ping);
        report("ICMP echo (56 data bytes)", r, 2L * ITERATIONS);
        assertEquals(ops(r), ping.replies.count, "every request answered");
        assertEquals(0, r.totalBytes, "ICMP echo allocated: " + r);
        assertTrue(s.poolsFull(), s.poolsNotFull());
    }

    @Test
    void udpEchoAllocatesZeroBytesPerPacket() {
        TwoStacks s = new TwoStacks(32, 1500);
        UdpPinger ping = new UdpPinger(s, 64);
        Alloc.Result r = Alloc.measureSteady(WARMUP, ITERATIONS, ATTEMPTS, ping);
        report("UDP echo (64 payload bytes)", r, 2L * ITERATIONS);
        assertEquals(ops(r), ping.echo.echoed);
        assertEquals(ops(r), ping.sink.count);
        assertEquals(0, ping.sink.wrong);
        assertEquals(0, r.totalBytes, "UDP echo allocated: " + r);
        ping.close();
        assertTrue(s.poolsFull(), s.poolsNotFull());
    }

    @Test
    void fragmentedUdpEchoAllocatesZeroBytesPerPacket() {
        // 4000 bytes over a 576-byte MTU: 8 fragments each way, reassembled on both sides.
        TwoStacks s = new TwoStacks(32, 576);
        UdpPinger ping = new UdpPinger(s, 4000);
        Alloc.Result r = Alloc.measureSteady(WARMUP / 10, ITERATIONS / 10, ATTEMPTS, ping);
        long packets = s.wire.a().tx().delivered() + s.wire.b().tx().delivered();
        long measuredPackets = packets * r.iterations / ops(r);
        report("UDP echo 4000 B fragmented at MTU 576", r, measuredPackets);
        assertEquals(ops(r), ping.sink.count);
        assertEquals(0, r.totalBytes, "fragmented UDP echo allocated: " + r);
        ping.close();
        assertTrue(s.poolsFull(), s.poolsNotFull());
    }

    @Test
    void echoThroughPcapCaptureAllocatesZeroBytesPerPacket() throws IOException {
        Path dir = Files.createDirectories(Paths.get("target", "captures"));
        InMemoryLink wire = new InMemoryLink(32, 1500);
        PcapWriter w = PcapWriter.create(dir.resolve("alloc-echo.pcap"), PcapClock.ZERO);
        PcapLink cap = new PcapLink(wire.a(), w);
        TwoStacks s = new TwoStacks(wire, cap, wire.b(), 1500, new JwipOptions());
        w = cap.writer();
        Pinger ping = new Pinger(s);
        Alloc.Result r = Alloc.measureSteady(WARMUP, ITERATIONS, ATTEMPTS, ping);
        report("ICMP echo through PcapLink to a file", r, 2L * ITERATIONS);
        w.close();
        assertEquals(0, w.errors());
        assertEquals(2L * ops(r), w.packets());
        assertEquals(0, r.totalBytes, "captured ICMP echo allocated: " + r);
        assertTrue(s.poolsFull(), s.poolsNotFull());
    }

    @Test
    void echoOverAFaultyWireAllocatesZeroBytesPerPacket() {
        InMemoryLink wire = new InMemoryLink(64, 1500)
                .setFaults(new Faults().seed(2026).loss(0.05).duplicate(0.05).reorder(0.05).delayMs(2).jitterMs(3));
        TwoStacks s = new TwoStacks(wire, 1500);
        Replies replies = new Replies();
        s.a.icmp().setEchoListener(replies);
        Runnable op = new Runnable() {
            int seq;

            @Override
            public void run() {
                seq = (seq + 1) & 0xffff;
                s.a.icmp().sendEcho(TwoStacks.B, 1, seq, 56);
                s.runUntil(s.wire.now() + 10);
            }
        };
        Alloc.Result r = Alloc.measureSteady(WARMUP / 4, ITERATIONS, ATTEMPTS, op);
        long packets = wire.a().tx().delivered() + wire.b().tx().delivered();
        report("ICMP echo over a lossy, jittery wire", r, packets * r.iterations / ops(r));
        System.out.println("[alloc] faulty wire: " + wire);
        assertTrue(wire.a().tx().lost() > 0 && wire.a().tx().duplicated() > 0);
        assertEquals(0, r.totalBytes, "ICMP echo over faulty wire allocated: " + r);
        assertTrue(s.poolsFull(), s.poolsNotFull());
    }
}
