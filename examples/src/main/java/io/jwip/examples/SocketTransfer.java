package io.jwip.examples;

import io.jwip.JwipOptions;
import io.jwip.netif.Netif;
import io.jwip.netif.mem.InMemoryLink;
import io.jwip.port.Clock;
import io.jwip.port.Idler;
import io.jwip.port.socket.JwipServerSocket;
import io.jwip.port.socket.JwipSocket;
import io.jwip.port.threaded.Call;
import io.jwip.port.threaded.StackThread;
import io.jwip.stack.Stack;
import io.jwip.tcp.Tcp;
import io.jwip.wire.Ip4Addr;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * {@code transfer --api socket}: the same bulk transfer as {@link BulkTransfer}, between the same two stacks
 * on the same in-memory wire, but through the blocking sockets of the threaded port, as a Java SE
 * application would write it: one {@link StackThread} owns both stacks and pumps the wire; a sender thread
 * (the caller) writes into a {@link JwipSocket} on stack A, a receiver thread reads from the socket that a
 * {@link JwipServerSocket} on stack B accepted, and checks every byte. Real time (the threads wait on each
 * other), so it measures the API's cost: a call per write and per read, and the hand-over between threads.
 */
final class SocketTransfer {
    private static final int CHUNK = 65536;

    private final JwipOptions o;
    private final io.jwip.netif.mem.Faults faults;
    private boolean checksums = true;

    /** @param faults loss and duplication on the wire (delays need the virtual clock of the raw transfer), or null */
    SocketTransfer(JwipOptions o, io.jwip.netif.mem.Faults faults) {
        this.o = o;
        this.faults = faults;
    }

    /** As {@link BulkTransfer#checksums}. */
    SocketTransfer checksums(boolean compute) {
        checksums = compute;
        return this;
    }

    BulkTransfer.Result run(long bytes, long warmupBytes, BulkTransfer.Progress progress) throws Exception {
        io.jwip.port.WideChecksum.install();
        int mtu = Math.max(576, Math.min(65535, o.tcpMss + 40));
        if (o.pbufSize < mtu + o.linkHeadroom + 64) {
            o.pbufSize = Math.max(o.pbufSize, Math.min(65535, mtu + 64));
        }
        Stack a = new Stack(o);
        Stack b = new Stack(o);
        Tcp ta = Tcp.install(a);
        Tcp tb = Tcp.install(b);
        InMemoryLink wire = new InMemoryLink(Math.max(64, o.pbufs), mtu);
        if (faults != null && !faults.isNone()) {
            wire.setFaults(faults);
        } else {
            // One copy per frame, straight into the receiver's buffer. Not with faults: delayed frames would
            // hold the receiver's buffers, which its own ACKs need.
            wire.setDirect(true);
        }
        Netif na = new Netif("mem0", mtu, wire.a()).configure(Ip4Addr.of(10, 0, 0, 1), Ip4Addr.maskOf(24), 0);
        Netif nb = new Netif("mem0", mtu, wire.b()).configure(Ip4Addr.of(10, 0, 0, 2), Ip4Addr.maskOf(24), 0);
        if (!checksums) {
            na.setChecksumOffload(Netif.CSUM_ALL, Netif.CSUM_TCP | Netif.CSUM_UDP);
            nb.setChecksumOffload(Netif.CSUM_ALL, Netif.CSUM_TCP | Netif.CSUM_UDP);
        }
        a.addNetif(na);
        b.addNetif(nb);
        StackThread st = new StackThread(a, Clock.system(), Idler.system(), 16, 1, 2).addStack(b)
                .addSource(wire.pumpedByPort()).start("jwip-stack");
        BulkTransfer.Result r = new BulkTransfer.Result();
        r.bytes = bytes;
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Receiver rx = new Receiver(bytes, warmupBytes, mx);
        try (JwipServerSocket server = new JwipServerSocket(st, b)) {
            server.bind(0, 9, 1);
            Thread rt = new Thread(() -> rx.run(server), "transfer-receiver");
            rt.start();
            long start = System.nanoTime();
            long nextProgress = start + 1_000_000_000L;
            long stackTid = threadId("jwip-stack");
            long senderAlloc0 = -1;
            long stackAlloc0 = -1;
            try (JwipSocket c = new JwipSocket(st, a)) {
                c.connect(Ip4Addr.of(10, 0, 0, 2), 9, 10_000);
                long sent = 0;
                while (sent < bytes) {
                    if (senderAlloc0 < 0 && sent >= warmupBytes) {
                        senderAlloc0 = mx.getCurrentThreadAllocatedBytes();
                        stackAlloc0 = mx.getThreadAllocatedBytes(stackTid);
                    }
                    int pos = (int) (sent % BulkTransfer.PERIOD);
                    int n = (int) Math.min(CHUNK, bytes - sent);
                    c.write(BulkTransfer.PATTERN, pos, n);
                    sent += n;
                    if (progress != null && System.nanoTime() >= nextProgress) {
                        nextProgress = System.nanoTime() + 1_000_000_000L;
                        long before = mx.getCurrentThreadAllocatedBytes();
                        progress.update(rx.received, bytes, (System.nanoTime() - start) / 1e9);
                        senderAlloc0 += mx.getCurrentThreadAllocatedBytes() - before;
                    }
                }
                long senderAlloc = senderAlloc0 < 0 ? 0 : mx.getCurrentThreadAllocatedBytes() - senderAlloc0;
                c.shutdownOutput();
                rt.join();
                r.seconds = (System.nanoTime() - start) / 1e9;
                long stackAlloc = stackAlloc0 < 0 ? 0 : mx.getThreadAllocatedBytes(stackTid) - stackAlloc0;
                r.allocatedBytes = senderAlloc + stackAlloc + rx.allocated;
                r.windowBytes = new long[] {senderAlloc, rx.allocated, stackAlloc};
            }
        } finally {
            // Let the closes finish (FIN, ACK: the pcbs go back to their pools), then stop the thread.
            long until = System.currentTimeMillis() + 5000;
            while (System.currentTimeMillis() < until && !poolsFull(st, a, b)) {
                Thread.sleep(1);
            }
            r.poolsFull = poolsFull(st, a, b);
            st.shutdown();
        }
        r.received = rx.received;
        r.mismatchAt = rx.mismatchAt;
        r.verified = rx.mismatchAt < 0 && rx.received == bytes && rx.error == null;
        r.error = rx.error;
        r.segmentsSent = a.stats().tcp.xmit;
        r.segmentsReceived = b.stats().tcp.recv;
        r.measuredSegments = a.stats().tcp.xmit + b.stats().tcp.xmit;
        r.retransmissions = ta.stats().retransmits() + tb.stats().retransmits();
        return r;
    }

    private static boolean poolsFull(StackThread st, Stack a, Stack b) throws InterruptedException {
        boolean[] full = new boolean[1];
        Call c = new Call() {
            @Override
            protected void execute() {
                full[0] = a.stats().allPoolsFull() && b.stats().allPoolsFull();
                complete(0);
            }
        };
        st.call(c, 5000);
        return full[0];
    }

    private static long threadId(String name) {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(name)) {
                return t.getId();
            }
        }
        return -1;
    }

    /** Accepts one connection on stack B and reads it to the end, checking every byte. */
    private static final class Receiver {
        final long total;
        final long warmup;
        final com.sun.management.ThreadMXBean mx;
        volatile long received;
        long mismatchAt = -1;
        long allocated;
        String error;

        Receiver(long total, long warmup, com.sun.management.ThreadMXBean mx) {
            this.total = total;
            this.warmup = warmup;
            this.mx = mx;
        }

        void run(JwipServerSocket server) {
            byte[] buf = new byte[CHUNK];
            long alloc0 = -1;
            try (JwipSocket s = server.accept()) {
                long got = 0;
                while (true) {
                    if (alloc0 < 0 && got >= warmup) {
                        alloc0 = mx.getCurrentThreadAllocatedBytes();
                    }
                    int n = s.read(buf, 0, buf.length);
                    if (n < 0) {
                        break;
                    }
                    verify(buf, n, got);
                    got += n;
                    received = got;
                }
                allocated = alloc0 < 0 ? 0 : mx.getCurrentThreadAllocatedBytes() - alloc0;
            } catch (IOException e) {
                error = "receiver: " + e.getMessage();
            }
        }

        private void verify(byte[] buf, int len, long at) {
            if (mismatchAt >= 0) {
                return;
            }
            int pos = (int) (at % BulkTransfer.PERIOD);
            int m = Arrays.mismatch(buf, 0, len, BulkTransfer.PATTERN, pos, pos + len);
            if (m >= 0) {
                mismatchAt = at + m;
            }
        }
    }
}
