package io.jwip.bench;

import io.jwip.JwipOptions;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * TCP bulk transfer between two stacks in one JVM. One operation streams {@link #CHUNK} bytes; the
 * {@code segments} counter (JMH secondary result, per second like the primary) gives the segments per
 * operation, so the harness converts ops/s to MB/s and {@code gc.alloc.rate.norm} (bytes per op) to bytes
 * per segment. Options: {@link BenchOptions#tcp()} (overridable with {@code JWIP_BENCH_TCP_OPTS}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TcpBulkBench {
    /** Bytes streamed per operation. */
    public static final int CHUNK = 256 * 1024;

    @Param({"client-to-server", "server-to-client"})
    public String direction;

    private BulkPair pair;

    /** Segments sent by both stacks (data one way, ACKs the other), reported per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Segments {
        public long segments;

        @Setup(Level.Iteration)
        public void reset() {
            segments = 0;
        }
    }

    @Setup(Level.Trial)
    public void setup() throws Exception {
        JwipOptions o = BenchOptions.tcp();
        pair = new BulkPair(o, direction.equals("server-to-client"));
        pair.move(8L * CHUNK); // slow start and first compilation out of the way
    }

    @Benchmark
    public long stream(Segments s) {
        long n = pair.move(CHUNK);
        s.segments += n;
        return n;
    }
}
