package io.jwip.eth;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import io.jwip.wire.ArpHeader;
import io.jwip.wire.EthernetHeader;
import io.jwip.wire.Ip4Addr;
import io.jwip.wire.Mac;

/**
 * Coverage-guided fuzz target (Jazzer) for Ethernet and ARP input: two hosts on an in-memory segment, and
 * frames the fuzzer shapes (addresses ours, broadcast or others; EtherTypes; ARP operations and addresses
 * near ours; lengths; raw bytes), with the clock jumping; now and then host A sends to a neighbour so
 * that the cache resolves, queues and ages. An exception is a finding; so is a pool not full once every
 * resolution has given up.
 */
public final class EthFuzzTarget {
    private EthFuzzTarget() {}

    public static void fuzzerTestOneInput(FuzzedDataProvider d) {
        ArpTest.Segment s = ArpTest.twoHosts();
        ArpTest.Host a = s.hosts[0];
        int frames = d.consumeInt(1, 40);
        for (int i = 0; i < frames && d.remainingBytes() > 0; i++) {
            int len = d.consumeInt(0, 100);
            byte[] f = new byte[Math.max(len, 1)];
            long dst = pick(d, Mac.BROADCAST, ArpTest.MAC_A, ArpTest.MAC_B);
            long src = pick(d, 0x020000000010L, ArpTest.MAC_B, ArpTest.MAC_A);
            if (f.length >= EthernetHeader.HEADER_LENGTH) {
                int type = d.pickValue(new int[] {EthernetHeader.TYPE_ARP, EthernetHeader.TYPE_IPV4, 0x86dd, 0x0100});
                new EthernetHeader().wrap(f, 0).destination(dst).source(src).type(type);
            }
            if (f.length >= EthernetHeader.HEADER_LENGTH + ArpHeader.LENGTH) {
                int op = d.consumeInt(0, 3);
                int spa = d.consumeBoolean() ? Ip4Addr.of(10, 0, 0, d.consumeInt(0, 12)) : d.consumeInt();
                int tpa = d.consumeBoolean() ? ArpTest.A : Ip4Addr.of(10, 0, 0, d.consumeInt(0, 12));
                new ArpHeader().wrap(f, EthernetHeader.HEADER_LENGTH).fill(op, src, spa, 0, tpa);
            }
            byte[] raw = d.consumeBytes(d.consumeInt(0, 8));
            for (int k = 0; k + 1 < raw.length; k += 2) {
                f[(raw[k] & 0xff) % f.length] = raw[k + 1];
            }
            ArpTest.inject(s, f);
            if (d.consumeBoolean()) {
                a.stack.icmp().sendEcho(Ip4Addr.of(10, 0, 0, d.consumeInt(1, 12)), 1, i, 8);
            }
            if (d.consumeBoolean()) {
                s.runUntil(s.now + d.consumeInt(0, 3000));
            }
        }
        // Every resolution started gives up (7 s), and the hub drains.
        for (int t = 0; t < 40; t++) {
            s.now += 500;
            s.exchange();
        }
        if (!s.poolsFull()) {
            throw new AssertionError("pools not full: " + a.stack.stats().poolsNotFull() + " / "
                    + s.hosts[1].stack.stats().poolsNotFull());
        }
    }

    private static long pick(FuzzedDataProvider d, long other, long b, long c) {
        switch (d.consumeInt(0, 3)) {
            case 0:
                return other + d.consumeInt(0, 3);
            case 1:
                return b;
            case 2:
                return c;
            default:
                return d.consumeLong() & Mac.BROADCAST;
        }
    }
}
