package io.jwip.bench;

import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.util.Collection;
import java.util.Properties;

/**
 * The JMH part: every {@code *Bench} class in this package, run programmatically with the GC profiler
 * ({@code -prof gc}). Iterations from the environment: {@code BENCH_JMH_WARMUP} (3), {@code BENCH_JMH_ITER}
 * (5), {@code BENCH_JMH_TIME} (seconds per iteration, 2), {@code BENCH_JMH_FORKS} (1), extra JVM options of
 * the forks {@code BENCH_JMH_JVM_ARGS}, {@code BENCH_JMH_INCLUDE} (a regex of benchmarks) and
 * {@code BENCH_JMH_PROF} (more JMH profilers, e.g. {@code stack} to see where the time goes).
 *
 * <p>Figures: ops/s and its error, MB/s (ops/s x bytes per op), {@code gc.alloc.rate.norm} (bytes per op)
 * and, for TCP, segments per op and bytes per segment.
 */
final class JmhPart {
    /**
     * Allocation per op (per segment for TCP, the goal's unit) at or above this is flagged. JMH's own
     * bookkeeping (a few KB per iteration, measured over every thread of the fork) spread over an
     * iteration's hundreds of thousands of operations or segments stays far below it; one 16-byte object
     * per 160 operations (or segments) reaches it.
     */
    static final double ALLOC_NOISE = 0.1;

    private JmhPart() {}

    static void run(Properties r) throws Exception {
        int warmup = Env.integer("BENCH_JMH_WARMUP", 3);
        int iter = Env.integer("BENCH_JMH_ITER", 5);
        int time = Env.integer("BENCH_JMH_TIME", 2);
        int forks = Env.integer("BENCH_JMH_FORKS", 1);
        String include = Env.string("BENCH_JMH_INCLUDE", "io\\.jwip\\.bench\\..*Bench\\..*");
        String jvmArgs = Env.string("BENCH_JMH_JVM_ARGS", "");
        ChainedOptionsBuilder ob = new OptionsBuilder()
                .include(include)
                .warmupIterations(warmup).warmupTime(TimeValue.seconds(time))
                .measurementIterations(iter).measurementTime(TimeValue.seconds(time))
                .forks(forks)
                .addProfiler(GCProfiler.class)
                .shouldFailOnError(true)
                .verbosity(VerboseMode.NORMAL);
        if (!jvmArgs.isBlank()) {
            ob.jvmArgsAppend(jvmArgs.trim().split("\\s+"));
        }
        String prof = Env.string("BENCH_JMH_PROF", "");
        for (String p : prof.split("[,\\s]+")) {
            if (!p.isEmpty()) {
                ob.addProfiler(p); // e.g. "stack": where the time goes, printed with each benchmark's result
            }
        }
        r.setProperty("config", String.format("%d warm-up x %d s, %d measurement x %d s, %d fork(s), -prof gc%s%s",
                warmup, time, iter, time, forks, prof.isBlank() ? "" : ", -prof " + prof,
                jvmArgs.isBlank() ? "" : ", JVM options " + jvmArgs));
        r.setProperty("tcp.options", BenchOptions.describe(BenchOptions.tcp()));
        Collection<RunResult> results = new Runner(ob.build()).run();
        if (results.isEmpty()) {
            throw new BenchException("JMH ran no benchmark (BENCH_JMH_INCLUDE=" + include + " matches none?)");
        }
        StringBuilder keys = new StringBuilder();
        for (RunResult rr : results) {
            String name = rr.getParams().getBenchmark();
            String shortName = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
            String key = key(shortName, rr.getParams().getParam("direction"));
            Result primary = rr.getPrimaryResult();
            double ops = primary.getScore();
            double err = primary.getScoreError();
            Result norm = rr.getSecondaryResults().get("gc.alloc.rate.norm");
            double bytesPerOp = bytesPerOp(shortName);
            keys.append(keys.length() == 0 ? "" : ",").append(key);
            r.setProperty(key + ".name", shortName + (rr.getParams().getParam("direction") == null ? ""
                    : " (" + rr.getParams().getParam("direction") + ")"));
            r.setProperty(key + ".ops", fmt(ops));
            r.setProperty(key + ".err", fmt(Double.isNaN(err) ? 0 : err));
            r.setProperty(key + ".bytesPerOp", fmt(bytesPerOp));
            Result bytes = rr.getSecondaryResults().get("bytes");
            r.setProperty(key + ".mbps", fmt(bytes != null ? bytes.getScore() / 1e6 : ops * bytesPerOp / 1e6));
            r.setProperty(key + ".allocPerOp", norm == null ? "NaN" : fmt(norm.getScore()));
            Result segs = rr.getSecondaryResults().get("segments");
            if (segs != null && ops > 0) {
                double segPerOp = segs.getScore() / ops;
                r.setProperty(key + ".segPerOp", fmt(segPerOp));
                if (norm != null) {
                    r.setProperty(key + ".allocPerSeg", fmt(norm.getScore() / segPerOp));
                }
            }
        }
        r.setProperty("keys", keys.toString());
        r.setProperty("noise", String.valueOf(ALLOC_NOISE));
    }

    static String key(String shortName, String direction) {
        return switch (shortName) {
            case "TcpBulkBench.stream" -> "tcp." + direction;
            case "UdpEchoBench.roundTrip" -> "udp.echo";
            case "SlipBench.encode" -> "slip.encode";
            case "SlipBench.decode" -> "slip.decode";
            case "ChecksumBench.ipv4AndTcp" -> "checksum";
            default -> shortName + (direction == null ? "" : "." + direction);
        };
    }

    /** Payload bytes one operation moves, for MB/s (0: not a byte-rate benchmark). */
    static double bytesPerOp(String shortName) {
        return switch (shortName) {
            case "SlipBench.encode", "SlipBench.decode" -> SlipBench.PACKET;
            case "ChecksumBench.ipv4AndTcp" -> ChecksumBench.PACKET;
            default -> 0;
        };
    }

    static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.4f", v);
    }
}
