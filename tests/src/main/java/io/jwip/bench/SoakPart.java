package io.jwip.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The Epsilon soak: {@code java -XX:+UnlockExperimentalVMOptions -XX:+UseEpsilonGC -Xmx32m -jar jwip.jar
 * transfer --bytes 4000000000} as a subprocess. Epsilon never frees anything, so any steady allocation on
 * the packet path runs the 32 MB heap out long before 4 GB have moved. {@code BENCH_SOAK_BYTES} (4G),
 * {@code BENCH_SOAK_HEAP} (32m), {@code BENCH_SOAK_TIMEOUT} (seconds, 900).
 */
final class SoakPart {
    private SoakPart() {}

    static void run(Properties r, Path jar) throws Exception {
        if (!Files.isRegularFile(jar)) {
            throw new BenchException(jar + " is missing: run 'make build' (make bench builds it)");
        }
        long bytes = Env.bytes("BENCH_SOAK_BYTES", 4_000_000_000L);
        String heap = Env.string("BENCH_SOAK_HEAP", "32m");
        int timeout = Env.integer("BENCH_SOAK_TIMEOUT", 900);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java, "-XX:+UnlockExperimentalVMOptions", "-XX:+UseEpsilonGC", "-Xmx" + heap,
                "-Xlog:gc:stdout", "-jar", jar.toString(), "transfer", "--bytes", String.valueOf(bytes));
        r.setProperty("command", String.join(" ", cmd).replace(java, "java"));
        Log.line("soak: " + r.getProperty("command"));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> out = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader br = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = br.readLine()) != null; ) {
                    synchronized (out) {
                        out.add(l);
                    }
                    Log.line("  soak| " + l);
                }
            } catch (Exception e) {
                // process gone
            }
        }, "soak-output");
        reader.start();
        boolean done = p.waitFor(timeout, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        reader.join(5000);
        double seconds = (System.nanoTime() - t0) / 1e9;
        r.setProperty("bytes", String.valueOf(bytes));
        r.setProperty("heap", heap);
        r.setProperty("wallSeconds", String.format(Locale.ROOT, "%.1f", seconds));
        r.setProperty("exitCode", done ? String.valueOf(p.exitValue()) : "timeout");
        String heapUsed = "?";
        boolean oom = false;
        synchronized (out) {
            for (String l : out) {
                if (l.contains("Heap:") && l.contains("used")) {
                    heapUsed = l.substring(l.lastIndexOf("committed,") + 10).replace(" used", "").trim();
                } else if (l.startsWith("received ")) {
                    r.setProperty("throughput", l);
                } else if (l.startsWith("bytes allocated per segment")) {
                    r.setProperty("allocPerSegment", l.substring(l.indexOf(':') + 1).trim());
                } else if (l.startsWith("verified:")) {
                    r.setProperty("verified", l.substring(9).trim());
                } else if (l.contains("OutOfMemoryError") || l.contains("Terminating due to java.lang.OutOfMemoryError")) {
                    oom = true;
                    r.setProperty("oom", l.trim());
                }
            }
        }
        r.setProperty("heapUsedAtExit", heapUsed);
        boolean ok = done && p.exitValue() == 0 && !oom;
        r.setProperty("completed", String.valueOf(ok));
        if (!ok) {
            throw new BenchException("the Epsilon soak did not complete: " + (done ? "exit code " + p.exitValue() : "timed out after "
                    + timeout + " s") + (oom ? " (" + r.getProperty("oom") + ")" : "") + "; heap used " + heapUsed);
        }
    }
}
