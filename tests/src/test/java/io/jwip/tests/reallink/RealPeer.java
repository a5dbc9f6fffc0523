package io.jwip.tests.reallink;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Preconditions and process helpers for tests whose peer is the Linux kernel or a host tool.
 *
 * <p>They need root (namespaces, TUN), {@code /dev/net/tun} and a few Debian packages (see
 * tests/tools/ensure-tools.sh). CI has all of them: there ({@code CI=true}) a missing one FAILS the test
 * with a message saying what is missing; elsewhere the test is skipped with that message.
 */
final class RealPeer {
    private RealPeer() {}

    static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Fails (in CI) or skips (elsewhere) unless {@code ok}. */
    static void require(boolean ok, String what) {
        if (ok) {
            return;
        }
        String msg = "real-peer test needs " + what;
        if (inCi()) {
            fail(msg + " (CI=true: these tests must run; install what is missing, run as root)");
        }
        Assumptions.assumeTrue(false, msg + " (skipped outside CI)");
    }

    static boolean isRoot() {
        try {
            return run(10, "id", "-u").out.trim().equals("0");
        } catch (IOException e) {
            return false;
        }
    }

    static boolean hasCommand(String cmd) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (new File(dir, cmd).canExecute()) {
                return true;
            }
        }
        for (String dir : new String[] {"/usr/sbin", "/sbin", "/usr/bin", "/bin"}) {
            if (new File(dir, cmd).canExecute()) {
                return true;
            }
        }
        return false;
    }

    static void requireTools(String... cmds) {
        for (String c : cmds) {
            require(hasCommand(c), "the host command '" + c + "' (bash tests/tools/ensure-tools.sh --install)");
        }
    }

    /** Root, /dev/net/tun, iproute2 and ip netns. */
    static void requireTunAndNetns() {
        require(isRoot(), "root (network namespaces and TUN devices need CAP_NET_ADMIN)");
        require(new File("/dev/net/tun").exists(), "/dev/net/tun (modprobe tun)");
        requireTools("ip");
    }

    static final class Result {
        final int rc;
        /** Standard output only: what assertions read. */
        final String out;
        /** Standard error, kept apart (a tool's "Broken pipe" must never be read as its output). */
        final String err;

        Result(int rc, String out, String err) {
            this.rc = rc;
            this.out = out;
            this.err = err;
        }

        @Override
        public String toString() {
            return "rc=" + rc + "\n" + out + (err.isEmpty() ? "" : "\n[stderr]\n" + err);
        }
    }

    /** Runs a command to completion, its stdout and stderr apart; kills it after {@code timeoutS}. */
    static Result run(int timeoutS, String... cmd) throws IOException {
        return run(timeoutS, null, List.of(cmd));
    }

    static Result run(int timeoutS, File stdin, List<String> cmd) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (stdin != null) {
            pb.redirectInput(stdin);
        }
        Process p = pb.start();
        try {
            Thread out = drain(p.getInputStream());
            Thread err = drain(p.getErrorStream());
            if (!p.waitFor(timeoutS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                return new Result(-999, "TIMEOUT after " + timeoutS + " s: " + String.join(" ", cmd) + "\n"
                        + text(out), text(err));
            }
            return new Result(p.exitValue(), text(out), text(err));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** A thread reading {@code in} to its end; {@link #text} joins it and gives what it read. */
    private static Thread drain(InputStream in) {
        Drain d = new Drain(in);
        d.start();
        return d;
    }

    private static String text(Thread t) throws InterruptedException {
        t.join(10_000);
        byte[] b = ((Drain) t).bytes;
        return b == null ? "" : new String(b, StandardCharsets.UTF_8);
    }

    private static final class Drain extends Thread {
        private final InputStream in;
        volatile byte[] bytes;

        Drain(InputStream in) {
            this.in = in;
            setDaemon(true);
        }

        @Override
        public void run() {
            try {
                bytes = in.readAllBytes();
            } catch (IOException e) {
                bytes = ("<output lost: " + e + ">").getBytes(StandardCharsets.UTF_8);
            }
        }
    }

    static List<String> cmd(String... parts) {
        return new ArrayList<>(List.of(parts));
    }
}
