package io.jwip.port;

import io.jwip.Err;
import io.jwip.JwipOptions;
import io.jwip.stack.Stack;
import io.jwip.buf.Pbuf;
import io.jwip.buf.PbufPool;
import io.jwip.netif.Netif;
import io.jwip.netif.slip.MemorySlipLine;
import io.jwip.netif.slip.SlipLink;
import io.jwip.tcp.Tcp;
import io.jwip.tcp.TcpPcb;
import io.jwip.wire.Ip4Addr;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The single-threaded port (lwIP's NO_SYS): two stacks over a SLIP line and a TCP echo exchange, all on
 * the test's own thread: no other thread is started and every callback runs here.
 */
class PollLoopTcpEchoTest {
    @Test
    void twoStacksEchoOnOneThread() throws Exception {
        int threadsBefore = Thread.activeCount();
        Thread me = Thread.currentThread();
        VirtualClock clock = new VirtualClock();
        MemorySlipLine[] line = MemorySlipLine.pair(32 * 1024);
        SlipLink la = new SlipLink(line[0], 1006, 2048);
        SlipLink lb = new SlipLink(line[1], 1006, 2048);
        Stack a = new Stack(new JwipOptions());
        Stack b = new Stack(new JwipOptions());
        Tcp ta = Tcp.install(a);
        Tcp tb = Tcp.install(b);
        a.addNetif(new Netif("sl0", 1006, la).configure(Ip4Addr.of(10, 0, 0, 1), Ip4Addr.maskOf(24), 0));
        b.addNetif(new Netif("sl0", 1006, lb).configure(Ip4Addr.of(10, 0, 0, 2), Ip4Addr.maskOf(24), 0));
        PollLoop loop = new PollLoop(clock, Idler.virtual(clock), 2, 2).addStack(a).addStack(b).addSource(la)
                .addSource(lb).setMaxIdleMs(Long.MAX_VALUE);

        // Server: echo everything back, close after the client does.
        TcpPcb l = tb.newListener();
        assertEquals(Err.OK, tb.bind(l, 0, 7));
        assertEquals(Err.OK, tb.listen(l, 1));
        tb.accept(l, (lis, pcb) -> {
            assertSame(me, Thread.currentThread());
            tb.recv(pcb, (p, data) -> {
                if (data == null) {
                    tb.close(p);
                    return;
                }
                for (Pbuf q = data; q != null; q = q.next()) {
                    assertEquals(Err.OK, tb.write(p, q.buf, q.offset(), q.length()));
                }
                tb.recved(p, data.totalLength());
                PbufPool.free(data);
                tb.output(p);
            });
            return Err.OK;
        });

        byte[] msg = new byte[3000];
        Arrays.fill(msg, (byte) 'j');
        byte[] got = new byte[msg.length];
        int[] n = {0};
        boolean[] closed = {false};
        TcpPcb c = ta.newPcb();
        ta.recv(c, (p, data) -> {
            assertSame(me, Thread.currentThread());
            if (data == null) {
                closed[0] = true;
                return;
            }
            data.copyOut(0, got, n[0], data.totalLength());
            n[0] += data.totalLength();
            ta.recved(p, data.totalLength());
            PbufPool.free(data);
            if (n[0] == msg.length) {
                ta.close(p);
            }
        });
        assertEquals(Err.OK, ta.connect(c, Ip4Addr.of(10, 0, 0, 2), 7, p -> {
            ta.write(p, msg, 0, msg.length);
            ta.output(p);
        }));
        assertTrue(loop.runUntil(() -> n[0] == msg.length && ta.stats().timeWaitCount() == 1, 10_000));
        assertArrayEquals(msg, got);
        tb.close(l);
        // TIME_WAIT runs out on the virtual clock.
        assertTrue(loop.runUntil(() -> ta.stats().timeWaitCount() == 0, 10_000));
        assertTrue(clock.nowMillis() >= 2L * a.options().tcpMslMs);
        assertEquals(threadsBefore, Thread.activeCount(), "the single-threaded port starts no thread");
        assertTrue(a.stats().allPoolsFull(), a.stats().poolsNotFull());
        assertTrue(b.stats().allPoolsFull(), b.stats().poolsNotFull());
    }
}
