package io.jwip.tests.reallink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jwip.Err;
import io.jwip.stack.Stack;
import io.jwip.buf.Pbuf;
import io.jwip.buf.PbufPool;
import io.jwip.tcp.Tcp;
import io.jwip.tcp.TcpConnected;
import io.jwip.tcp.TcpErr;
import io.jwip.tcp.TcpPcb;
import io.jwip.tcp.TcpRecv;
import io.jwip.tcp.TcpSent;
import io.jwip.udp.Udp;
import io.jwip.udp.UdpPcb;
import io.jwip.udp.UdpRecv;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Echo scenarios shared by the real-link tests, written against a {@link Driver} so that every link type
 * runs the same traffic: ICMP echo from jwip, a UDP echo service, a byte-exact UDP echo client, and a
 * byte-exact TCP echo client ({@link TcpClient}) for the examples' {@code TcpEcho} service.
 */
final class Echo {
    private Echo() {}

    /** Installs a UDP echo service on {@code port}: every datagram goes back to its sender, unchanged. */
    static UdpPcb udpEchoServer(Driver d, int port) throws Exception {
        return d.call(() -> {
            Udp udp = d.stack.udp();
            UdpPcb pcb = udp.newPcb();
            assertEquals(Err.OK, udp.bind(pcb, 0, port));
            pcb.recv((pc, p, src, srcPort) -> {
                udp.sendTo(pc, p, src, srcPort);
                PbufPool.free(p);
            });
            return pcb;
        });
    }

    /** Gives a pcb back (so that the test can check that every pool is full at the end). */
    static void remove(Driver d, UdpPcb pcb) throws Exception {
        d.exec(() -> d.stack.udp().remove(pcb));
    }

    /**
     * Sends {@code count} ICMP echo requests from jwip to {@code dst} (one every 50 ms) and returns how
     * many replies came back within {@code timeoutMs} after the last.
     */
    static int icmpPing(Driver d, int dst, int count, int dataLength, long timeoutMs) throws Exception {
        AtomicInteger replies = new AtomicInteger();
        CountDownLatch all = new CountDownLatch(count);
        int id = 0x4a57;
        d.exec(() -> d.stack.icmp().setEchoListener((src, ident, seq, len, now) -> {
            if (src == dst && ident == id && len == dataLength) {
                replies.incrementAndGet();
                all.countDown();
            }
        }));
        for (int i = 0; i < count; i++) {
            int seq = i;
            int err = d.call(() -> d.stack.icmp().sendEcho(dst, id, seq, dataLength));
            assertEquals(Err.OK, err, "sendEcho " + i);
            Thread.sleep(50);
        }
        all.await(timeoutMs, TimeUnit.MILLISECONDS);
        d.exec(() -> d.stack.icmp().setEchoListener(null));
        return replies.get();
    }

    /**
     * A UDP echo client on the driver thread: sends {@code data} in datagrams of at most {@code chunk}
     * bytes, one at a time, the next when the previous came back byte-exact; resends after 500 ms. The
     * steady state allocates nothing (the comparison buffer is made here).
     */
    static final class UdpClient implements UdpRecv, Driver.Ticker {
        final Driver d;
        final byte[] data;
        final int chunk;
        final int dst;
        final int port;
        final byte[] cmp;
        final CountDownLatch done = new CountDownLatch(1);
        UdpPcb pcb;
        int off;
        int len;
        long deadline;
        volatile int resends;
        volatile int mismatches;
        volatile int sendErrors;
        volatile long acked;

        UdpClient(Driver d, int dst, int port, byte[] data, int chunk) {
            this.d = d;
            this.dst = dst;
            this.port = port;
            this.data = data;
            this.chunk = chunk;
            this.cmp = new byte[chunk];
        }

        void start() throws Exception {
            d.exec(() -> {
                pcb = d.stack.udp().newPcb();
                pcb.recv(this);
                d.stack.udp().bind(pcb, 0, 0);
                off = 0;
                sendCurrent(System.currentTimeMillis());
            });
            d.setTicker(this);
        }

        private void sendCurrent(long now) {
            len = Math.min(chunk, data.length - off);
            Stack s = d.stack;
            Pbuf p = s.allocTransport(8, len);
            deadline = now + 500;
            if (p == null) {
                sendErrors++;
                return;
            }
            p.copyIn(0, data, off, len);
            if (s.udp().sendTo(pcb, p, dst, port) != Err.OK) {
                sendErrors++;
            }
            PbufPool.free(p);
        }

        @Override
        public void recv(UdpPcb pc, Pbuf p, int src, int srcPort) {
            int n = p.totalLength();
            boolean ok = src == dst && srcPort == port && n == len && off < data.length;
            if (ok) {
                p.copyOut(0, cmp, 0, n);
                for (int i = 0; i < n; i++) {
                    if (cmp[i] != data[off + i]) {
                        ok = false;
                        mismatches++;
                        break;
                    }
                }
            }
            PbufPool.free(p);
            if (!ok) {
                return; // a late duplicate of a resent datagram, or damage: wait for the right one
            }
            off += n;
            acked = off;
            if (off >= data.length) {
                d.setTicker(null);
                done.countDown();
                return;
            }
            sendCurrent(d.stack.now());
        }

        @Override
        public void tick(long now) {
            if (off < data.length && now >= deadline) {
                resends++;
                sendCurrent(now);
            }
        }

        boolean await(long ms) throws InterruptedException {
            return done.await(ms, TimeUnit.MILLISECONDS);
        }

        void close() throws Exception {
            d.setTicker(null);
            d.exec(() -> d.stack.udp().remove(pcb));
        }
    }

    /**
     * A TCP echo client on the driver thread (raw API): connects, writes {@code data} as the send buffer
     * allows (more from every {@code sent} callback), compares every received byte with what was sent
     * and, once all of it came back, closes its side; the echo service then closes too. Done when all
     * bytes came back, or on an error (see {@link #error}).
     */
    static final class TcpClient implements TcpConnected, TcpRecv, TcpSent, TcpErr {
        final Driver d;
        final int dst;
        final int port;
        final byte[] data;
        final byte[] cmp = new byte[4096];
        final CountDownLatch done = new CountDownLatch(1);
        Tcp tcp;
        TcpPcb pcb;
        int written;
        volatile int received;
        volatile int mismatches;
        /** Err code from the err callback, connect, write or close; 0 if none. */
        volatile int error;
        volatile long startNs;
        volatile long endNs;

        TcpClient(Driver d, int dst, int port, byte[] data) {
            this.d = d;
            this.dst = dst;
            this.port = port;
            this.data = data;
        }

        void start() throws Exception {
            d.exec(() -> {
                tcp = Tcp.of(d.stack);
                pcb = tcp.newPcb();
                tcp.arg(pcb, this);
                tcp.recv(pcb, this);
                tcp.sent(pcb, this);
                tcp.err(pcb, this);
                startNs = System.nanoTime();
                int e = tcp.connect(pcb, dst, port, this);
                if (e != Err.OK) {
                    fail(e);
                }
            });
        }

        private void fail(int e) {
            error = e;
            done.countDown();
        }

        @Override
        public void connected(TcpPcb p) {
            pump();
        }

        @Override
        public void sent(TcpPcb p, int len) {
            pump();
        }

        private void pump() {
            while (written < data.length) {
                int n = Math.min(tcp.sndBuf(pcb), data.length - written);
                if (n <= 0 || tcp.write(pcb, data, written, n) != Err.OK) {
                    break;
                }
                written += n;
            }
            tcp.output(pcb);
        }

        @Override
        public void recv(TcpPcb p, Pbuf q) {
            if (q == null) {
                if (received < data.length) {
                    fail(Err.CLSD); // the service closed before echoing everything
                }
                return;
            }
            int n = q.totalLength();
            for (int off = 0; off < n; off += cmp.length) {
                int c = Math.min(cmp.length, n - off);
                q.copyOut(off, cmp, 0, c);
                for (int i = 0; i < c; i++) {
                    int at = received + off + i;
                    if (at >= data.length || cmp[i] != data[at]) {
                        mismatches++;
                    }
                }
            }
            tcp.recved(p, n);
            PbufPool.free(q);
            received += n;
            if (received >= data.length) {
                endNs = System.nanoTime();
                if (tcp.close(p) != Err.OK) {
                    tcp.abort(p);
                }
                pcb = null;
                done.countDown();
            }
        }

        @Override
        public void err(Object arg, int err) {
            pcb = null;
            fail(err);
        }

        boolean await(long ms) throws InterruptedException {
            return done.await(ms, TimeUnit.MILLISECONDS);
        }

        long millis() {
            return (endNs - startNs) / 1_000_000;
        }
    }
}
