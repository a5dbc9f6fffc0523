package io.jwip.fuzz;

import static io.jwip.testutil.TestStack.ADDR;
import static io.jwip.testutil.TestStack.PEER;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import io.jwip.JwipOptions;
import io.jwip.buf.Pbuf;
import io.jwip.buf.PbufPool;
import io.jwip.slip.SlipCodec;
import io.jwip.testutil.TestStack;
import io.jwip.udp.Udp;
import io.jwip.udp.UdpPcb;
import io.jwip.udp.UdpRecv;
import io.jwip.wire.Bytes;
import io.jwip.wire.Checksum;
import io.jwip.wire.Ip4Addr;

/**
 * Coverage-guided fuzz targets (Jazzer, libFuzzer's engine) for the input paths below TCP: IPv4 with
 * reassembly, UDP, ICMP and the SLIP decoder. Each input is a fresh stack and a sequence of packets the
 * fuzzer shapes through a {@link FuzzedDataProvider}: header fields, lengths and checksums right or wrong,
 * fragments, and the clock jumping so that reassembly times out. An exception is a finding; so is a pool
 * that is not full once the stack has let every timer run out.
 */
public final class IpFuzzTargets {
    private IpFuzzTargets() {}

    /** A stack with a UDP echo on port 7 and a connected socket on 9, as the UDP and ICMP paths need. */
    static final class Rig {
        final TestStack t;
        final UdpPcb echo;
        final UdpPcb conn;

        Rig(JwipOptions o) {
            t = new TestStack(o, 1500);
            Udp udp = t.stack.udp();
            echo = udp.newPcb();
            udp.bind(echo, 0, 7);
            echo.recv(new UdpRecv() {
                @Override
                public void recv(UdpPcb pcb, Pbuf p, int srcAddr, int srcPort) {
                    udp.sendTo(pcb, p, srcAddr, srcPort);
                    PbufPool.free(p);
                }
            });
            conn = udp.newPcb();
            udp.bind(conn, ADDR, 9);
            udp.connect(conn, PEER, 5000);
            conn.recv(new UdpRecv() {
                @Override
                public void recv(UdpPcb pcb, Pbuf p, int srcAddr, int srcPort) {
                    PbufPool.free(p);
                }
            });
        }

        void finish() {
            t.stack.udp().remove(echo);
            t.stack.udp().remove(conn);
            t.link.clear();
            t.advance(120_000); // past reassembly and every other timer
            t.link.clear();
            if (!t.stack.stats().allPoolsFull()) {
                throw new AssertionError("pools not full: " + t.stack.stats().poolsNotFull());
            }
        }
    }

    static JwipOptions options(FuzzedDataProvider d) {
        JwipOptions o = new JwipOptions();
        if (d.consumeBoolean()) { // scarce: reassembly and buffers run out
            o.pbufs = 8;
            o.pbufSize = 256;
            o.ipReassDatagrams = 2;
            o.ipReassMaxPbufs = 4;
        }
        return o;
    }

    /** An IPv4 packet from {@code src} with the fuzzer's choice of every header field. */
    static byte[] ipv4(FuzzedDataProvider d, int proto, byte[] payload) {
        int ihl = d.consumeBoolean() ? 20 : 4 * d.consumeInt(0, 15);
        byte[] b = new byte[Math.max(ihl, 20) + payload.length];
        b[0] = (byte) (d.consumeBoolean() ? 0x40 | (ihl / 4) : d.consumeByte());
        b[1] = d.consumeByte();
        int tot = d.consumeBoolean() ? b.length : d.consumeInt(0, 65535);
        Bytes.put16(b, 2, tot);
        Bytes.put16(b, 4, d.consumeInt(0, 3)); // few ids: fragments of the same datagram meet
        int ff = 0;
        switch (d.consumeInt(0, 3)) {
            case 0: break;
            case 1: ff = 0x2000 | d.consumeInt(0, 8); break; // MF, near offsets
            case 2: ff = d.consumeInt(0, 8); break;          // last fragment
            default: ff = d.consumeInt(0, 0xffff); break;
        }
        Bytes.put16(b, 6, ff);
        b[8] = (byte) d.consumeInt(0, 255);
        b[9] = (byte) (d.consumeInt(0, 7) == 0 ? d.consumeInt(0, 255) : proto);
        int src = pick(d, PEER);
        int dst = pick(d, ADDR);
        Bytes.put32(b, 12, src);
        Bytes.put32(b, 16, dst);
        for (int i = 20; i < Math.max(ihl, 20); i++) {
            b[i] = d.consumeByte();
        }
        System.arraycopy(payload, 0, b, Math.max(ihl, 20), payload.length);
        if (d.consumeInt(0, 7) != 0) {
            Bytes.put16(b, 10, Checksum.of(b, 0, Math.min(Math.max(ihl, 20), b.length)));
        }
        return b;
    }

    private static int pick(FuzzedDataProvider d, int usual) {
        switch (d.consumeInt(0, 7)) {
            case 0: return d.consumeInt();
            case 1: return Ip4Addr.of(10, 0, 0, 255);
            case 2: return Ip4Addr.BROADCAST;
            case 3: return Ip4Addr.of(127, 0, 0, 1);
            default: return usual;
        }
    }

    /** Sends {@code packet} in, cut to a length the fuzzer chooses. */
    static void inject(TestStack t, FuzzedDataProvider d, byte[] packet) {
        int len = d.consumeInt(0, 7) == 0 ? d.consumeInt(0, packet.length) : packet.length;
        t.link.inject(packet, len);
        t.link.clear();
        if (d.consumeInt(0, 15) == 0) {
            t.advance(d.consumeInt(0, 20_000));
        }
    }

    /** Entry points for Jazzer's standalone driver ({@code make fuzz}): one class per target. */
    public static final class Ip4 {
        public static void fuzzerTestOneInput(FuzzedDataProvider d) {
            ip4(d);
        }
    }

    public static final class Udp4 {
        public static void fuzzerTestOneInput(FuzzedDataProvider d) {
            udp(d);
        }
    }

    public static final class Icmp4 {
        public static void fuzzerTestOneInput(FuzzedDataProvider d) {
            icmp(d);
        }
    }

    public static final class Slip {
        public static void fuzzerTestOneInput(FuzzedDataProvider d) {
            slip(d);
        }
    }

    /** IPv4 input with fragmentation and reassembly. */
    public static void ip4(FuzzedDataProvider d) {
        Rig r = new Rig(options(d));
        for (int n = 0; n < 64 && d.remainingBytes() > 0; n++) {
            byte[] payload = d.consumeBytes(d.consumeInt(0, 1600));
            inject(r.t, d, ipv4(d, 17, payload));
        }
        r.finish();
    }

    /** UDP input: lengths, checksums, ports, broadcasts, to an echo, a connected socket and closed ports. */
    public static void udp(FuzzedDataProvider d) {
        Rig r = new Rig(options(d));
        for (int n = 0; n < 64 && d.remainingBytes() > 0; n++) {
            byte[] data = d.consumeBytes(d.consumeInt(0, 1500));
            byte[] u = new byte[8 + data.length];
            Bytes.put16(u, 0, d.consumeBoolean() ? 5000 : d.consumeInt(0, 65535));
            Bytes.put16(u, 2, d.consumeInt(0, 3) == 0 ? d.consumeInt(0, 65535) : (d.consumeBoolean() ? 7 : 9));
            Bytes.put16(u, 4, d.consumeBoolean() ? u.length : d.consumeInt(0, 65535));
            System.arraycopy(data, 0, u, 8, data.length);
            switch (d.consumeInt(0, 2)) {
                case 0: break; // no checksum
                case 1:
                    long s = Checksum.addPseudoHeader(0, PEER, ADDR, 17, u.length);
                    int c = Checksum.finish(Checksum.add(s, u, 0, u.length));
                    Bytes.put16(u, 6, c == 0 ? 0xffff : c);
                    break;
                default: Bytes.put16(u, 6, d.consumeInt(0, 65535)); break;
            }
            inject(r.t, d, ipv4(d, 17, u));
        }
        r.finish();
    }

    /** ICMP input: echo of any size, every type and code, errors quoting mangled headers. */
    public static void icmp(FuzzedDataProvider d) {
        Rig r = new Rig(options(d));
        for (int n = 0; n < 64 && d.remainingBytes() > 0; n++) {
            byte[] rest = d.consumeBytes(d.consumeInt(0, 1500));
            byte[] m = new byte[4 + rest.length];
            m[0] = (byte) (d.consumeBoolean() ? 8 : d.consumeInt(0, 255));
            m[1] = d.consumeByte();
            System.arraycopy(rest, 0, m, 4, rest.length);
            if (d.consumeInt(0, 7) != 0) {
                Bytes.put16(m, 2, Checksum.of(m, 0, m.length));
            }
            inject(r.t, d, ipv4(d, 1, m));
        }
        r.finish();
    }

    /** The SLIP decoder under any chunking of any bytes, frames delivered to a stack. */
    public static void slip(FuzzedDataProvider d) {
        TestStack t = new TestStack(options(d), 1006);
        SlipCodec c = new SlipCodec(d.consumeBoolean() ? 1006 : d.consumeInt(20, 1500));
        c.attach(t.netif);
        while (d.remainingBytes() > 0) {
            byte[] chunk = d.consumeBytes(d.consumeInt(1, 2048));
            c.decode(chunk, 0, chunk.length);
            t.link.clear();
        }
        // and what we encode decodes to itself
        Pbuf p = t.stack.pbufPool().alloc(0, 100);
        if (p != null) {
            byte[] pkt = new byte[100];
            pkt[0] = 0x45;
            p.copyIn(0, pkt, 0, 100);
            byte[] wire = new byte[SlipCodec.maxEncodedLength(1006)];
            int n = c.encode(p, wire, 0);
            PbufPool.free(p);
            if (n < 0 && c.mtu() >= 100) {
                throw new AssertionError("encode failed: " + n);
            }
        }
        t.advance(120_000);
        t.link.clear();
        if (!t.stack.stats().allPoolsFull()) {
            throw new AssertionError("pools not full: " + t.stack.stats().poolsNotFull());
        }
    }
}
