package io.jwip.tests.reallink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jwip.examples.Main;
import io.jwip.netif.tun.TunLink;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every failure a user can cause or meet, as one plain line on standard error with its own exit code
 * (the table under {@code --help}): no Java class name, no "Exception", and nothing opened before the
 * command line was found good. Usage errors are checked in-process; the signal, the non-root run and the
 * dead line run {@code jwip} as its own process, as a user would.
 */
class CliErrorsTest {
    /** A finished command: exit code, standard output, standard error. */
    record Ran(int rc, String out, String err) {}

    static Ran run(String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Main.run(argv, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Ran(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Asserts the one line on standard error and the exit code, and that nothing Java leaks into it. */
    static void expect(Ran r, int rc, String line) {
        assertEquals(line + "\n", r.err, "stderr; stdout was:\n" + r.out);
        assertEquals(rc, r.rc, r.err);
        plain(r.err);
    }

    static void plain(String text) {
        assertFalse(text.contains("Exception"), text);
        assertFalse(text.matches("(?s).*\\b(java|jssc|com\\.sun|io\\.jwip)\\.[a-z].*"), "no class names: " + text);
    }

    static boolean linkExists(String name) throws IOException {
        return RealPeer.run(10, "ip", "link", "show", name).rc == 0;
    }

    @Test
    void serialPortThatDoesNotExist_exit3() {
        expect(run("serve", "--netif", "slip:/dev/nonexistent", "--addr", "10.1.0.2/24"), 3,
                "jwip serve: serial port /dev/nonexistent does not exist (check the device name, e.g. /dev/ttyUSB0)");
    }

    @Test
    void slipTcpRefused_namesHostAndPort_exit3() {
        expect(run("serve", "--netif", "slip-tcp:127.0.0.1:1", "--addr", "10.1.0.2/24"), 3,
                "jwip serve: slip-tcp 127.0.0.1:1: connection refused (is a SLIP server listening there?)");
    }

    @Test
    void namespaceThatDoesNotExist_exit3() throws IOException {
        RealPeer.requireTunAndNetns();
        String tun = Netns.tunName();
        expect(run("serve", "--netif", "tun:" + tun + ",netns=nosuchns", "--addr", "10.1.0.2/24"), 3,
                "jwip serve: network namespace nosuchns does not exist (create it with: ip netns add nosuchns)");
        assertFalse(linkExists(tun), "no TUN device left behind");
    }

    @Test
    void tunInUseByAnotherProcess_exit3() throws IOException {
        RealPeer.requireTunAndNetns();
        String tun = Netns.tunName();
        try (TunLink held = TunLink.open(tun)) {
            expect(run("serve", "--netif", "tun:" + tun, "--addr", "10.1.0.2/24"), 3,
                    "jwip serve: TUN " + tun + " is in use by another process (stop it, or choose another name)");
        }
    }

    @Test
    void pcapInADirectoryThatDoesNotExist_exit5_beforeTheLinkOpens() throws IOException {
        RealPeer.requireTunAndNetns();
        String tun = Netns.tunName();
        expect(run("serve", "--netif", "tun:" + tun, "--addr", "10.1.0.2/24", "--pcap", "/nonexistent/x.pcap"), 5,
                "jwip serve: --pcap /nonexistent/x.pcap: directory /nonexistent does not exist");
        assertFalse(linkExists(tun), "the capture is checked before the TUN device is created");
    }

    @Test
    void serviceOptionsAreCheckedBeforeTheLinkOpens_exit2() throws IOException {
        RealPeer.requireTunAndNetns();
        String tun = Netns.tunName();
        String[] base = {"serve", "--netif", "tun:" + tun, "--addr", "10.1.0.2/24"};
        String[][] cases = {
            {"--http", "80", "--http-root", "/nonexistent"}, {"jwip serve: --http-root /nonexistent: no such directory"},
            {"--http-root", "/tmp"}, {"jwip serve: --http-root needs --http PORT"},
            {"--http", "80", "--echo", "80"}, {"jwip serve: --echo and --http both want TCP port 80"},
            {"--http", "70000"}, {"jwip serve: option --http: 70000 is out of range 1..65535"},
            {"--gw", "10.2.0.1"}, {"jwip serve: --gw 10.2.0.1 is not a neighbour on the first netif (10.1.0.2/24)"},
            {"--stats", "some"}, {"jwip serve: --stats must be nonzero or all, not some"},
            {"--rto-max", "100"}, {"jwip serve: bad configuration: --rto-max must be >= the minimum RTO (is 100)"},
        };
        for (int i = 0; i < cases.length; i += 2) {
            List<String> argv = new ArrayList<>(List.of(base));
            argv.addAll(List.of(cases[i]));
            Ran r = run(argv.toArray(new String[0]));
            expect(r, 2, cases[i + 1][0]);
            assertEquals("", r.out, "nothing opened, nothing announced: " + String.join(" ", argv));
            assertFalse(linkExists(tun), "no TUN device for " + String.join(" ", argv));
        }
    }

    @Test
    void pingOptionsAndRoutes() throws IOException {
        expect(run("ping", "--netif", "slip:/dev/null", "--addr", "10.1.0.2/24", "-c", "0", "10.1.0.1"), 2,
                "jwip ping: option -c: 0 is out of range 1..1000000");
        RealPeer.requireTunAndNetns();
        String tun = Netns.tunName();
        expect(run("ping", "--netif", "tun:" + tun, "--addr", "10.1.0.2/24", "-c", "1", "10.7.7.7"), 1,
                "jwip ping: no route to host 10.7.7.7: it is not on any netif's subnet and there is no --gw");
        assertTrue(run("ping", "--help").out.contains("[-W MS]"), "ping --help shows -W");
    }

    @Test
    void helpListsTheExitCodes() {
        for (String c : new String[]{"serve", "gateway", "ping", "connect", "demo", "transfer", "budget"}) {
            Ran r = run(c, "--help");
            assertEquals(0, r.rc);
            assertTrue(r.out.contains("exit codes: 0 done") && r.out.contains("6 a link went down"), c + ":\n" + r.out);
        }
        assertTrue(run("serve", "--help").out.contains("mtu=") && run("serve", "--help").out.contains("addr="),
                "the netif spec's keys are in --help");
    }

    // ------------------------------------------------------------------ as its own process

    /** {@code java -cp ... Main ARGS}, with this test's classpath copied where {@code nobody} can read it. */
    static ProcessBuilder jwip(Path cpDir, String... argv) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(cpDir == null ? System.getProperty("java.class.path") : readableClasspath(cpDir));
        cmd.add(Main.class.getName());
        cmd.addAll(List.of(argv));
        return new ProcessBuilder(cmd);
    }

    static String readableClasspath(Path dir) throws IOException {
        List<String> cp = new ArrayList<>();
        int i = 0;
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(e);
            String n = p.getFileName().toString();
            boolean ours = e.contains("/target/classes") && !e.contains("/tests/") || n.startsWith("jwip-") && !n.startsWith("jwip-tests");
            if (!ours && !n.startsWith("jna") && !n.startsWith("jssc")) {
                continue;
            }
            Path to = dir.resolve(i++ + "-" + n);
            copy(p, to);
            cp.add(to.toString());
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        return String.join(File.pathSeparator, cp);
    }

    static void copy(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) {
            Files.copy(from, to);
            return;
        }
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }

    @Test
    void creatingATunAsNonRootSaysRootIsNeeded_exit4() throws Exception {
        RealPeer.requireTunAndNetns();
        RealPeer.requireTools("setpriv");
        Path cp = Files.createTempDirectory("jwip-cp");
        Files.setPosixFilePermissions(cp, PosixFilePermissions.fromString("rwxr-xr-x"));
        try {
            List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
            cmd.addAll(jwip(cp, "serve", "--netif", "tun:" + Netns.tunName(), "--addr", "10.1.0.2/24").command());
            Proc p = new Proc(new ProcessBuilder(cmd));
            assertTrue(p.end(30));
            assertEquals("jwip serve: opening /dev/net/tun needs root (CAP_NET_ADMIN)\n", p.err());
            assertEquals(4, p.p.exitValue());
        } finally {
            RealPeer.run(10, "rm", "-rf", cp.toString());
        }
    }

    @Test
    void sigtermEndsServePromptlyWithFinalStatsAndExit0() throws Exception {
        RealPeer.requireTunAndNetns();
        Proc p = new Proc(jwip(null, "serve", "--netif", "tun:" + Netns.tunName(), "--addr", "10.1.0.2/24", "--echo", "7"));
        try {
            p.await("tcp echo on port 7");
            long t0 = System.nanoTime();
            p.p.toHandle().destroy(); // SIGTERM (Process.destroy would also close our end of its output)
            assertTrue(p.end(5), "serve ends within 5 s of SIGTERM");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("[cli sigterm] stopped in " + ms + " ms, rc " + p.p.exitValue() + "\n" + p.out() + p.err());
            assertEquals(0, p.p.exitValue(), p.err());
            assertTrue(p.out().contains("--- final stats ---"), p.out() + "\nstderr:\n" + p.err());
            assertEquals("", p.err());
        } finally {
            p.kill();
        }
    }

    /** A started jwip process whose standard output and error are collected as they come. */
    static final class Proc {
        final Process p;
        private final StringBuffer out = new StringBuffer();
        private final java.io.ByteArrayOutputStream outBytes = new java.io.ByteArrayOutputStream();
        private final StringBuffer err = new StringBuffer();
        private final Thread[] readers = new Thread[2];

        Proc(ProcessBuilder pb) throws IOException {
            p = pb.start();
            readers[0] = collect(p.getInputStream(), out, outBytes);
            readers[1] = collect(p.getErrorStream(), err, null);
        }

        private static Thread collect(java.io.InputStream in, StringBuffer to, java.io.ByteArrayOutputStream bytes) {
            Thread t = new Thread(() -> {
                byte[] b = new byte[4096];
                try {
                    for (int n; (n = in.read(b)) >= 0; ) {
                        if (bytes != null) {
                            bytes.write(b, 0, n);
                        }
                        to.append(new String(b, 0, n, StandardCharsets.UTF_8));
                    }
                } catch (IOException ignored) {
                    // the process is gone
                }
            });
            t.setDaemon(true);
            t.start();
            return t;
        }

        /** Waits (at most 30 s) until standard output shows {@code text}; returns the output so far. */
        String await(String text) throws InterruptedException {
            long until = System.currentTimeMillis() + 30_000;
            while (out.indexOf(text) < 0 && System.currentTimeMillis() < until && (p.isAlive() || readers[0].isAlive())) {
                Thread.sleep(10);
            }
            if (out.indexOf(text) < 0) {
                fail("jwip did not print '" + text + "':\n" + out + err);
            }
            return out.toString();
        }

        /** Waits for the end (at most {@code s} seconds); false if it still runs. */
        boolean end(int s) throws InterruptedException {
            boolean done = p.waitFor(s, TimeUnit.SECONDS);
            if (done) {
                readers[0].join(5000);
                readers[1].join(5000);
            }
            return done;
        }

        String out() {
            return out.toString();
        }

        /** Standard output as bytes (for binary data). */
        byte[] outBytes() {
            return outBytes.toByteArray();
        }

        String err() {
            return err.toString();
        }

        void kill() throws InterruptedException {
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void aSlipLineThatHangsUpIsReported_exit6() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            int port = server.getLocalPort();
            Proc p = new Proc(jwip(null, "serve", "--netif", "slip-tcp:127.0.0.1:" + port, "--addr", "10.1.0.2/24"));
            try {
                Socket line = server.accept();
                p.await("answering ping only");
                line.close(); // the line hangs up
                assertTrue(p.end(10), "serve ends when its only line is gone");
                assertTrue(p.out().contains("--- final stats ---"), p.out());
                assertEquals("jwip serve: link sl0 (slip-tcp:127.0.0.1:" + port + ") went down: end of stream (peer closed)"
                        + " (give --reconnect to wait for it)\n", p.err());
                assertEquals(6, p.p.exitValue());
            } finally {
                p.kill();
            }
        }
    }

    @Test
    void reconnectReopensAHungUpSlipLine() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            int port = server.getLocalPort();
            Proc p = new Proc(jwip(null, "serve", "--netif", "slip-tcp:127.0.0.1:" + port, "--addr", "10.1.0.2/24",
                    "--reconnect"));
            try {
                Socket first = server.accept();
                p.await("answering ping only");
                first.close();
                String down = p.await("went down");
                assertTrue(down.contains("link sl0 (slip-tcp:127.0.0.1:" + port + ") went down: end of stream (peer closed);"
                        + " reconnecting"), down);
                Socket second = server.accept(); // the line comes back after the first backoff (1 s)
                p.await("is back up (reconnect 1)");
                second.close();
                p.p.toHandle().destroy();
                assertTrue(p.end(5));
                assertEquals(0, p.p.exitValue(), p.err());
            } finally {
                p.kill();
            }
        }
    }
}
