package io.jwip.tcp;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import io.jwip.buf.Pbuf;
import io.jwip.wire.Bytes;
import io.jwip.wire.Checksum;
import java.util.ArrayList;
import java.util.List;

/**
 * Coverage-guided fuzz target (Jazzer) for TCP input: per input a stack holding connections in every state
 * ({@link TcpFuzzTest#buildStates}), then segments the fuzzer shapes - which connection, flags, sequence and
 * acknowledgment numbers relative to what the connection expects, window, options (well and badly formed),
 * data length, data offset and checksum right or wrong - with the clock jumping and the application acting
 * in between. Invariants: no exception escapes; every 16 segments the connection-table rules and the
 * liveness invariant ({@link TcpFuzzTest#checkInvariants}); after teardown no connection and every pool
 * full ({@link TcpFuzzTest#teardown}).
 */
public final class TcpFuzzTarget {
    private TcpFuzzTarget() {}

    public static void fuzzerTestOneInput(FuzzedDataProvider d) {
        TcpFuzzTest.nextPort = 10000;
        int seed = d.consumeInt(0, 1 << 20);
        Harness h = new Harness(TcpFuzzTest.options(seed), false);
        App app = new App();
        app.autoRecved = seed % 7 != 0;
        TcpPcb l = h.listen(app, 4);
        List<TcpFuzzTest.Target> targets = new ArrayList<>();
        TcpFuzzTest.buildStates(h, app, targets);
        for (int i = 0; i < 200 && d.remainingBytes() > 0; i++) {
            TcpFuzzTest.Target t = targets.get(d.consumeInt(0, targets.size() - 1));
            TcpFuzzTest.refresh(h, t);
            switch (d.consumeInt(0, 9)) {
                case 0:
                    h.advance(d.consumeInt(0, 130_000));
                    break;
                case 1:
                    TcpFuzzTest.appAction(h, app, new java.util.Random(d.consumeLong()));
                    break;
                default:
                    segment(h, t, d);
                    break;
            }
            h.link.sent.clear();
            if ((i & 15) == 15) {
                TcpFuzzTest.checkInvariants(h, app);
            }
        }
        TcpFuzzTest.checkInvariants(h, app);
        TcpFuzzTest.teardown(h, app, l, "jazzer");
    }

    /** One segment to (or near) connection {@code t}. */
    static void segment(Harness h, TcpFuzzTest.Target t, FuzzedDataProvider d) {
        int flags = d.consumeInt(0, 7) == 0 ? d.consumeInt(0, 0x1ff) : new int[]{0x10, 0x18, 0x11, 0x02, 0x12, 0x04,
                0x14, 0x19, 0x01, 0x00}[d.consumeInt(0, 9)];
        int seq = t.rcvNxt + near(d);
        int ack = (d.consumeBoolean() ? t.sndNxt : t.sndUna) + near(d);
        int wnd = d.consumeBoolean() ? 65535 : d.consumeInt(0, 65535);
        byte[] opt = d.consumeBoolean() ? new byte[0] : d.consumeBytes(4 * d.consumeInt(0, 10));
        byte[] data = d.consumeBytes(d.consumeInt(0, 1460));
        int thl = 20 + opt.length;
        int tot = 20 + thl + data.length;
        byte[] b = new byte[tot];
        b[0] = 0x45;
        Bytes.put16(b, 2, tot);
        b[8] = 64;
        b[9] = 6;
        Bytes.put32(b, 12, Harness.PEER);
        Bytes.put32(b, 16, Harness.US);
        Bytes.put16(b, 10, Checksum.of(b, 0, 20));
        Bytes.put16(b, 20, d.consumeInt(0, 31) == 0 ? d.consumeInt(0, 65535) : t.pport);
        Bytes.put16(b, 22, d.consumeInt(0, 31) == 0 ? d.consumeInt(0, 65535) : t.lport);
        Bytes.put32(b, 24, seq);
        Bytes.put32(b, 28, ack);
        int off = d.consumeInt(0, 15) == 0 ? d.consumeInt(0, 15) : thl / 4;
        b[32] = (byte) ((off << 4) | ((flags >> 8) & 1));
        b[33] = (byte) flags;
        Bytes.put16(b, 34, wnd);
        System.arraycopy(opt, 0, b, 40, opt.length);
        System.arraycopy(data, 0, b, 40 + opt.length, data.length);
        long sum = Checksum.addPseudoHeader(0, Harness.PEER, Harness.US, 6, thl + data.length);
        int c = Checksum.finish(Checksum.add(sum, b, 20, thl + data.length));
        Bytes.put16(b, 36, d.consumeInt(0, 15) == 0 ? c ^ 1 : c);
        int len = d.consumeInt(0, 15) == 0 ? d.consumeInt(20, tot) : tot;
        Bytes.put16(b, 2, len);
        Bytes.put16(b, 10, 0);
        Bytes.put16(b, 10, Checksum.of(b, 0, 20));
        Pbuf p = h.netif.allocInput(len);
        if (p == null) {
            return; // every buffer is held: the link would drop it
        }
        p.copyIn(0, b, 0, len);
        h.netif.input(p);
    }

    /** An offset from an expected sequence number: mostly close, sometimes anywhere. */
    private static int near(FuzzedDataProvider d) {
        switch (d.consumeInt(0, 5)) {
            case 0: return 0;
            case 1: return d.consumeInt(-3, 3);
            case 2: return d.consumeInt(-70000, 70000);
            case 3: return d.consumeInt();
            default: return d.consumeInt(-2000, 2000);
        }
    }
}
