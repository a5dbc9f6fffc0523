package io.jwip.tests.reallink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jwip on a LAN run by Debian's dnsmasq: a namespace with a Linux bridge, two persistent TAP devices on it
 * and dnsmasq serving DHCP (2-minute leases, T1 10 s, T2 20 s) and DNS ({@code device.test}) on the bridge;
 * jwip runs inside the namespace.
 *
 * <ol>
 *   <li>{@code serve --dhcp} gets a lease (address, router, DNS), Linux pings it and reads its
 *       {@code /status.json}, which shows the lease;</li>
 *   <li>{@code resolve --dhcp device.test} on the second TAP prints dnsmasq's address; an unknown name
 *       is NXDOMAIN, exit 1;</li>
 *   <li>the lease is renewed at T1 (measured: 10 s after it was bound, within a second or two);</li>
 *   <li>with dnsmasq stopped, the next T1 starts RENEWING, T2 REBINDING, and at the end of the lease the
 *       address is taken away and the client starts over (RFC 2131 4.4.5).</li>
 * </ol>
 */
class DhcpDnsmasqTest {
    /** The stack time in seconds that serve prints in front of every DHCP line: group 1. */
    static final String T = "dhcp [^ ]+ \\[([0-9.]+) s\\]: ";

    @TempDir
    Path dir;

    /** Waits until {@code out} has a line matching {@code regex} after index {@code from}; returns the match's end. */
    static Matcher awaitLine(CliErrorsTest.Proc p, String regex, int from, long timeoutMs) throws InterruptedException {
        Pattern pat = Pattern.compile(regex);
        long until = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < until) {
            Matcher m = pat.matcher(p.out());
            if (m.find(from)) {
                return m;
            }
            Thread.sleep(10);
        }
        fail("no line /" + regex + "/ within " + timeoutMs + " ms:\n" + p.out() + p.err());
        return null;
    }

    @Test
    void leaseFromDnsmasq_pingAndStatus_resolve_renewAtT1_rebindAndExpiryWithoutTheServer() throws Exception {
        RealPeer.requireTunAndNetns();
        RealPeer.requireTools("dnsmasq", "ping", "curl");
        try (Netns ns = new Netns()) {
            String tapA = Netns.tunName();
            String tapB = Netns.tunName();
            for (String[] c : new String[][] {
                {"ip", "link", "add", "br0", "type", "bridge"},
                {"ip", "addr", "add", "10.9.7.1/24", "dev", "br0"},
                {"ip", "link", "set", "br0", "up"},
                {"ip", "tuntap", "add", "dev", tapA, "mode", "tap"},
                {"ip", "link", "set", tapA, "master", "br0", "up"},
                {"ip", "tuntap", "add", "dev", tapB, "mode", "tap"},
                {"ip", "link", "set", tapB, "master", "br0", "up"}}) {
                RealPeer.Result r = ns.exec(10, c);
                assertEquals(0, r.rc, String.join(" ", c) + ": " + r);
            }
            Process dnsmasq = new ProcessBuilder("ip", "netns", "exec", ns.name, "dnsmasq", "--no-daemon",
                    "--conf-file=/dev/null", "--interface=br0", "--bind-interfaces", "--no-resolv", "--no-hosts",
                    "--dhcp-range=10.9.7.50,10.9.7.99,2m", "--dhcp-option=58,10", "--dhcp-option=59,20",
                    "--address=/device.test/10.9.7.7", "--address=/linux.test/10.9.7.1", "--local=/test/", "--dhcp-leasefile=" + dir.resolve("leases"),
                    "--pid-file=", "--log-dhcp")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("dnsmasq.log").toFile()).start();
            CliErrorsTest.Proc serve = null;
            try {
                List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns.name));
                cmd.addAll(CliErrorsTest.jwip(null, "serve", "--netif", "tap:" + tapA, "--dhcp", "--hostname",
                        "jwip-device", "--http", "80", "--duration", "400").command());
                serve = new CliErrorsTest.Proc(new ProcessBuilder(cmd));
                Matcher acked = awaitLine(serve, T + "REQUESTING -> CHECKING \\(ACK: probing the address\\)", 0, 30_000);
                double ackAt = Double.parseDouble(acked.group(1)); // about when the REQUEST went out: T1 counts from there
                Matcher bound = awaitLine(serve, T + "CHECKING -> BOUND \\(address in use\\): (10\\.9\\.7\\.\\d+)/24 router 10\\.9\\.7\\.1"
                        + " dns 10\\.9\\.7\\.1 lease 120 s from 10\\.9\\.7\\.1", acked.end(), 30_000);
                String addr = bound.group(2);

                RealPeer.Result ping = ns.exec(30, "ping", "-c", "3", "-i", "0.2", "-W", "5", addr);
                assertEquals(0, ping.rc, "Linux pings jwip at its leased address: " + ping);
                RealPeer.Result status = ns.exec(30, "curl", "-sS", "--max-time", "20", "http://" + addr + "/status.json");
                assertTrue(status.out.contains("\"dhcp\":{\"state\":\"BOUND\",\"address\":\"" + addr + "/24\",\"server\":\"10.9.7.1\""),
                        status.out);

                CliErrorsTest.Proc resolve = new CliErrorsTest.Proc(new ProcessBuilder(withNs(ns,
                        CliErrorsTest.jwip(null, "resolve", "--netif", "tap:" + tapB, "--dhcp", "device.test").command())));
                assertTrue(resolve.end(60), "resolve ends");
                assertEquals(0, resolve.p.exitValue(), resolve.out() + resolve.err());
                assertEquals("device.test: 10.9.7.7\n", resolve.out(), resolve.err());
                CliErrorsTest.Proc missing = new CliErrorsTest.Proc(new ProcessBuilder(withNs(ns,
                        CliErrorsTest.jwip(null, "resolve", "--netif", "tap:" + tapB, "--dhcp", "nothing.test").command())));
                assertTrue(missing.end(60));
                assertEquals(1, missing.p.exitValue(), missing.err());
                assertTrue(missing.err().endsWith("jwip resolve: nothing.test: no such name (NXDOMAIN)\n"), missing.err());

                // connect by name: the lease's DNS server names Linux's end, where socat echoes.
                Process echo = new ProcessBuilder("ip", "netns", "exec", ns.name, "socat", "TCP-LISTEN:7000,reuseaddr", "EXEC:cat")
                        .redirectErrorStream(true).redirectOutput(dir.resolve("socat.log").toFile()).start();
                try {
                    long listen = System.currentTimeMillis() + 10_000; // until socat listens (readiness, not timing)
                    while (ns.exec(5, "ss", "-Hltn", "sport = :7000").out.isBlank() && System.currentTimeMillis() < listen) {
                        Thread.sleep(10);
                    }
                    Path in = java.nio.file.Files.writeString(dir.resolve("in.txt"), "hello by name\n");
                    CliErrorsTest.Proc connect = new CliErrorsTest.Proc(new ProcessBuilder(withNs(ns,
                            CliErrorsTest.jwip(null, "connect", "--netif", "tap:" + tapB, "--dhcp", "linux.test", "7000").command()))
                            .redirectInput(in.toFile()));
                    assertTrue(connect.end(60), "connect ends when the echo closes");
                    assertEquals(0, connect.p.exitValue(), connect.err());
                    assertEquals("hello by name\n", connect.out(), connect.err());
                    assertTrue(connect.err().contains("linux.test is 10.9.7.1"), connect.err());
                } finally {
                    echo.toHandle().destroy();
                    echo.waitFor();
                }

                Matcher renewing = awaitLine(serve, T + "BOUND -> RENEWING \\(T1\\)", bound.end(), 60_000);
                double t1 = Double.parseDouble(renewing.group(1)) - ackAt;
                Matcher renewed = awaitLine(serve, T + "RENEWING -> BOUND \\(ACK: renewed\\)", renewing.end(), 10_000);
                double renewedAt = Double.parseDouble(renewed.group(1));
                System.out.printf("[dhcp] renewal started %.3f s after the ACK (T1 = 10 s from the REQUEST)%n", t1);
                assertTrue(t1 > 9.5 && t1 < 10.5, "renewal at T1: " + t1 + " s");

                // Stop the server before the next renewal is answered (the last answered one was the latest ACK).
                int lastEnd = renewed.end();
                dnsmasq.toHandle().destroy();
                dnsmasq.waitFor();
                Matcher more = Pattern.compile(T + "RENEWING -> BOUND \\(ACK: renewed\\)").matcher(serve.out());
                while (more.find(lastEnd)) {
                    lastEnd = more.end(); // renewals answered while the resolves ran
                    renewedAt = Double.parseDouble(more.group(1));
                }
                Matcher r2 = awaitLine(serve, T + "BOUND -> RENEWING \\(T1\\)", lastEnd, 20_000);
                Matcher rebinding = awaitLine(serve, T + "RENEWING -> REBINDING \\(T2\\)", r2.end(), 20_000);
                double t2 = Double.parseDouble(rebinding.group(1)) - renewedAt;
                Matcher expired = awaitLine(serve, T + "REBINDING -> INIT \\(lease expired\\)", rebinding.end(), 130_000);
                double exp = Double.parseDouble(expired.group(1)) - renewedAt;
                System.out.printf("[dhcp] without the server: REBINDING %.1f s and expiry %.1f s after the renewal%n", t2, exp);
                // dnsmasq's ACK to a renewal gives T1 9 s and T2 19 s (seen in a capture), its first ACK 10 and 20.
                assertTrue(t2 > 18.5 && t2 < 20.5, "rebinding at T2: " + t2);
                assertTrue(exp > 119.5 && exp < 120.5, "expiry at the lease's end: " + exp);
                awaitLine(serve, T + "INIT -> SELECTING \\(DISCOVER\\)", expired.end(), 5_000);
                RealPeer.Result gone = ns.exec(15, "ping", "-c", "1", "-W", "2", addr);
                assertTrue(gone.rc != 0, "the address is gone");
                serve.p.toHandle().destroy();
                assertTrue(serve.end(20));
                assertEquals(0, serve.p.exitValue(), serve.err());
            } finally {
                if (serve != null) {
                    serve.kill();
                }
                dnsmasq.toHandle().destroy();
                dnsmasq.waitFor();
            }
        }
    }

    static List<String> withNs(Netns ns, List<String> cmd) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", ns.name));
        all.addAll(cmd);
        return all;
    }
}
