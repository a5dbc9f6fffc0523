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
 * TCP bulk transfer between two stacks in one JVM. One operation is one round of the wire: the sender
 * fills its send buffer and everything in flight is delivered both ways (with 64 KiB windows about 45
 * full-sized data segments and their ACKs; the in-memory wire delivers all that is queued at once, so a
 * round is the smallest unit of progress). The {@code bytes} and {@code segments} counters (JMH secondary
 * results, per second like the primary) give the payload rate (MB/s) and the segments per operation, from
 * which the harness converts {@code gc.alloc.rate.norm} (bytes per op) to bytes per segment. Options:
 * {@link BenchOptions#tcp()} (overridable with {@code JWIP_BENCH_TCP_OPTS}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TcpBulkBench {
    @Param({"client-to-server", "server-to-client"})
    public String direction;

    private BulkPair pair;

    /** Payload bytes delivered, and segments sent by both stacks (data one way, ACKs the other), per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counters {
        public long segments;
        public long bytes;

        @Setup(Level.Iteration)
        public void reset() {
            segments = 0;
            bytes = 0;
        }
    }

    @Setup(Level.Trial)
    public void setup() throws Exception {
        JwipOptions o = BenchOptions.tcp();
        pair = new BulkPair(o, direction.equals("server-to-client"));
        pair.move(1L << 24); // slow start and first compilation out of the way
    }

    @Benchmark
    public long stream(Counters c) {
        long before = pair.received();
        long n = pair.move(1);
        c.segments += n;
        c.bytes += pair.received() - before;
        return n;
    }
}
