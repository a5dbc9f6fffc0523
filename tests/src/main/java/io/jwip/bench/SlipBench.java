package io.jwip.bench;

import io.jwip.buf.Pbuf;
import io.jwip.buf.PbufPool;
import io.jwip.netif.LinkUpper;
import io.jwip.slip.SlipCodec;
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
 * SLIP (RFC 1055) framing of one {@link #PACKET}-byte IPv4 packet with random payload (so about 1 byte in
 * 128 is escaped, as on a real line): encode from a pbuf into an array, and decode that array back into a
 * pool buffer handed to a sink. The harness reports MB/s of packet bytes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SlipBench implements LinkUpper {
    public static final int PACKET = 1500;

    private final PbufPool pool = new PbufPool("BENCH", 4, 2048);
    private SlipCodec codec;
    private Pbuf packet;
    private byte[] line;
    private int encodedLength;
    private long frames;

    @Setup
    public void setup() {
        codec = new SlipCodec(PACKET);
        codec.attach(this);
        packet = pool.alloc(0, PACKET);
        SplittableRandom r = new SplittableRandom(42);
        for (int i = 0; i < PACKET; i++) {
            packet.buf[packet.offset() + i] = (byte) r.nextInt(256);
        }
        new Ip4Header().wrap(packet.buf, packet.offset()).versionIhl(4, 20).tos(0).totalLength(PACKET)
                .identification(1).flagsFragment(0).ttl(64).protocol(Ip4Header.PROTO_UDP)
                .source(0x0a000001).destination(0x0a000002).fillChecksum();
        line = new byte[SlipCodec.maxEncodedLength(PACKET)];
        encodedLength = codec.encode(packet, line, 0);
        if (decode() != 1) {
            throw new IllegalStateException("the encoded frame does not decode");
        }
    }

    @Override
    public Pbuf allocInput(int len) {
        return pool.alloc(0, len);
    }

    @Override

    public void input(Pbuf p, int checksumsVerified) {

        input(p);

    }


    @Override
    public void input(Pbuf p) {
        frames++;
        PbufPool.free(p);
    }

    @Override
    public void drop(int reason) {
    }

    @Override
    public void linkDown(String reason) {
    }

    @Benchmark
    public int encode() {
        return codec.encode(packet, line, 0);
    }

    @Benchmark
    public int decode() {
        return codec.decode(line, 0, encodedLength);
    }
}
