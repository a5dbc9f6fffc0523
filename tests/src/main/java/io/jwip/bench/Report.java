package io.jwip.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;

/**
 * Writes {@code report.md} from the parts' result files: each figure beside its configuration and machine,
 * and a table of the goals with PASS/FAIL (or "not run").
 */
final class Report {
    // The goals.
    static final double GOAL_INPROC_GBIT = 8.0;
    static final double GOAL_BUDGET_FACTOR = 1.5;

    private Report() {}

    static void write(Path dir, Set<String> ran, double totalSeconds) throws IOException {
        Properties jmh = BenchMain.load(dir.resolve("jmh.properties"));
        Properties budget = BenchMain.load(dir.resolve("budget.properties"));
        Properties soak = BenchMain.load(dir.resolve("soak.properties"));
        Properties tun = BenchMain.load(dir.resolve("tun.properties"));
        StringBuilder md = new StringBuilder();
        md.append("# jwip benchmark report\n\n");
        md.append("Written by `make bench` (`io.jwip.bench.BenchMain`). This run: ").append(ran.isEmpty() ? "report only"
                : String.join(", ", ran)).append(String.format(Locale.ROOT, " in %.0f s (%d:%02d). ", totalSeconds,
                (long) totalSeconds / 60, (long) totalSeconds % 60))
                .append("Parts not run now keep their figures from an earlier run (see each part's date and machine).\n\n");
        md.append("| part | status | date | duration | machine |\n|---|---|---|---|---|\n");
        for (String p : BenchMain.ALL) {
            Properties r = switch (p) {
                case "jmh" -> jmh;
                case "budget" -> budget;
                case "soak" -> soak;
                default -> tun;
            };
            md.append("| ").append(p).append(" | ").append(r.getProperty("status", "not run"))
                    .append(r.getProperty("error") == null ? "" : ": " + esc(r.getProperty("error"))).append(" | ")
                    .append(r.getProperty("date", "")).append(" | ").append(r.getProperty("seconds", "")).append(r.getProperty("seconds") == null ? "" : " s")
                    .append(" | ").append(r.getProperty("machine.cpu") == null ? "" : Machine.describe(r)).append(" |\n");
        }

        md.append("\n## Goals (allocation, memory and soak; TUN and in-process throughput as ratios to same-run "
                + "references)\n\n| goal | target | measured | verdict |\n|---|---|---|---|\n");
        goals(md, jmh, budget, soak, tun);

        md.append("\n## 1. JMH (in-process, `-prof gc`)\n\n");
        if (ok(jmh)) {
            md.append("Settings: ").append(jmh.getProperty("config")).append(". TCP stack options: ")
                    .append(jmh.getProperty("tcp.options")).append(". One TCP op is one round of "
                    + "the in-memory wire between two stacks on one thread (the sender fills its send buffer, everything in "
                    + "flight is delivered both ways: both stacks' work); payload bytes and segments (data and ACKs of both "
                    + "stacks) are counted by the benchmark, giving MB/s and bytes per segment. A figure of "
                            + "gc.alloc.rate.norm (bytes allocated per op, all threads of the fork; for TCP per segment) under ").append(JmhPart.ALLOC_NOISE)
                    .append(" B/op is JMH's own bookkeeping (a few KB per iteration) spread over the iteration's "
                            + "hundreds of thousands of ops and counts as 0 (one 16-byte object per 160 ops would reach it); "
                            + "anything at or above is FLAGGED.\n\n");
            md.append("| benchmark | ops/s | ± | MB/s | Gbit/s | B/op (gc.alloc.rate.norm) | segments/op | B/segment | alloc |\n");
            md.append("|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
            for (String k : jmh.getProperty("keys", "").split(",")) {
                if (k.isEmpty()) {
                    continue;
                }
                double mbps = d(jmh, k + ".mbps");
                double alloc = d(jmh, k + ".allocPerOp");
                double judged = jmh.getProperty(k + ".allocPerSeg") != null ? d(jmh, k + ".allocPerSeg") : alloc;
                md.append("| ").append(jmh.getProperty(k + ".name")).append(" | ").append(f0(d(jmh, k + ".ops"))).append(" | ")
                        .append(f0(d(jmh, k + ".err"))).append(" | ").append(mbps > 0 ? f1(mbps) : "").append(" | ")
                        .append(mbps > 0 ? f2(mbps * 8 / 1000) : "").append(" | ").append(f3(alloc)).append(" | ")
                        .append(jmh.getProperty(k + ".segPerOp") == null ? "" : f1(d(jmh, k + ".segPerOp"))).append(" | ")
                        .append(jmh.getProperty(k + ".allocPerSeg") == null ? "" : f3(d(jmh, k + ".allocPerSeg"))).append(" | ")
                        .append(Double.isNaN(judged) ? "?" : judged < JmhPart.ALLOC_NOISE ? "0" : "**FLAGGED: allocates**").append(" |\n");
            }
            md.append("\nUDP echo: one op is one 64-byte datagram from stack a to the echo service on stack b and back. "
                    + "SLIP: one op encodes (or decodes) one 1500-byte IPv4 packet with random payload. Checksum: one op is "
                    + "the IPv4 header checksum plus the TCP checksum (pseudo header, 20-byte header, 1460 bytes) of a 1500-byte packet.\n");
        } else {
            md.append(notRun(jmh));
        }

        md.append("\n## 2. Memory budget (JOL)\n\n");
        if (ok(budget)) {
            md.append("Computed: sum over pools of entries x retained bytes of one live entry (plus the TIME_WAIT table). "
                    + "Measured: retained heap of a whole started `Stack` with TCP (`GraphLayout.parseInstance(stack)`). "
                    + "lwIP reference: 15.9 KB (15,900 bytes) of static RAM for its opt.h defaults on x86-64; goal: "
                    + "measured <= 1.5 x that = 23,850 bytes.\n\n");
            md.append("| configuration | options | computed (B) | measured (B) | per connection (B) | per TIME_WAIT entry (B) | vs lwIP |\n");
            md.append("|---|---|---:|---:|---:|---:|---|\n");
            for (String c : BudgetPart.CONFIGS) {
                long meas = l(budget, c + ".measured");
                md.append("| ").append(BudgetPart.title(c)).append(" | ").append(budget.getProperty(c + ".config")).append(" | ")
                        .append(String.format("%,d", l(budget, c + ".computed"))).append(" | ").append(String.format("%,d", meas))
                        .append(" | ").append(budget.getProperty(c + ".perConnection")).append(" | ")
                        .append(budget.getProperty(c + ".perTimeWait")).append(" | ")
                        .append(c.equals("lwip") ? String.format(Locale.ROOT, "%.2f x", meas / (double) BudgetPart.LWIP_RAM) : "")
                        .append(" |\n");
            }
            md.append("\nPools of each configuration:\n\n");
            for (String c : BudgetPart.CONFIGS) {
                md.append("- **").append(BudgetPart.title(c)).append("**: ");
                String lines = budget.getProperty(c + ".lines", "");
                boolean first = true;
                for (String line : lines.split(";")) {
                    String[] f = line.split(":");
                    if (f.length == 4) {
                        md.append(first ? "" : ", ").append(f[0]).append(" ").append(f[1]).append(" x ").append(f[2])
                                .append(" = ").append(f[3]);
                        first = false;
                    }
                }
                md.append("\n");
            }
            md.append("\n![memory budget](memory.png)\n\n![small configurations and lwIP](memory-small.png)\n");
        } else {
            md.append(notRun(budget));
        }

        md.append("\n## 3. Epsilon soak\n\n");
        if (soak.getProperty("command") != null) {
            md.append("`").append(soak.getProperty("command")).append("`\n\n");
            md.append("| completed | exit code | wall time | heap used at exit | throughput | allocation per segment | verified |\n");
            md.append("|---|---|---:|---|---|---|---|\n");
            md.append("| ").append(soak.getProperty("completed")).append(" | ").append(soak.getProperty("exitCode")).append(" | ")
                    .append(soak.getProperty("wallSeconds")).append(" s | ").append(soak.getProperty("heapUsedAtExit")).append(" of ")
                    .append(soak.getProperty("heap")).append(" | ").append(soak.getProperty("throughput", "")).append(" | ")
                    .append(soak.getProperty("allocPerSegment", "")).append(" | ").append(soak.getProperty("verified", ""))
                    .append(" |\n");
        } else {
            md.append(notRun(soak));
        }

        md.append("\n## 4. TUN: `jwip serve` as a user runs it, beside same-run references\n\n");
        if (tun.getProperty("configs") != null) {
            tunSection(md, tun);
        } else {
            md.append(notRun(tun));
        }
        md.append("\n## Charts\n\n![throughput](throughput.png)\n");
        Files.writeString(dir.resolve("report.md"), md.toString());
        Charts.write(dir, jmh, budget, tun);
    }

    private static void goals(StringBuilder md, Properties jmh, Properties budget, Properties soak, Properties tun) {
        // 0 bytes per op
        if (ok(jmh)) {
            double worst = 0;
            String worstName = "";
            for (String k : jmh.getProperty("keys", "").split(",")) {
                double a = jmh.getProperty(k + ".allocPerSeg") != null ? d(jmh, k + ".allocPerSeg") : d(jmh, k + ".allocPerOp");
                if (!Double.isNaN(a) && a >= worst) {
                    worst = a;
                    worstName = jmh.getProperty(k + ".name");
                }
            }
            row(md, "0 bytes allocated per operation, per segment for TCP (JMH)", "0 (JMH figure < " + JmhPart.ALLOC_NOISE + ")",
                    "worst " + f3(worst) + " B/" + (worstName.startsWith("TcpBulk") ? "segment" : "op") + " (" + worstName + ")", worst < JmhPart.ALLOC_NOISE);
            for (String dir : new String[] {"client-to-server", "server-to-client"}) {
                String k = "tcp." + dir;
                if (jmh.getProperty(k + ".mbps") != null) {
                    double g = d(jmh, k + ".mbps") * 8 / 1000;
                    row(md, "in-process TCP bulk, MSS 1460, " + dir, ">= " + GOAL_INPROC_GBIT + " Gbit/s", f2(g) + " Gbit/s ("
                            + f0(d(jmh, k + ".mbps")) + " MB/s)", g >= GOAL_INPROC_GBIT);
                }
            }
        } else {
            md.append("| JMH goals (0 B/op, 8 Gbit/s in-process) | | not run | - |\n");
        }
        if (ok(budget)) {
            long m = l(budget, "lwip.measured");
            double lim = GOAL_BUDGET_FACTOR * BudgetPart.LWIP_RAM;
            row(md, "\"lwIP default\" retained heap", "<= 1.5 x 15,900 B = " + String.format("%,.0f", lim) + " B",
                    String.format("%,d B (%.2f x lwIP)", m, m / (double) BudgetPart.LWIP_RAM), m <= lim);
        } else {
            md.append("| \"lwIP default\" retained heap | <= 23,850 B | not run | - |\n");
        }
        if (soak.getProperty("completed") != null) {
            row(md, "Epsilon soak (4 GB, -Xmx32m) completes", "completes", "exit " + soak.getProperty("exitCode") + ", "
                    + soak.getProperty("wallSeconds") + " s, heap used " + soak.getProperty("heapUsedAtExit"),
                    Boolean.parseBoolean(soak.getProperty("completed")));
        } else {
            md.append("| Epsilon soak completes | completes | not run | - |\n");
        }
        if (tun.getProperty("configs") != null) {
            tunGoals(md, tun);
        } else {
            md.append("| TUN and in-process goals | | not run").append(tun.getProperty("error") == null ? ""
                    : ": " + esc(tun.getProperty("error"))).append(" | - |\n");
        }
    }

    // ------------------------------------------------------------------ TUN

    static final double GOAL_PING_RATIO = 0.65;
    static final double GOAL_RX_RATIO = 1.1;
    static final double GOAL_TX_RATIO = 1.5;
    static final double GOAL_CHURN_RATIO = 1.1;
    static final double GOAL_IDLE_PERCENT = 1.0;
    static final double GOAL_SOCKET_RATIO = 0.5;
    static final double GOAL_INPROC_RATIO = 2.0;
    static final double GOAL_OFFLOAD_RATIO = 2.0;

    private static void ratioRow(StringBuilder md, Properties tun, String goal, String config, String key, String refName,
            double target, boolean atMost, String unit, double scale) {
        String k = config + "." + key;
        double q = d(tun, k + ".ratio");
        String measured = Double.isNaN(q) ? "not measured" : String.format(Locale.ROOT, "%.2f x (medians: %s %s against %s %s)",
                q, f1(d(tun, k) * scale), unit, refName, f1(d(tun, k + ".ref") * scale) + " " + unit);
        row(md, goal, (atMost ? "<= " : ">= ") + target + " x " + refName, measured,
                !Double.isNaN(q) && (atMost ? q <= target : q >= target));
    }

    private static void tunGoals(StringBuilder md, Properties tun) {
        String best = tun.getProperty("configs", "").contains("server") ? "server" : "default";
        String t = tun.getProperty(best + ".title", best);
        ratioRow(md, tun, "ping median over TUN, " + t, best, "ping.medianUs", "the relay", GOAL_PING_RATIO, true, "us", 1);
        ratioRow(md, tun, "Linux -> jwip (iperf to discard), " + t, best, "rx.mbps", "the relay", GOAL_RX_RATIO, false,
                "Mbit/s", 8);
        ratioRow(md, tun, "jwip -> Linux (chargen), " + t, best, "tx.mbps", "the relay", GOAL_TX_RATIO, false, "Mbit/s", 8);
        for (String c : new String[] {"default", best}) {
            double failed = d(tun, c + ".churn.failed");
            double q = d(tun, c + ".churn.rps.ratio");
            row(md, "short HTTP connections, sequential client, jwip closes first, TIME_WAIT cap 8, "
                    + tun.getProperty(c + ".title", c), ">= " + GOAL_CHURN_RATIO + " x the kernel over veth, 0 failures",
                    Double.isNaN(q) ? "not measured" : String.format(Locale.ROOT, "%.2f x (medians: %s/s against %s/s), %s failures",
                            q, f0(d(tun, c + ".churn.rps")), f0(d(tun, c + ".churn.rps.ref")), f0(failed)),
                    !Double.isNaN(q) && q >= GOAL_CHURN_RATIO && failed == 0);
            if (c.equals(best)) {
                break;
            }
        }
        for (String c : new String[] {"default", "server"}) {
            double pct = d(tun, c + ".idle.cpuPercent");
            if (!Double.isNaN(pct)) {
                row(md, "idle: " + tun.getProperty(c + ".title", c) + " with 16 idle connections, 10 s", "< " + f0(GOAL_IDLE_PERCENT)
                        + " % of a core", f2(pct) + " % of a core", pct < GOAL_IDLE_PERCENT);
            }
        }
        double sq = d(tun, "transfer.socket.vsRaw.ratio");
        row(md, "`transfer --api socket` beside `--api raw`", ">= " + GOAL_SOCKET_RATIO + " x raw", Double.isNaN(sq) ? "not measured"
                : String.format(Locale.ROOT, "%.2f x (medians: %s MB/s against %s MB/s)", sq, f0(d(tun, "transfer.socket.mbps")),
                        f0(d(tun, "transfer.raw.mbps"))), !Double.isNaN(sq) && sq >= GOAL_SOCKET_RATIO);
        double iq = d(tun, "transfer.raw.vsLoopback.ratio");
        row(md, "in-process `transfer --mss 1460` beside the kernel's loopback (iperf3 over 127.0.0.1)", ">= " + GOAL_INPROC_RATIO
                + " x", Double.isNaN(iq) ? "not measured" : String.format(Locale.ROOT, "%.2f x (medians: %s Gbit/s against %s Gbit/s)",
                iq, f2(d(tun, "transfer.raw.mbps") * 8 / 1000), f2(d(tun, "loopback.mbps") * 8 / 1000)),
                !Double.isNaN(iq) && iq >= GOAL_INPROC_RATIO);
        if (tun.getProperty("offload.title") != null) {
            for (String[] dir : new String[][] {{"rx.mbps", "Linux -> jwip"}, {"tx.mbps", "jwip -> Linux"}}) {
                ratioRow(md, tun, dir[1] + " with TUN offload (`tun:NAME,offload=1`; byte-exact: TunOffloadTest)", "offload",
                        dir[0], "the relay", GOAL_OFFLOAD_RATIO, false, "Mbit/s", 8);
            }
        } else {
            md.append("| TUN offload: both directions >= 2 x the relay | >= 2 x the relay | not run | - |\n");
        }
    }

    private static void tunSection(StringBuilder md, Properties tun) {
        String secs = tun.getProperty("seconds.throughput", "?");
        md.append("Every jwip figure is `java -jar jwip.jar serve` in its own process (the commands below), on a TUN device "
                + "whose Linux side is a network namespace made for the run; the Linux tool is the same for jwip and for "
                + "its reference. References: **the relay** (`tests/tools/relay/tunrelay.c`: a C program that only copies "
                + "packets between two TUN devices, Linux in one namespace talking to Linux in another through it, so each "
                + "packet crosses TUN twice), **the kernel over a veth pair** (`httpd1.c`: accept, respond, close, on the "
                + "kernel's TCP) and **the kernel's loopback** (iperf3). The references run all along; each figure is "
                + "measured in " + tun.getProperty("rounds", "?") + " rounds, the reference and then jwip right after it, "
                + "because this machine's speed drifts: a ratio is the median of the rounds' ratios, a figure the median of "
                + "its rounds. Throughput runs last " + secs + " s, HTTP runs " + tun.getProperty("seconds.churn", "?")
                + " s; jwip is warmed up first (200 pings, 2 s of HTTP, 2 s of iperf).\n\n");
        String[] cs = tun.getProperty("configs", "").split(",");
        md.append("| figure | tool | reference (median of all rounds) |");
        for (String c : cs) {
            md.append(" ").append(esc(tun.getProperty(c + ".title", c))).append(" |");
        }
        md.append("\n|---|---|---|").append("---|".repeat(cs.length)).append("\n");
        tunRow(md, tun, cs, "ping median (us)", "ping.medianUs", "`ping -c 1000 -i 0.001`", "relay", "relay", 1);
        tunRow(md, tun, cs, "Linux -> stack (Mbit/s)", "rx.mbps", "`iperf -c HOST -p 9 -t " + secs + "`", "relay", "relay", 8);
        tunRow(md, tun, cs, "stack -> Linux (Mbit/s)", "tx.mbps", "`tcpblast sink HOST 19 " + secs + "`", "relay", "relay", 8);
        tunRow(md, tun, cs, "short HTTP connections (/s)", "churn.rps", "`ab -c 1 -t " + tun.getProperty("seconds.churn", "?") + "`",
                "veth", "kernel over veth", 1);
        md.append("| HTTP failures (all rounds) | | ").append(f0(d(tun, "veth.churn.failed"))).append(" |");
        for (String c : cs) {
            md.append(" ").append(f0(d(tun, c + ".churn.failed"))).append(" |");
        }
        md.append("\n| idle CPU, 16 open connections, 10 s | /proc/PID/stat | |");
        for (String c : cs) {
            md.append(" ").append(tun.getProperty(c + ".idle.cpuPercent") == null ? "-" : f2(d(tun, c + ".idle.cpuPercent")) + " %")
                    .append(" |");
        }
        md.append("\n\nEach jwip cell: the median of its rounds (the median of the rounds' ratios to the reference measured "
                + "just before). Linux -> stack goes to jwip's discard service (iperf's own server for the relay); stack -> "
                + "Linux reads from jwip's chargen service with `tests/tools/relay/tcpblast.c` (256 KB reads; tcpblast's "
                + "source for the relay); HTTP is one connection at a time, HTTP/1.0, the server closes first. For ping, "
                + "lower is better.\n\nRounds (jwip, per figure):\n\n");
        for (String c : cs) {
            md.append("- ").append(esc(tun.getProperty(c + ".title", c))).append(": ping ")
                    .append(tun.getProperty(c + ".ping.medianUs.rounds", "")).append(" us; Linux -> stack ")
                    .append(tun.getProperty(c + ".rx.mbps.rounds", "")).append(" MB/s; stack -> Linux ")
                    .append(tun.getProperty(c + ".tx.mbps.rounds", "")).append(" MB/s; HTTP ")
                    .append(tun.getProperty(c + ".churn.rps.rounds", "")).append(" /s\n");
        }
        md.append("\nCommands:\n\n");
        for (String c : cs) {
            md.append("- ").append(esc(tun.getProperty(c + ".title", c))).append(": `").append(tun.getProperty(c + ".command", ""))
                    .append("`; the loop ").append(esc(tun.getProperty(c + ".waits", ""))).append("; after the run: ")
                    .append(tun.getProperty(c + ".twRecycled", "?")).append(" TIME_WAIT entries recycled, ")
                    .append(tun.getProperty(c + ".retransmits", "?")).append(" segments retransmitted\n");
        }
        md.append("\n**In-process** (`transfer`, two stacks in one JVM, as a user runs it; the reference is the kernel's "
                + "loopback, `").append(tun.getProperty("loopback.command", "")).append("`, measured before each round):\n\n");
        md.append("| run | MB/s (median) | Gbit/s | x kernel loopback (median of rounds) | rounds (MB/s) |\n|---|---:|---:|---:|---|\n");
        md.append("| kernel loopback (").append(tun.getProperty("loopback.command", "")).append(") | ")
                .append(f0(d(tun, "loopback.mbps"))).append(" | ").append(f2(d(tun, "loopback.mbps") * 8 / 1000)).append(" | 1.00 | ")
                .append(tun.getProperty("loopback.mbps.rounds", "")).append(" |\n");
        for (String k : new String[] {"raw", "socket", "rawcsum"}) {
            md.append("| `").append(tun.getProperty("transfer." + k + ".command", k)).append("` | ")
                    .append(f0(d(tun, "transfer." + k + ".mbps"))).append(" | ").append(f2(d(tun, "transfer." + k + ".mbps") * 8 / 1000))
                    .append(" | ").append(f2(d(tun, "transfer." + k + ".vsLoopback.ratio"))).append(" | ")
                    .append(tun.getProperty("transfer." + k + ".mbps.rounds", "")).append(" |\n");
        }
    }

    private static void tunRow(StringBuilder md, Properties tun, String[] cs, String figure, String key, String tool, String ref,
            String refName, double scale) {
        md.append("| ").append(figure).append(" | ").append(tool).append(" | ").append(refName).append(": ")
                .append(f1(d(tun, ref + "." + key) * scale)).append(" |");
        for (String c : cs) {
            double v = d(tun, c + "." + key);
            double q = d(tun, c + "." + key + ".ratio");
            md.append(" ").append(Double.isNaN(v) ? "not measured" : f1(v * scale) + " (" + f2(q) + " x)").append(" |");
        }
        md.append("\n");
    }

    private static void row(StringBuilder md, String goal, String target, String measured, boolean pass) {
        md.append("| ").append(goal).append(" | ").append(target).append(" | ").append(measured).append(" | ")
                .append(pass ? "PASS" : "**FAIL**").append(" |\n");
    }

    static boolean ok(Properties p) {
        return "ok".equals(p.getProperty("status"));
    }

    private static String notRun(Properties p) {
        return p.getProperty("status") == null ? "Not run yet.\n" : "Failed: " + esc(p.getProperty("error", "?")) + "\n";
    }

    static double d(Properties p, String k) {
        String v = p.getProperty(k);
        try {
            return v == null ? Double.NaN : Double.parseDouble(v);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    static long l(Properties p, String k) {
        double v = d(p, k);
        return Double.isNaN(v) ? -1 : (long) v;
    }

    private static String esc(String s) {
        return s == null ? "" : s.replace("|", "\\|").replace("\n", " ");
    }

    static String f0(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    static String f1(double v) {
        return String.format(Locale.ROOT, "%,.1f", v);
    }

    static String f2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static String f3(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
