package io.jwip.ppp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwip.StackRandom;
import java.util.ArrayDeque;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** LCP between two ends through a queue of packets: negotiation, Nak and Reject, loopback, echo, termination. */
class LcpTest {
    /** Two LCPs joined back to back; packets wait in a queue until {@link #exchange()}. */
    static final class Pair {
        final ArrayDeque<Object[]> wire = new ArrayDeque<>();
        final Lcp a;
        final Lcp b;
        int upA, upB;

        Pair() {
            StackRandom ra = new StackRandom();
            ra.setSecret(1, 2);
            StackRandom rb = new StackRandom();
            rb.setSecret(3, 4);
            a = new Lcp((proto, p, len) -> wire.add(new Object[] {"b", Arrays.copyOf(p, len)}), ra);
            b = new Lcp((proto, p, len) -> wire.add(new Object[] {"a", Arrays.copyOf(p, len)}), rb);
            a.setListener(listener(() -> upA++));
            b.setListener(listener(() -> upB++));
        }

        static Lcp.Listener listener(Runnable up) {
            return new Lcp.Listener() {
                @Override public void lcpUp() { up.run(); }
                @Override public void lcpDown() { }
                @Override public void lcpFinished() { }
            };
        }

        void start() {
            a.fsm().open(0);
            b.fsm().open(0);
            a.fsm().up(0);
            b.fsm().up(0);
        }

        int exchange() {
            int n = 0;
            while (!wire.isEmpty() && n < 100) {
                Object[] m = wire.poll();
                byte[] p = (byte[]) m[1];
                ("a".equals(m[0]) ? a : b).input(p, 0, p.length, 0);
                n++;
            }
            return n;
        }
    }

    @Test
    void bothEnds_negotiateToOpened_withAccm0PfcAcfcAndDifferentMagics() {
        Pair p = new Pair();
        p.start();
        p.exchange();
        assertEquals(PppFsm.OPENED, p.a.fsm().state());
        assertEquals(PppFsm.OPENED, p.b.fsm().state());
        assertEquals(1, p.upA);
        assertEquals(1, p.upB);
        assertEquals(0, p.a.peerAccm(), "the peer asked for no escaping");
        assertTrue(p.a.peerPfc() && p.a.peerAcfc());
        assertTrue(p.a.ourMagic() != p.b.ourMagic());
        assertEquals(0, p.a.loopbacks());
    }

    @Test
    void loopedBackLine_seesItsOwnMagicNumber_andCountsIt() {
        StackRandom r = new StackRandom();
        Lcp[] self = new Lcp[1];
        ArrayDeque<byte[]> q = new ArrayDeque<>();
        self[0] = new Lcp((proto, p, len) -> q.add(Arrays.copyOf(p, len)), r);
        self[0].fsm().open(0);
        self[0].fsm().up(0);
        for (int i = 0; i < 20 && !q.isEmpty(); i++) {
            byte[] p = q.poll();
            self[0].input(p, 0, p.length, 0);
        }
        assertTrue(self[0].loopbacks() >= 1, "a request with our own magic number means the line loops back");
    }

    @Test
    void unknownOption_isRejected_andSmallMru_isNakedWith128() {
        Pair p = new Pair();
        p.a.fsm().open(0);
        p.a.fsm().up(0);
        p.wire.clear();
        // A Configure-Request with an unknown option 99 and an MRU of 64.
        byte[] req = {1, 7, 0, 12, 99, 4, 0, 0, 1, 4, 0, 64};
        p.a.input(req, 0, req.length, 0);
        byte[] reply = (byte[]) p.wire.poll()[1];
        assertEquals(Lcp.CONFIGURE_REJECT, reply[0]);
        assertEquals(7, reply[1], "the request's identifier");
        assertEquals(99, reply[4], "only the unknown option, Reject before Nak");
        byte[] req2 = {1, 8, 0, 8, 1, 4, 0, 64};
        p.a.input(req2, 0, req2.length, 0);
        reply = (byte[]) p.wire.poll()[1];
        assertEquals(Lcp.CONFIGURE_NAK, reply[0]);
        assertEquals(128, ((reply[6] & 0xff) << 8) | (reply[7] & 0xff));
    }

    @Test
    void authenticationWeCannotDo_isNakedWithOneWeCan() {
        Pair p = new Pair();
        p.a.canAuthenticate(true, false);
        p.b.requireAuthentication(PppProtocol.CHAP);
        p.start();
        p.exchange();
        assertEquals(PppFsm.OPENED, p.a.fsm().state(), "b asked CHAP, a Nak'd with PAP, b switched");
        assertEquals(PppProtocol.PAP, p.a.peerAuth());
    }

    @Test
    void echoRequest_isAnswered_andTerminate_closesBothEnds() {
        Pair p = new Pair();
        p.start();
        p.exchange();
        p.a.sendEchoRequest();
        p.exchange();
        assertEquals(1, p.a.echoReplies());
        p.a.fsm().close(0);
        p.exchange();
        assertEquals(PppFsm.CLOSED, p.a.fsm().state());
        assertEquals(PppFsm.STOPPING, p.b.fsm().state(), "the peer waits one restart period");
        p.b.fsm().timers(10_000);
        assertEquals(PppFsm.STOPPED, p.b.fsm().state());
    }

    @Test
    void malformedPackets_areCountedAndChangeNothing() {
        Pair p = new Pair();
        p.start();
        p.exchange();
        p.a.input(new byte[] {1, 1, 0}, 0, 3, 0);
        p.a.input(new byte[] {1, 1, 0, 99, 1, 4}, 0, 6, 0);
        p.a.input(new byte[] {1, 1, 0, 8, 1, 9, 0, 0}, 0, 8, 0); // option length past the end
        assertEquals(PppFsm.OPENED == p.a.fsm().state() || PppFsm.REQ_SENT == p.a.fsm().state(), true);
        assertTrue(p.a.badPackets >= 2);
    }
}
