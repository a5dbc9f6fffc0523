package io.jwip.bench;

import io.jwip.JwipOptions;
import io.jwip.examples.BulkTransfer;
import io.jwip.examples.cli.Args;
import io.jwip.examples.cli.StackConfig;
import io.jwip.examples.cli.UsageException;

/**
 * The configuration the JMH benchmarks run with, overridable with the command line's config options in
 * {@code JWIP_BENCH_TCP_OPTS} (so new options, such as window scaling, can be benchmarked without a change
 * here). The TUN part runs {@code java -jar jwip.jar serve} with its own flags and profiles.
 */
public final class BenchOptions {
    private BenchOptions() {}

    /** Bulk configuration: MSS 1460, 64 KiB windows, 256 buffers and segments (as {@code transfer}). */
    public static JwipOptions bulk() {
        return BulkTransfer.defaults();
    }

    public static JwipOptions tcp() throws UsageException {
        return apply(bulk(), System.getenv("JWIP_BENCH_TCP_OPTS"));
    }

    /** Applies command-line config options ("--wnd 131072 --mss 1460") to {@code o}. */
    public static JwipOptions apply(JwipOptions o, String opts) throws UsageException {
        if (opts == null || opts.isBlank()) {
            return o;
        }
        Args a = StackConfig.declare(new Args()).parse(opts.trim().split("\\s+"), 0);
        return StackConfig.apply(a, o);
    }

    /** The options that matter for throughput, for the report. */
    public static String describe(JwipOptions o) {
        return "MSS " + o.tcpMss + ", wnd " + o.tcpWnd + ", snd-buf " + o.tcpSndBuf + ", pbufs " + o.pbufs + " x "
                + o.pbufSize + " B, tcp-segs " + o.tcpSegs + ", pcbs " + o.tcpPcbs + ", TIME_WAIT cap " + o.tcpTimeWait;
    }
}
