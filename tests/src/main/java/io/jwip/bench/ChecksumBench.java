package io.jwip.bench;

import io.jwip.wire.Checksum;
import io.jwip.wire.Ip4Header;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The Internet checksum (RFC 1071) as the stack uses it for a full-sized TCP packet: the IPv4 header's
 * (20 bytes) and the TCP segment's over pseudo header, 20-byte TCP header and 1460 bytes of payload. One
 * operation is one packet, so MB/s = ops/s x 1500 bytes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ChecksumBench {
    public static final int PACKET = 1500;
    private final byte[] pkt = new byte[PACKET];
    private final Ip4Header ip = new Ip4Header();

    @Setup
    public void setup() {
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < PACKET; i++) {
            pkt[i] = (byte) r.nextInt(256);
        }
        ip.wrap(pkt, 0).versionIhl(4, 20).totalLength(PACKET).flagsFragment(Ip4Header.FLAG_DF).ttl(64)
                .protocol(Ip4Header.PROTO_TCP).source(0x0a000001).destination(0x0a000002);
    }

    /** IPv4 header checksum and TCP checksum of one 1500-byte packet. */
    @Benchmark
    public int ipv4AndTcp() {
        ip.checksum(0).fillChecksum();
        long sum = Checksum.addPseudoHeader(0, 0x0a000001, 0x0a000002, Ip4Header.PROTO_TCP, PACKET - 20);
        sum = Checksum.add(sum, pkt, 20, PACKET - 20);
        return Checksum.finish(sum) + ip.checksum();
    }
}
