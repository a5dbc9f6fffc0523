package io.jwip.examples;

import io.jwip.Err;
import io.jwip.JwipOptions;
import io.jwip.buf.Pbuf;
import io.jwip.buf.PbufPool;
import io.jwip.netif.Netif;
import io.jwip.netif.mem.InMemoryLink;
import io.jwip.stack.Stack;
import io.jwip.tcp.Tcp;
import io.jwip.tcp.TcpPcb;
import io.jwip.tcp.TcpState;
import io.jwip.wire.Ip4Addr;

/**
 * The entry point for a second runtime: core and nothing of the JVM beyond {@code java.lang} (no thread,
 * no native code, no clock, no file). It prints the {@code demo} (the two stacks, the echo and the ladder,
 * {@link DemoExchange}) and then a verified bulk transfer between two stacks over core's in-memory wire on
 * a virtual clock. TeaVM compiles it to JavaScript for Node.js ({@code examples/target/teavm/classes.js});
 * the tests compare what Node prints with what HotSpot prints, line for line.
 */
public final class PortableMain {
    /** Bytes of the bulk transfer. */
    static final int BYTES = 1 << 20;

    private PortableMain() {}

    public static void main(String[] args) throws Exception {
        int demo = DemoExchange.run(System.out);
        int transfer = transfer(System.out, BYTES);
        System.out.println("exit " + (demo == 0 && transfer == 0 ? 0 : 1));
    }

    /** The byte {@code i} of the pattern: never periodic within a window, cheap to check. */
    static byte pattern(long i) {
        return (byte) (i * 31 + (i >>> 11) * 7);
    }

    /** A bulk transfer of {@code total} bytes from a to b, every byte checked; 0 if intact and pools full. */
    static int transfer(java.io.PrintStream out, final int total) {
        JwipOptions o = new JwipOptions();
        o.pbufs = 128;
        o.tcpSegs = 128;
        o.tcpWnd = 32768;
        o.tcpSndBuf = 32768;
        Stack a = new Stack(o);
        Stack b = new Stack(o);
        final Tcp ta = Tcp.install(a);
        final Tcp tb = Tcp.install(b);
        ta.setIsnSecret(1, 2);
        tb.setIsnSecret(3, 4);
        InMemoryLink wire = new InMemoryLink(128, 1500);
        a.addNetif(new Netif("mem0", 1500, wire.a()).configure(Ip4Addr.of(10, 0, 0, 1), Ip4Addr.maskOf(24), 0));
        b.addNetif(new Netif("mem0", 1500, wire.b()).configure(Ip4Addr.of(10, 0, 0, 2), Ip4Addr.maskOf(24), 0));

        final long[] got = {0, -1}; // bytes received, first mismatch
        final boolean[] eof = {false};
        final byte[] chunk = new byte[4096];
        final byte[] scratch = new byte[2048];
        final long[] sent = {0};
        final TcpPcb[] sender = {ta.newPcb()};
        TcpPcb l = tb.newListener();
        tb.bind(l, 0, 9);
        tb.listen(l, 1);
        tb.accept(l, (listener, pcb) -> {
            tb.recv(pcb, (p, data) -> {
                if (data == null) {
                    eof[0] = true;
                    tb.close(p);
                    return;
                }
                int n = data.totalLength();
                for (int off = 0; off < n; off += scratch.length) {
                    int k = Math.min(scratch.length, n - off);
                    data.copyOut(off, scratch, 0, k);
                    for (int i = 0; i < k; i++) {
                        if (scratch[i] != pattern(got[0] + off + i) && got[1] < 0) {
                            got[1] = got[0] + off + i;
                        }
                    }
                }
                got[0] += n;
                tb.recved(p, n);
                PbufPool.free(data);
            });
            return Err.OK;
        });
        Runnable fill = () -> {
            TcpPcb s = sender[0];
            while (s != null && sent[0] < total) {
                int n = (int) Math.min(Math.min(chunk.length, total - sent[0]), ta.sndBuf(s));
                if (n <= 0) {
                    break;
                }
                for (int i = 0; i < n; i++) {
                    chunk[i] = pattern(sent[0] + i);
                }
                if (ta.write(s, chunk, 0, n) != Err.OK) {
                    break;
                }
                sent[0] += n;
            }
            if (s != null && sent[0] == total) {
                ta.close(s);
                sender[0] = null;
            }
        };
        ta.sent(sender[0], (p, len) -> fill.run());
        ta.connect(sender[0], Ip4Addr.of(10, 0, 0, 2), 9, p -> fill.run());
        long now = 0;
        int idle = 0;
        while (idle < 1000) {
            int moved = wire.pump(now);
            long next = Math.min(a.timers(now), b.timers(now));
            if (eof[0] && ta.stats().timeWaitCount() == 0 && tb.stats().timeWaitCount() == 0 && wire.idle()
                    && ta.stats().count(TcpState.ESTABLISHED) + tb.stats().count(TcpState.ESTABLISHED) == 0) {
                break;
            }
            if (moved == 0) {
                next = Math.min(next, wire.nextDeadline());
                if (next == Stack.NO_DEADLINE || next <= now) {
                    idle++;
                } else {
                    idle = 0;
                    now = next;
                }
            }
        }
        tb.close(l);
        a.timers(now);
        b.timers(now);
        boolean intact = got[0] == total && got[1] < 0;
        boolean full = a.stats().allPoolsFull() && b.stats().allPoolsFull();
        out.println("transfer: " + got[0] + " of " + total + " bytes, " + (intact ? "byte-exact" : "DIFFERENT at byte " + got[1])
                + ", " + a.stats().tcp.xmit + " segments sent, " + b.stats().tcp.xmit + " back, virtual time " + now
                + " ms, pools " + (full ? "full" : "NOT full: " + a.stats().poolsNotFull() + " " + b.stats().poolsNotFull()));
        return intact && full ? 0 : 1;
    }
}
