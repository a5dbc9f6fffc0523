package io.jwip.tests.reallink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jwip.examples.Main;
import io.jwip.examples.cli.Runner;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's command lines, run as written (in-process through {@link Main#run}) against Linux tools in
 * a throw-away namespace: {@code serve} with every service on a TUN link that it creates, moves into the
 * namespace and configures ({@code tun:NAME,netns=NS,host=A/N}), reached by {@code curl} and {@code socat};
 * and {@code ping} from jwip to the Linux side of a second TUN link. Interrupting the serve thread is the
 * in-process Ctrl-C: exit code 0 and the final stats.
 */
class CliRealLinkTest {
    static final String LINUX = "10.95.0.1";
    static final String JWIP = "10.95.0.2";

    @TempDir
    Path dir;

    /** A command's output, readable while it runs. */
    static final class Output {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(); // synchronized
        final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    /** A command running on a thread of its own, as {@code java -jar jwip.jar ...} would in a terminal. */
    static final class Running implements AutoCloseable {
        final String[] argv;
        final Output out = new Output();
        final Output err = new Output();
        final AtomicInteger rc = new AtomicInteger(-1);
        final Thread thread;

        Running(String... argv) {
            this.argv = argv;
            thread = new Thread(() -> rc.set(Main.run(argv, out.stream, err.stream)), "jwip-" + argv[0]);
            thread.start();
        }

        /** Waits (bounded) until the output shows {@code text}; fails with the output if it does not. */
        Running await(String text) throws InterruptedException {
            long until = System.currentTimeMillis() + 20_000;
            while (!out.text().contains(text) && thread.isAlive() && System.currentTimeMillis() < until) {
                Thread.sleep(20);
            }
            if (!out.text().contains(text)) {
                fail(String.join(" ", argv) + " did not print '" + text + "': rc " + rc.get() + "\n" + all());
            }
            return this;
        }

        String all() {
            return out.text() + err.text();
        }

        /** Stops the command as Ctrl-C would (the in-process way: Runner.stop) and returns its exit code. */
        int stop() throws InterruptedException {
            Runner.stop(thread);
            thread.join(15_000);
            assertFalse(thread.isAlive(), argv[0] + " stops when told to");
            System.out.println("[cli " + argv[0] + "]\n" + all());
            return rc.get();
        }

        @Override
        public void close() throws InterruptedException {
            if (thread.isAlive()) {
                stop();
            }
        }
    }

    @Test
    void serveAnswersCurlAndSocatAndPingReachesLinux() throws Exception {
        RealPeer.requireTunAndNetns();
        RealPeer.requireTools("curl", "socat");
        Path www = Files.createDirectories(dir.resolve("www"));
        Files.writeString(www.resolve("index.html"), "<h1>hello from jwip</h1>\n");
        byte[] data = new byte[1 << 20];
        new Random(80).nextBytes(data);
        Files.write(www.resolve("data.bin"), data);
        String want = TunTcpTest.sha256(www.resolve("data.bin"));

        try (Netns ns = new Netns()) {
            String tun = Netns.tunName();
            // The README's example, with this test's namespace, device name and directory.
            String[] serve = {"serve", "--netif", "tun:" + tun + ",netns=" + ns.name + ",host=" + LINUX + "/24",
                "--addr", JWIP + "/24", "--http", "80", "--http-root", www.toString(), "--echo", "7",
                "--udp-echo", "7", "--discard", "9", "--chargen", "19", "--duration", "120"};
            Running served = new Running(serve);
            try {
                served.await("http serving");

                Path got = dir.resolve("got.bin");
                RealPeer.Result r = ns.exec(60, "curl", "-sS", "--max-time", "50", "-o", got.toString(), "-w",
                        "%{http_code} %{size_download} %{time_total}", "http://" + JWIP + "/data.bin");
                System.out.println("[cli serve] curl 1 MiB: " + r.out);
                assertEquals(0, r.rc, "curl: " + r);
                assertTrue(r.out.startsWith("200 " + data.length), r.out);
                assertEquals(want, TunTcpTest.sha256(got));

                RealPeer.Result index = ns.exec(30, "curl", "-sS", "--max-time", "20", "http://" + JWIP + "/");
                assertEquals("<h1>hello from jwip</h1>\n", index.out, index.toString());
                RealPeer.Result status = ns.exec(30, "curl", "-sS", "--max-time", "20", "http://" + JWIP + "/status");
                assertTrue(status.out.contains("jwip status") && status.out.contains("LISTEN"), status.out);
                RealPeer.Result missing = ns.exec(30, "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                        "http://" + JWIP + "/no-such-file");
                assertEquals("404", missing.out, missing.toString());

                RealPeer.Result echo = ns.exec(30, "sh", "-c", "printf 'hello, echo\\n' | socat -t 10 - TCP:" + JWIP + ":7");
                assertEquals("hello, echo\n", echo.out, echo.toString());
                RealPeer.Result discard = ns.exec(30, "sh", "-c", "head -c 100000 /dev/zero | socat -t 10 - TCP:" + JWIP + ":9");
                assertEquals(0, discard.rc, discard.toString());
                assertEquals("", discard.out, "discard sends nothing back");
                RealPeer.Result chargen = ns.exec(30, "sh", "-c",
                        "timeout 10 socat -u TCP:" + JWIP + ":19 - | head -c 148");
                String[] lines = chargen.out.split("\r\n");
                // RFC 864: line n is the 72 printable characters starting n places after the space.
                for (int n = 0; n < 2; n++) {
                    StringBuilder line = new StringBuilder();
                    for (int c = 0; c < 72; c++) {
                        line.append((char) (32 + (n + c) % 95));
                    }
                    assertEquals(line.toString(), lines[n], chargen.toString());
                }

                // jwip's ping over a second TUN link in the same namespace, while serve runs.
                Output pout = new Output();
                Output perr = new Output();
                String[] ping = {"ping", "--netif", "tun:" + Netns.tunName() + ",netns=" + ns.name
                        + ",host=10.95.1.1/24", "--addr", "10.95.1.2/24", "-c", "5", "-i", "100", "10.95.1.1"};
                int prc = Main.run(ping, pout.stream, perr.stream);
                System.out.println("[cli ping]\n" + pout.text() + perr.text());
                assertEquals(0, prc, pout.text() + perr.text());
                assertTrue(pout.text().contains("5 packets transmitted, 5 received, 0% packet loss"), pout.text());
                assertEquals(0, served.stop(), served.all());
                assertEquals("", served.err.text());
                assertTrue(served.out.text().contains("--- final stats ---"), served.all());
            } finally {
                served.close();
            }
            RealPeer.Result gone = ns.exec(10, "ip", "link", "show", "dev", tun);
            assertTrue(gone.rc != 0, "serve removed its TUN device on exit: " + gone.out);
        }
    }

    /**
     * The README's gateway recipe: {@code gateway} between a TUN link (Linux side in the namespace) and a
     * SLIP line (one end of a pty pair), {@code serve} on the other end of the line with {@code --gw};
     * Linux routes the device's subnet via the gateway, pings the device and curls a file from it.
     */
    @Test
    void gatewayAndSlipDeviceFromTheCommandLine() throws Exception {
        RealPeer.requireTunAndNetns();
        RealPeer.requireTools("curl", "socat", "ping");
        Path www = Files.createDirectories(dir.resolve("www"));
        byte[] data = new byte[32 * 1024];
        new Random(1055).nextBytes(data);
        Files.write(www.resolve("fw.bin"), data);
        String want = TunTcpTest.sha256(www.resolve("fw.bin"));

        try (Netns ns = new Netns(); PtyPair pty = new PtyPair()) {
            String[] gateway = {"gateway", "--netif", "tun:" + Netns.tunName() + ",netns=" + ns.name
                    + ",host=10.94.0.1/24", "--addr", "10.94.0.2/24", "--netif", "slip:" + pty.a + "@115200",
                "--addr", "10.93.0.1/24"};
            String[] device = {"serve", "--netif", "slip:" + pty.b + "@115200", "--addr", "10.93.0.2/24",
                "--gw", "10.93.0.1", "--http", "80", "--http-root", www.toString()};
            try (Running gw = new Running(gateway); Running dev = new Running(device)) {
                gw.await("forwarding between 2 netifs");
                dev.await("http serving");
                Netns.check(ns.exec(10, "ip", "route", "add", "10.93.0.0/24", "via", "10.94.0.2"), "route");
                RealPeer.Result ping = ns.exec(30, "ping", "-n", "-c", "3", "-i", "0.2", "-W", "2", "10.93.0.2");
                assertEquals(3, TunLinkTest.received(ping.out), "Linux pings the device through the gateway:\n" + ping);
                Path got = dir.resolve("got.bin");
                RealPeer.Result r = ns.exec(60, "curl", "-sS", "--max-time", "50", "-o", got.toString(), "-w",
                        "%{http_code} %{size_download} %{time_total}", "http://10.93.0.2/fw.bin");
                System.out.println("[cli gateway] curl 32 KiB from the SLIP device: " + r.out);
                assertEquals(0, r.rc, "curl: " + r);
                assertTrue(r.out.startsWith("200 " + data.length), r.out);
                assertEquals(want, TunTcpTest.sha256(got));
                assertEquals(0, dev.stop(), dev.all());
                assertEquals(0, gw.stop(), gw.all());
                assertEquals("", dev.err.text() + gw.err.text());
            }
        }
    }
}
