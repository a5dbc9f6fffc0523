package io.jwip.tests.reallink;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
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
        final String out;

        Result(int rc, String out) {
            this.rc = rc;
            this.out = out;
        }

        @Override
        public String toString() {
            return "rc=" + rc + "\n" + out;
        }
    }

    /** Runs a command to completion (stdout and stderr together); kills it after {@code timeoutS}. */
    static Result run(int timeoutS, String... cmd) throws IOException {
        return run(timeoutS, null, List.of(cmd));
    }

    static Result run(int timeoutS, File stdin, List<String> cmd) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (stdin != null) {
            pb.redirectInput(stdin);
        }
        Process p = pb.start();
        try {
            byte[][] out = new byte[1][];
            Thread t = new Thread(() -> {
                try {
                    out[0] = p.getInputStream().readAllBytes();
                } catch (IOException e) {
                    out[0] = ("<output lost: " + e + ">").getBytes(StandardCharsets.UTF_8);
                }
            });
            t.start();
            if (!p.waitFor(timeoutS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                t.join(5000);
                return new Result(-999, "TIMEOUT after " + timeoutS + " s: " + String.join(" ", cmd) + "\n"
                        + (out[0] == null ? "" : new String(out[0], StandardCharsets.UTF_8)));
            }
            t.join(10_000);
            return new Result(p.exitValue(), out[0] == null ? "" : new String(out[0], StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    static List<String> cmd(String... parts) {
        return new ArrayList<>(List.of(parts));
    }
}
