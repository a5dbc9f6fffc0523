package io.jwip.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * {@code make bench}: runs the benchmark parts asked for ({@code jmh}, {@code budget}, {@code soak},
 * {@code tun}, or {@code all}), each writing its figures to {@code OUT/PART.properties}, then writes the
 * report ({@code OUT/report.md}) and charts ({@code OUT/*.png}) from every part's latest figures, so parts
 * can be run one at a time. A part that cannot run (no root, a missing tool) fails with the reason, the
 * others still run, and the exit code is 1.
 *
 * <pre>java -jar tests/target/jwip-bench.jar [--parts jmh,budget,soak,tun|all] [--out DIR] [--jar JWIP_JAR]</pre>
 */
public final class BenchMain {
    static final List<String> ALL = List.of("jmh", "budget", "soak", "tun");

    private BenchMain() {}

    public static void main(String[] argv) throws Exception {
        System.setProperty("java.awt.headless", "true");
        String parts = "all";
        Path out = Paths.get("tests/target/bench");
        Path jar = Paths.get("examples/target/jwip.jar");
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (a.equals("--parts") && i + 1 < argv.length) {
                parts = argv[++i];
            } else if (a.equals("--out") && i + 1 < argv.length) {
                out = Paths.get(argv[++i]);
            } else if (a.equals("--jar") && i + 1 < argv.length) {
                jar = Paths.get(argv[++i]);
            } else if (a.equals("--report-only")) {
                parts = "";
            } else {
                System.err.println("usage: jwip-bench [--parts jmh,budget,soak,tun|all] [--out DIR] [--jar jwip.jar] [--report-only]");
                System.exit(2);
            }
        }
        Set<String> run = new LinkedHashSet<>();
        for (String p : parts.split("[,\\s]+")) {
            if (p.isEmpty()) {
                continue;
            }
            if (p.equals("all")) {
                run.addAll(ALL);
            } else if (ALL.contains(p)) {
                run.add(p);
            } else {
                System.err.println("bench: unknown part '" + p + "' (BENCH=jmh|budget|soak|tun|all, or a comma list)");
                System.exit(2);
            }
        }
        Files.createDirectories(out);
        long start = System.nanoTime();
        List<String> failed = new ArrayList<>();
        int n = 0;
        for (String p : run) {
            n++;
            Log.section("[" + n + "/" + run.size() + "] " + p + " (" + Log.elapsed(start) + " elapsed)");
            Properties r = new Properties();
            Machine.stamp(r);
            long t0 = System.nanoTime();
            try {
                switch (p) {
                    case "jmh" -> JmhPart.run(r);
                    case "budget" -> BudgetPart.run(r);
                    case "soak" -> SoakPart.run(r, jar);
                    case "tun" -> TunPart.run(r, jar, out);
                    default -> throw new IllegalStateException(p);
                }
                r.setProperty("status", "ok");
            } catch (BenchException e) {
                Log.line("bench: " + p + " FAILED: " + e.getMessage());
                r.setProperty("status", "failed");
                r.setProperty("error", e.getMessage());
                failed.add(p + ": " + e.getMessage());
            } catch (Exception e) {
                Log.line("bench: " + p + " FAILED: " + e);
                e.printStackTrace(System.out);
                r.setProperty("status", "failed");
                r.setProperty("error", String.valueOf(e));
                failed.add(p + ": " + e);
            }
            r.setProperty("seconds", String.format("%.1f", (System.nanoTime() - t0) / 1e9));
            save(out.resolve(p + ".properties"), r);
        }
        double total = (System.nanoTime() - start) / 1e9;
        Log.section("report");
        Report.write(out, run, total);
        Log.line(String.format("bench: done in %s; report %s, charts %s/*.png", Log.elapsed(start),
                out.resolve("report.md"), out));
        if (!failed.isEmpty()) {
            for (String f : failed) {
                Log.line("bench: FAILED " + f);
            }
            System.exit(1);
        }
    }

    static void save(Path f, Properties p) throws IOException {
        try (OutputStream o = Files.newOutputStream(f)) {
            p.store(o, "jwip bench results");
        }
    }

    static Properties load(Path f) {
        Properties p = new Properties();
        if (Files.exists(f)) {
            try (InputStream i = Files.newInputStream(f)) {
                p.load(i);
            } catch (IOException e) {
                // an unreadable file is a part not run
            }
        }
        return p;
    }
}
