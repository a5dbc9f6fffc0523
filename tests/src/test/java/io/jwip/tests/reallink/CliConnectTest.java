package io.jwip.tests.reallink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code connect}, as its own process like {@code nc}: standard input through jwip's TCP over TUN to Linux
 * and back. Linux runs an echo server ({@code socat ... EXEC:cat}) in a throw-away namespace; what comes
 * back on standard output must be byte-exact, the status lines stay on standard error, and the end of
 * standard input half-closes the connection so that the echo ends too.
 */
class CliConnectTest {
    @TempDir
    Path dir;

    @Test
    void standardInputGoesThroughJwipToLinuxAndBack() throws Exception {
        RealPeer.requireTunAndNetns();
        RealPeer.requireTools("socat");
        byte[] data = new byte[300_000];
        new Random(7).nextBytes(data);
        Path in = Files.write(dir.resolve("in.bin"), data);
        try (Netns ns = new Netns()) {
            String tun = Netns.tunName();
            // The echo server's own standard error is kept apart from anything the test reads.
            Process echo = new ProcessBuilder("ip", "netns", "exec", ns.name, "socat", "TCP-LISTEN:7000,reuseaddr", "EXEC:cat")
                    .redirectError(dir.resolve("socat.err").toFile()).start();
            try {
                long until = System.currentTimeMillis() + 10_000; // until socat listens (readiness, not timing)
                while (ns.exec(5, "ss", "-Hltn", "sport = :7000").out.isBlank() && System.currentTimeMillis() < until) {
                    Thread.sleep(10);
                }
                CliErrorsTest.Proc p = new CliErrorsTest.Proc(CliErrorsTest.jwip(null, "connect", "--netif",
                        "tun:" + tun + ",netns=" + ns.name + ",host=10.96.0.1/24", "--addr", "10.96.0.2/24",
                        "--timeout", "10000", "10.96.0.1", "7000").redirectInput(in.toFile()));
                assertTrue(p.end(60), "connect ends when the echo server closes");
                assertEquals(0, p.p.exitValue(), p.err());
                byte[] got = p.outBytes();
                assertEquals(data.length, got.length, p.err());
                assertTrue(java.util.Arrays.equals(data, got), "byte-exact");
                assertTrue(p.err().contains("connected to 10.96.0.1:7000 from 10.96.0.2:"), p.err());
                assertTrue(p.err().contains("connection closed by 10.96.0.1:7000"), p.err());
            } finally {
                echo.toHandle().destroy();
                echo.waitFor();
            }
        }
    }
}
