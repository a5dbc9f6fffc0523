package io.jwip.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a host command with a timeout (it is killed when the time is up), capturing its output. */
final class Cmd {
    final int rc;
    final String out;
    final boolean timedOut;
    final double seconds;

    private Cmd(int rc, String out, boolean timedOut, double seconds) {
        this.rc = rc;
        this.out = out;
        this.timedOut = timedOut;
        this.seconds = seconds;
    }

    static Cmd run(int timeoutS, String... cmd) throws IOException {
        return run(timeoutS, List.of(cmd));
    }

    /** Runs {@code cmd} inside network namespace {@code ns}. */
    static Cmd inNs(String ns, int timeoutS, String... cmd) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(List.of(cmd));
        return run(timeoutS, full);
    }

    static Cmd run(int timeoutS, List<String> cmd) throws IOException {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try (InputStream in = p.getInputStream()) {
                in.transferTo(buf);
            } catch (IOException e) {
                // process gone
            }
        }, "cmd-output");
        reader.start();
        boolean done;
        try {
            done = p.waitFor(timeoutS, TimeUnit.SECONDS);
            if (!done) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
            reader.join(2000);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + cmd);
        }
        double s = (System.nanoTime() - t0) / 1e9;
        String out;
        synchronized (buf) {
            out = buf.toString(StandardCharsets.UTF_8);
        }
        return new Cmd(done ? p.exitValue() : -1, out, !done, s);
    }

    static boolean exists(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (new java.io.File(dir, tool).canExecute()) {
                return true;
            }
        }
        return new java.io.File("/usr/sbin/" + tool).canExecute() || new java.io.File("/sbin/" + tool).canExecute();
    }

    @Override
    public String toString() {
        return "rc=" + rc + (timedOut ? " (timed out)" : "") + " " + out.strip();
    }
}
