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
    static final double LWIP_RX_WS = 2.5, LWIP_TX_WS = 3.3, LWIP_RX = 1.6, LWIP_TX = 3.6, LINK_LIMIT = 3.0;
    static final double GOAL_PING_US = 110;
    static final double GOAL_CHURN = 6000;
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

        md.append("\n## Goals (issue 6)\n\n| goal | target | measured | verdict |\n|---|---|---|---|\n");
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

        md.append("\n## 4. TUN, Linux kernel as peer\n\n");
        if (tun.getProperty("config") != null) {
            String[] modes = tun.getProperty("modes", "busy").split(",");
            md.append("jwip: ").append(tun.getProperty("config")).append(". Linux in a network namespace the benchmark creates "
                    + "and deletes; 10.77.0.1 (Linux) <-> 10.77.0.2 (jwip). Each measurement ran with the poll loop's idler ");
            md.append(modes.length > 1 ? "busy-polling (`Thread.onSpinWait()` between turns: lowest latency, a whole core) and "
                    + "sleeping (`Idler.sleeping()`: up to 1 ms when a turn found no work, leaves the CPU to the kernel and the "
                    + "peer); the goals above take the better of the two.\n\n" : modes[0] + ".\n\n");
            md.append("| measurement | tool |");
            for (String m : modes) {
                md.append(" idler ").append(m).append(" |");
            }
            md.append("\n|---|---|").append("---|".repeat(modes.length)).append("\n");
            md.append("| Linux -> jwip (discard, jwip receives) | `").append(esc(tun.getProperty(modes[0] + ".rx.command", ""))).append("` |");
            for (String m : modes) {
                md.append(" ").append(rate(tun, m + ".rx")).append(" |");
            }
            md.append("\n| jwip -> Linux (HTTP, jwip sends) | `").append(esc(tun.getProperty(modes[0] + ".tx.command", ""))).append("` |");
            for (String m : modes) {
                md.append(" ").append(tun.getProperty(m + ".tx.error") != null ? esc(tun.getProperty(m + ".tx.error")) : rate(tun, m + ".tx"))
                        .append(" |");
            }
            md.append("\n| jwip -> Linux (chargen, jwip sends) | `").append(esc(tun.getProperty(modes[0] + ".chargen.command", ""))).append("` |");
            for (String m : modes) {
                md.append(" ").append(rate(tun, m + ".chargen")).append(" |");
            }
            md.append("\n| ping RTT | `ping -c 200 -i 0.002` |");
            for (String m : modes) {
                md.append(" ").append(tun.getProperty(m + ".ping.medianUs") == null ? esc(tun.getProperty(m + ".ping.error", "not measured"))
                        : String.format(Locale.ROOT, "median %.0f us (min %.0f, p90 %.0f), %s/200 replies", d(tun, m + ".ping.medianUs"),
                        d(tun, m + ".ping.minUs"), d(tun, m + ".ping.p90Us"), tun.getProperty(m + ".ping.replies"))).append(" |");
            }
            md.append("\n| connection churn (HTTP, jwip closes first) | `").append(esc(tun.getProperty(modes[0] + ".churn.command", ""))).append("` |");
            for (String m : modes) {
                md.append(" ").append(String.format(Locale.ROOT, "%.0f connections/s, %.0f complete, %.0f failed (ab exit %s); jwip "
                                + "served %s; TIME_WAIT max %s of cap %s, %s entries recycled, %s SYNs refused", d(tun, m + ".churn.rps"),
                        d(tun, m + ".churn.complete"), d(tun, m + ".churn.failed"), tun.getProperty(m + ".churn.abExit"),
                        tun.getProperty(m + ".churn.jwipRequests"), tun.getProperty(m + ".churn.twMax"), tun.getProperty("twCap"),
                        tun.getProperty(m + ".churn.twRecycled"), tun.getProperty(m + ".churn.refused")))
                        .append(tun.getProperty(m + ".churn.error") == null ? "" : " " + esc(tun.getProperty(m + ".churn.error"))).append(" |");
            }
            md.append("\n\njwip's counters after both runs: ").append(tun.getProperty("jwipStats", "")).append("\n");
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
        if (tun.getProperty("config") != null) {
            boolean ws = l(tun, "wnd") > 65535;
            String how = ws ? "with window scaling" : "without window scaling (wnd <= 64 KiB)";
            double rxGoal = ws ? LWIP_RX_WS : LWIP_RX;
            double txGoal = ws ? LWIP_TX_WS : LWIP_TX;
            String rxMode = best(tun, "rx.mbps", true);
            if (rxMode != null) {
                double g = d(tun, rxMode + ".rx.mbps") * 8 / 1000;
                row(md, "TUN receive (Linux -> jwip), " + how, ">= lwIP " + rxGoal + " Gbit/s (link limit ~" + LINK_LIMIT + ")",
                        f2(g) + " Gbit/s (idler " + rxMode + ")", g >= rxGoal);
            }
            String txMode = best(tun, "tx.mbps", true);
            String cgMode = best(tun, "chargen.mbps", true);
            if (txMode != null || cgMode != null) {
                double http = txMode == null ? 0 : d(tun, txMode + ".tx.mbps");
                double cg = cgMode == null ? 0 : d(tun, cgMode + ".chargen.mbps");
                double g = Math.max(http, cg) * 8 / 1000;
                String which = http >= cg ? "HTTP, idler " + txMode : "chargen, idler " + cgMode;
                row(md, "TUN send (jwip -> Linux), " + how, ">= lwIP " + txGoal + " Gbit/s (link limit ~" + LINK_LIMIT + ")",
                        f2(g) + " Gbit/s (" + which + ")", g >= txGoal);
            } else {
                md.append("| TUN send | | not measured | **FAIL** |\n");
            }
            String pingMode = best(tun, "ping.medianUs", false);
            if (pingMode != null) {
                double us = d(tun, pingMode + ".ping.medianUs");
                row(md, "ping RTT over TUN, median", "<= " + f0(GOAL_PING_US) + " us", f0(us) + " us (idler " + pingMode + ")",
                        us <= GOAL_PING_US);
            }
            String churnMode = best(tun, "churn.rps", true);
            if (churnMode != null) {
                double rps = d(tun, churnMode + ".churn.rps");
                double failed = d(tun, churnMode + ".churn.failed");
                long twMax = l(tun, churnMode + ".churn.twMax");
                long cap = l(tun, "twCap");
                row(md, "HTTP connection churn (jwip closes first), " + tun.getProperty(churnMode + ".churn.seconds", "10") + " s", ">= " + f0(GOAL_CHURN) + "/s, 0 failures, TIME_WAIT <= cap",
                        f0(rps) + "/s, " + f0(failed) + " failures, TIME_WAIT max " + twMax + " / cap " + cap + " (idler " + churnMode + ")",
                        rps >= GOAL_CHURN && failed == 0 && twMax <= cap);
            }
        } else {
            md.append("| TUN goals (throughput, ping, churn) | | not run").append(tun.getProperty("error") == null ? ""
                    : ": " + esc(tun.getProperty("error"))).append(" | - |\n");
        }
    }

    /** The idler mode with the highest (or lowest) figure {@code key}, or null if none measured it. */
    static String best(Properties tun, String key, boolean highest) {
        String best = null;
        for (String m : tun.getProperty("modes", "busy").split(",")) {
            double v = d(tun, m + "." + key);
            if (Double.isNaN(v)) {
                continue;
            }
            if (best == null || (highest ? v > d(tun, best + "." + key) : v < d(tun, best + "." + key))) {
                best = m;
            }
        }
        return best;
    }

    private static void row(StringBuilder md, String goal, String target, String measured, boolean pass) {
        md.append("| ").append(goal).append(" | ").append(target).append(" | ").append(measured).append(" | ")
                .append(pass ? "PASS" : "**FAIL**").append(" |\n");
    }

    private static String rate(Properties p, String k) {
        if (p.getProperty(k + ".mbps") == null) {
            return "not measured";
        }
        double mb = d(p, k + ".mbps");
        return String.format(Locale.ROOT, "%.1f MB/s = %.2f Gbit/s (%,d bytes in %.2f s%s)", mb, mb * 8 / 1000,
                l(p, k + ".bytes"), d(p, k + ".seconds"), Boolean.parseBoolean(p.getProperty(k + ".complete")) ? ""
                        : ", stopped by the time limit or incomplete");
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
