package io.jwip.netif.mem;

import io.jwip.testutil.TwoStacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwip.Err;
import io.jwip.JwipOptions;
import io.jwip.buf.Pbuf;
import io.jwip.buf.PbufPool;
import io.jwip.stats.Drop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InMemoryLinkTest {
    private TwoStacks s;
    private int replies;
    private int lastSeq = -1;

    @AfterEach
    void poolsBackToFull() {
        if (s != null) {
            assertTrue(s.poolsFull(), s.poolsNotFull());
        }
    }

    private void listen() {
        s.a.icmp().setEchoListener((src, id, seq, len, now) -> {
            replies++;
            lastSeq = seq;
        });
    }

    @Test
    void pingCrossesOnPumpNotOnOutput() {
        s = new TwoStacks(8, 1500);
        listen();
        assertEquals(Err.OK, s.a.icmp().sendEcho(TwoStacks.B, 1, 7, 56));
        // Nothing was delivered from inside output: the request waits on the wire.
        assertEquals(0, s.b.stats().icmp.recv);
        assertEquals(1, s.wire.a().tx().inFlight());
        assertEquals(0, s.wire.nextDeadline());
        // One pump: request a->b, then the reply b->a.
        assertEquals(2, s.wire.pump());
        assertEquals(1, replies);
        assertEquals(7, lastSeq);
        assertTrue(s.wire.idle());
        assertEquals(InMemoryLink.NO_DEADLINE, s.wire.nextDeadline());
        assertEquals(1, s.wire.a().tx().delivered());
        assertEquals(1, s.wire.b().tx().delivered());
        assertEquals(84, s.wire.a().tx().deliveredBytes());
    }

    @Test
    void fullRingRefusesWithErrMem() {
        s = new TwoStacks(2, 1500);
        listen();
        assertEquals(Err.OK, s.a.icmp().sendEcho(TwoStacks.B, 1, 1, 8));
        assertEquals(Err.OK, s.a.icmp().sendEcho(TwoStacks.B, 1, 2, 8));
        assertEquals(Err.MEM, s.a.icmp().sendEcho(TwoStacks.B, 1, 3, 8));
        assertEquals(1, s.wire.a().tx().queueFull());
        assertEquals(1, s.a.stats().drops(Drop.IP_LINK_ERROR));
        s.wire.pumpUntilIdle(4);
        assertEquals(2, replies);
        // Room again.
        assertEquals(Err.OK, s.a.icmp().sendEcho(TwoStacks.B, 1, 4, 8));
        s.wire.pumpUntilIdle(4);
        assertEquals(3, replies);
    }

    @Test
    void frameLargerThanSlotIsRefusedWithErrBuf() {
        // The netif MTU (1500) is larger than the wire's frames (600): the wire refuses, never truncates.
        InMemoryLink wire = new InMemoryLink(4, 600);
        s = new TwoStacks(wire, 1500);
        assertEquals(Err.BUF, s.a.icmp().sendEcho(TwoStacks.B, 1, 1, 1000));
        assertEquals(1, wire.a().tx().tooBig());
        assertTrue(wire.idle());
    }

    @Test
    void receiverWithoutBuffersDropsAndCounts() {
        JwipOptions small = new JwipOptions();
        small.pbufs = 2;
        InMemoryLink wire = new InMemoryLink(4, 1500);
        s = new TwoStacks(wire, wire.a(), wire.b(), 1500, small);
        Pbuf hog1 = s.b.pbufPool().alloc(0, 10);
        Pbuf hog2 = s.b.pbufPool().alloc(0, 10);
        assertEquals(Err.OK, s.a.icmp().sendEcho(TwoStacks.B, 1, 1, 8));
        s.wire.pump();
        assertEquals(1, wire.a().tx().noBuffer());
        assertEquals(1, s.b.stats().drops(Drop.LINK_NO_BUFFER));
        PbufPool.free(hog1);
        PbufPool.free(hog2);
    }

    @Test
    void frameInFlightHoldsNoPbuf() {
        s = new TwoStacks(8, 1500);
        s.a.icmp().sendEcho(TwoStacks.B, 1, 1, 1200);
        assertTrue(s.poolsFull(), "a queued frame is a copy in the wire's own storage");
        s.wire.clear();
        assertTrue(s.wire.idle());
    }

    @Test
    void repliesToEachOtherDoNotRecurse() {
        // Many requests queued; one pump delivers all, their replies are only queued meanwhile.
        s = new TwoStacks(16, 1500);
        listen();
        for (int i = 0; i < 10; i++) {
            assertEquals(Err.OK, s.a.icmp().sendEcho(TwoStacks.B, 1, i, 32));
        }
        assertEquals(20, s.wire.pump());
        assertEquals(10, replies);
        assertEquals(9, lastSeq);
    }
}
