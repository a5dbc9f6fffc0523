package io.jwip.tests.reallink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Hostile peers against {@code serve} over TUN, with packets crafted by scapy (Debian's python3-scapy) in
 * a throw-away namespace: a flood of 500 spoofed SYNs, after which a new client must complete its handshake
 * and echo within one second; and a peer that holds the window closed after the server wrote and closed,
 * which must be reset once the zero-window probes make no progress.
 */
class TunHostileTest {
    static final String LINUX = "10.89.0.1";
    static final String JWIP = "10.89.0.2";
    static final Path TOOLS = Paths.get("tools", "hostile").toAbsolutePath();
    /** Debian's python3, which has scapy (a python3 earlier on PATH may not). */
    static final String PYTHON = "/usr/bin/python3";

    private static void requireScapy() throws Exception {
        RealPeer.require(RealPeer.run(10, PYTHON, "-c", "import scapy").rc == 0,
                "scapy for " + PYTHON + " (apt-get install python3-scapy; make test installs it as root)");
    }

    @Test
    void synFloodOf500_thenANewClientCompletesHandshakeAndEchoWithinOneSecond() throws Exception {
        RealPeer.requireTunAndNetns();
        requireScapy();
        try (Netns ns = new Netns()) {
            String tun = Netns.tunName();
            try (CliRealLinkTest.Running served = new CliRealLinkTest.Running("serve", "--netif",
                    "tun:" + tun + ",netns=" + ns.name + ",host=" + LINUX + "/24", "--addr", JWIP + "/24",
                    "--echo", "7", "--duration", "120")) {
                served.await("tcp echo on port 7");
                RealPeer.Result r = ns.exec(60, PYTHON, TOOLS.resolve("synflood.py").toString(), JWIP, "7", "500");
                System.out.println("[tun syn flood]\n" + r.out);
                assertEquals(0, r.rc, r.toString());
                Matcher m = Pattern.compile("handshake \\+ echo in ([0-9.]+) ms, echo ok").matcher(r.out);
                assertTrue(m.find(), r.toString());
                double ms = Double.parseDouble(m.group(1));
                assertTrue(ms < 1000, "handshake + echo took " + ms + " ms");
                assertEquals(0, served.stop(), served.all());
                String out = served.out.text();
                assertTrue(out.contains("SYN cookies sent"), "the flood was answered with cookies:\n" + out);
            }
        }
    }

    @Test
    void zeroWindowHold_afterServeWritesAndCloses_isResetWhenProbesMakeNoProgress() throws Exception {
        RealPeer.requireTunAndNetns();
        requireScapy();
        try (Netns ns = new Netns()) {
            String tun = Netns.tunName();
            // Four probes with intervals up to one second: the give-up comes in seconds, not minutes.
            try (CliRealLinkTest.Running served = new CliRealLinkTest.Running("serve", "--netif",
                    "tun:" + tun + ",netns=" + ns.name + ",host=" + LINUX + "/24", "--addr", JWIP + "/24",
                    "--http", "80", "--max-rtx", "4", "--persist-max", "1000", "--duration", "120", "--stats", "all")) {
                served.await("http");
                RealPeer.Result r = ns.exec(60, PYTHON, TOOLS.resolve("zerowindow.py").toString(), tun, JWIP, "80",
                        "10.89.0.66", "30");
                System.out.println("[tun zero-window hold]\n" + r.out);
                assertEquals(0, r.rc, r.toString());
                assertTrue(r.out.contains("reset after"), r.toString());
                assertEquals(0, served.stop(), served.all());
                String out = served.out.text();
                Matcher m = Pattern.compile("(\\d+)  connections given up after zero-window probes").matcher(out);
                assertTrue(m.find() && Integer.parseInt(m.group(1)) == 1, "one persist give-up:\n" + out);
                assertTrue(out.contains("FIN_WAIT_1          0"), "nothing left in FIN_WAIT_1:\n" + out);
            }
        }
    }
}
