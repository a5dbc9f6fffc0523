package io.jwip.dhcp;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import io.jwip.wire.Bytes;
import io.jwip.wire.DhcpHeader;
import io.jwip.wire.Ip4Addr;
import io.jwip.wire.Mac;

/**
 * Coverage-guided fuzz target (Jazzer) for the DHCP client: replies shaped by the fuzzer (op, the client's
 * transaction ID or another, hardware address, cookie, yiaddr, then the options as raw bytes: types,
 * lengths running past the end, missing END), with the clock jumping through T1, T2 and expiry. An
 * exception is a finding; so is a state outside the table or a pool not full after the client closes.
 */
public final class DhcpFuzzTarget {
    private DhcpFuzzTarget() {}

    public static void fuzzerTestOneInput(FuzzedDataProvider d) {
        DhcpClientTest.Rig r = new DhcpClientTest.Rig();
        r.dhcp.setListener(null);
        r.server.quiet = true;
        r.server.on = d.consumeBoolean(); // the real test server answers too, sometimes
        r.dhcp.start();
        byte[] m = new byte[600];
        int replies = d.consumeInt(1, 20);
        for (int i = 0; i < replies && d.remainingBytes() > 0; i++) {
            java.util.Arrays.fill(m, (byte) 0);
            m[DhcpHeader.OP] = (byte) (d.consumeBoolean() ? DhcpHeader.OP_REPLY : d.consumeInt(0, 255));
            m[DhcpHeader.HTYPE] = 1;
            m[DhcpHeader.HLEN] = (byte) (d.consumeBoolean() ? 6 : d.consumeInt(0, 255));
            Bytes.put32(m, DhcpHeader.XID, d.consumeBoolean() ? r.dhcp.xid() : d.consumeInt());
            Mac.put(m, DhcpHeader.CHADDR, d.consumeBoolean() ? DhcpClientTest.MAC_CLIENT : d.consumeLong());
            Bytes.put32(m, DhcpHeader.YIADDR, d.consumeBoolean() ? Ip4Addr.of(10, 0, 0, 50) : d.consumeInt());
            Bytes.put32(m, DhcpHeader.COOKIE, d.consumeBoolean() ? DhcpHeader.MAGIC : d.consumeInt());
            byte[] opts = d.consumeBytes(d.consumeInt(0, 300));
            System.arraycopy(opts, 0, m, DhcpHeader.OPTIONS, opts.length);
            int len = d.consumeBoolean() ? DhcpHeader.OPTIONS + opts.length : d.consumeInt(0, m.length);
            r.server.raw(m, len);
            r.runUntil(r.now + d.consumeInt(0, 30_000));
            int st = r.dhcp.state();
            if (st < 0 || st >= DhcpState.COUNT) {
                throw new AssertionError("state " + st);
            }
        }
        if (!r.poolsFull()) {
            throw new AssertionError("pools not full");
        }
    }
}
