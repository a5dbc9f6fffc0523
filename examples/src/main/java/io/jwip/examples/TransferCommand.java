package io.jwip.examples;

import io.jwip.JwipOptions;
import io.jwip.examples.cli.Args;
import io.jwip.examples.cli.Command;
import io.jwip.examples.cli.StackConfig;
import io.jwip.examples.cli.UsageException;
import io.jwip.netif.mem.Faults;

import java.io.PrintStream;

/** {@code transfer}: bulk TCP between two stacks in one JVM, verified, with throughput and allocation. */
final class TransferCommand implements Command {
    /** Fewer segments than this after the warm-up say nothing about allocation per segment. */
    static final int MIN_MEASURED_SEGMENTS = 100;

    @Override
    public String name() {
        return "transfer";
    }

    @Override
    public String summary() {
        return "bulk TCP transfer between two stacks in one JVM (optionally over a faulty link), verified";
    }

    @Override
    public Args options() {
        Args a = new Args();
        a.option("bytes", "N", "bytes to transfer (k, M, G suffixes allowed; default 100M)");
        a.option("api", "raw|socket", "raw: the callback API on one thread with a virtual clock (default);"
                + " socket: blocking sockets, a sender and a receiver thread and a stack thread, real time");
        a.option("checksum", "skip|compute", "skip (default): the in-memory wire cannot corrupt, so no checksum is"
                + " computed or verified, as on Linux's loopback; compute: every checksum, as on a real link");
        a.option("loss", "P", "probability a frame is lost (0..0.5)");
        a.option("dup", "P", "probability a frame is duplicated (0..0.5)");
        a.option("reorder", "P", "probability a frame is held back and overtaken (0..0.5)");
        a.option("delay", "MS", "one-way delay of the wire in (virtual) ms");
        a.option("seed", "S", "seed of the fault generator (default 1)");
        a.option("warmup", "N", "bytes before the allocation measurement starts (default 10% of --bytes)");
        a.flag("quiet", "no progress lines");
        return StackConfig.declare(a, BulkTransfer.defaults());
    }

    @Override
    public String details() {
        return "With --api raw protocol time is virtual (timeouts cost no wall time); throughput is wall time.\n"
                + "With --api socket everything is real time (--delay and --reorder need the virtual clock).\n"
                + "Every byte is checked; the exit code is 0 only if all arrived intact and every pool is back to full.\n"
                + "example: transfer --bytes 1G --mss 1460 --wnd 65535 --snd-buf 65535\n"
                + "         transfer --bytes 1G --api socket\n"
                + "         transfer --bytes 10M --loss 0.05 --seed 7\n";
    }

    @Override
    public int run(Args args, PrintStream out) throws Exception {
        if (!args.positional().isEmpty()) {
            throw new UsageException("unexpected argument " + args.positional().get(0));
        }
        long bytes = args.getLong("bytes", 100_000_000L, 1, Long.MAX_VALUE / 2);
        Faults f = Faults.none()
                .loss(args.getDouble("loss", 0, 0, 0.5))
                .duplicate(args.getDouble("dup", 0, 0, 0.5))
                .reorder(args.getDouble("reorder", 0, 0, 0.5))
                .delayMs(args.getLong("delay", 0, 0, 10_000))
                .seed(args.getLong("seed", 1, Long.MIN_VALUE, Long.MAX_VALUE));
        String bad = f.validate();
        if (bad != null) {
            throw new UsageException(bad);
        }
        long warmup = args.getLong("warmup", bytes / 10, 0, bytes);
        String api = args.get("api", "raw");
        if (!api.equals("raw") && !api.equals("socket")) {
            throw new UsageException("--api must be raw or socket, not " + api);
        }
        boolean socket = api.equals("socket");
        if (socket && (f.delayMs > 0 || f.reorder > 0)) {
            throw new UsageException("--delay and --reorder need the virtual clock of --api raw");
        }
        String csum = args.get("checksum", "skip");
        if (!csum.equals("skip") && !csum.equals("compute")) {
            throw new UsageException("--checksum must be skip or compute, not " + csum);
        }
        boolean compute = csum.equals("compute");
        JwipOptions o = StackConfig.apply(args, BulkTransfer.defaults());
        out.printf("transfer: %,d bytes, api %s, mss %d, wnd %d, snd-buf %d, pbufs %d, checksums %s%s%n", bytes, api,
                o.tcpMss, o.tcpWnd, o.tcpSndBuf, o.pbufs, compute ? "computed" : "skipped (in-memory wire)",
                f.isNone() ? "" : ", faults " + f);
        boolean quiet = args.has("quiet");
        BulkTransfer.Progress progress = quiet ? null : (got, total, s) ->
                out.printf("  %,d / %,d bytes (%.0f%%) %.1f MB/s%n", got, total, 100.0 * got / total, got / 1e6 / s);
        BulkTransfer.Result r = socket ? new SocketTransfer(o, f).checksums(compute).run(bytes, warmup, progress)
                : new BulkTransfer(o, f).checksums(compute).run(bytes, warmup, progress);
        out.printf("received %,d bytes in %.3f s: %.1f MB/s (%.2f Gbit/s)%n", r.received, r.seconds, r.mbPerSecond(),
                r.mbPerSecond() * 8 / 1000);
        if (socket) {
            out.printf("segments: %,d sent, %,d received; retransmissions: %,d%n", r.segmentsSent, r.segmentsReceived,
                    r.retransmissions);
            out.printf("allocated after warm-up: %,d bytes (sender %,d, receiver %,d, stack thread %,d) over %,d segments%n",
                    r.allocatedBytes, r.windowBytes[0], r.windowBytes[1], r.windowBytes[2], r.measuredSegments);
        } else {
            out.printf("segments: %,d sent, %,d received; retransmissions: %,d%n", r.segmentsSent,
                    r.segmentsReceived, r.retransmissions);
            if (r.dataVirtualMs >= 0) {
                out.printf("virtual time to the last byte: %,d ms%s; close and TIME_WAIT: %,d ms more%n", r.dataVirtualMs,
                        r.dataVirtualMs > 0 ? String.format(" (%.2f MB/s in protocol time%s)", r.received / 1e3 / r.dataVirtualMs,
                                f.isNone() ? "" : ": the figure that counts under faults") : "",
                        r.virtualMs - r.dataVirtualMs);
            }
            if (r.measuredSegments < MIN_MEASURED_SEGMENTS) {
                out.printf("allocated after warm-up: not measured (only %,d segments after the warm-up; use --bytes 1M or more)%n",
                        r.measuredSegments);
            } else {
                out.printf("allocated after warm-up: %,d bytes over %,d segments in %d windows %s%n", r.allocatedBytes,
                        r.measuredSegments, BulkTransfer.WINDOWS, java.util.Arrays.toString(r.windowBytes));
                out.printf("bytes allocated per segment: %s (median window)%n", fmt(r.medianWindowPerSegment()));
            }
        }
        out.println("verified: " + (r.verified ? "yes, byte-exact" : "NO" + (r.mismatchAt >= 0 ? " (first mismatch at byte "
                + r.mismatchAt + ")" : "")));
        out.println("pools back to full: " + (r.poolsFull ? "yes" : "NO"));
        if (r.error != null) {
            out.println("error: " + r.error);
        }
        return r.verified && r.poolsFull && r.error == null ? 0 : 1;
    }

    private static String fmt(double v) {
        return v == 0 ? "0" : String.format("%.3f", v);
    }
}
