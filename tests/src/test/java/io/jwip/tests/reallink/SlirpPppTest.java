package io.jwip.tests.reallink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jwip's PPP against a foreign peer: Debian's slirp (an independent PPP implementation descended from
 * ppp-2.1.2) on one end of a pty pair made by socat, jwip on the other, everything in a throw-away
 * namespace (see ../shared/peers/slirp/README.md for slirp's quirks: the select() shim, the trailing
 * space in SLIRP_TTY, the host address on lo). LCP and IPCP open, jwip gets 10.0.2.15 and slirp's DNS,
 * {@code ping 10.0.2.2} is answered, 1 MiB through slirp's {@code redir 5555 7} to jwip's echo comes back
 * byte-exact, and when slirp is killed jwip reports the link down with the reason.
 */
class SlirpPppTest {
    @TempDir
    Path dir;

    /** slirp in PPP mode on one end of a pty pair, in a namespace of its own. */
    final class Slirp implements AutoCloseable {
        final Netns ns;
        Process socat;
        Process slirp;
        final Path ptyB;
        final String options;

        Slirp() throws Exception {
            this("");
        }

        /** With {@code options} added to slirp's command line ("+pap" or "+chap": the secrets are jwip/s3cret). */
        Slirp(String options) throws Exception {
            this.options = options;
            ns = new Netns();
            assertEquals(0, ns.exec(10, "ip", "link", "set", "lo", "up").rc);
            assertEquals(0, ns.exec(10, "ip", "addr", "add", "10.9.9.1/32", "dev", "lo").rc);
            ptyB = dir.resolve("ptyB");
            launch();
        }

        /** A fresh pty pair and slirp on its first end (the second, ptyB, is jwip's: the same path each time). */
        void launch() throws Exception {
            Files.deleteIfExists(dir.resolve("slirp.log"));
            Path shim = dir.resolve("select-fix.so");
            RealPeer.Result cc = RealPeer.run(60, "gcc", "-shared", "-fPIC", "-O2", "-o", shim.toString(),
                    Path.of("tools", "slirp", "select-fix.c").toAbsolutePath().toString(), "-ldl");
            assertEquals(0, cc.rc, "the select() shim builds: " + cc);
            Path ptyA = dir.resolve("ptyA");
            socat = new ProcessBuilder("ip", "netns", "exec", ns.name, "socat", "PTY,link=" + ptyA + ",raw,echo=0",
                    "PTY,link=" + ptyB + ",raw,echo=0").redirectErrorStream(true)
                    .redirectOutput(dir.resolve("socat.log").toFile()).start();
            long until = System.currentTimeMillis() + 10_000; // until socat made both ends (readiness)
            while (!(Files.exists(ptyA) && Files.exists(ptyB)) && System.currentTimeMillis() < until) {
                Thread.sleep(10);
            }
            String real = ptyA.toRealPath().toString();
            Path home = Files.createDirectories(dir.resolve("home"));
            Files.writeString(home.resolve(".pap-secrets"), "jwip * s3cret\n");
            Files.writeString(home.resolve(".chap-secrets"), "jwip * s3cret\n");
            ProcessBuilder pb = new ProcessBuilder("ip", "netns", "exec", ns.name, "script", "-qc",
                    "slirp ppp " + options + " \"host addr 10.9.9.1\" nozeros \"redir 5555 7\" \"baudrate 20000000\" \"towrite_max 1000000\"",
                    "/dev/null").directory(home.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("slirp.log").toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().put("LD_PRELOAD", shim.toString());
            pb.environment().put("SLIRP_TTY", real + " "); // slirp drops the last character
            pb.environment().put("HOME", home.toString());
            slirp = pb.start();
            until = System.currentTimeMillis() + 15_000;
            while (!log().contains("SLiRP Ready") && System.currentTimeMillis() < until) {
                Thread.sleep(20);
            }
            assertTrue(log().contains("SLiRP Ready"), "slirp listens: " + log());
        }

        String log() throws IOException {
            Path l = dir.resolve("slirp.log");
            return Files.exists(l) ? Files.readString(l) : "";
        }

        /** Ends slirp (and the script around it): what remains of its processes in the namespace. */
        void killSlirp() throws Exception {
            for (String pid : ns.exec(10, "ip", "netns", "pids", ns.name).out.split("\\s+")) {
                if (pid.isBlank() || Long.parseLong(pid) == socat.pid()) {
                    continue;
                }
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(h -> {
                    if (h.info().command().orElse("").endsWith("slirp")) {
                        h.destroy();
                    }
                });
            }
            slirp.waitFor();
        }

        /** slirp again, on a new pty pair (socat ends with its first end's slirp): what a restarted peer looks like. */
        void restart() throws Exception {
            if (socat.isAlive()) {
                socat.toHandle().destroy();
            }
            socat.waitFor();
            launch();
        }

        List<String> jwip(String... argv) throws IOException {
            List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns.name));
            cmd.addAll(CliErrorsTest.jwip(null, argv).command());
            return cmd;
        }

        @Override
        public void close() throws Exception {
            for (String pid : RealPeer.run(10, "ip", "netns", "pids", ns.name).out.split("\\s+")) {
                if (!pid.isBlank()) {
                    ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroy);
                }
            }
            slirp.waitFor();
            socat.waitFor();
            ns.close();
        }
    }

    /** jwip as the PPP server (and with auth= the authenticator) and jwip as the client, over a pty pair. */
    @org.junit.jupiter.params.ParameterizedTest(name = "auth {0}, client password {1}")
    @org.junit.jupiter.params.provider.CsvSource({"none,none", "pap,s3cret", "chap,s3cret", "chap,guess"})
    void jwipServerAndJwipClient_overAPtyPair_pingAndEcho(String auth, String password) throws Exception {
        RealPeer.requireTools("socat");
        Path a = dir.resolve("ptyA");
        Path b = dir.resolve("ptyB");
        Process socat = new ProcessBuilder("socat", "PTY,link=" + a + ",raw,echo=0", "PTY,link=" + b + ",raw,echo=0")
                .redirectErrorStream(true).redirectOutput(dir.resolve("socat.log").toFile()).start();
        try {
            long until = System.currentTimeMillis() + 10_000; // until both ends exist (readiness)
            while (!(Files.exists(a) && Files.exists(b)) && System.currentTimeMillis() < until) {
                Thread.sleep(10);
            }
            CliErrorsTest.Proc server = new CliErrorsTest.Proc(CliErrorsTest.jwip(null, "serve", "--netif",
                    "ppp:" + a + ",server,addr=10.9.8.1,peer=10.9.8.2" + (auth.equals("none") ? "" : ",auth=" + auth + ",user=jwip,password=s3cret"),
                    "--echo", "7", "--duration", "60"));
            try {
                server.await("tcp echo on port 7");
                CliErrorsTest.Proc ping = new CliErrorsTest.Proc(CliErrorsTest.jwip(null, "ping", "--netif", "ppp:" + b
                        + (password.equals("none") ? "" : ",user=jwip,password=" + password), "-c", "3", "-i", "200", "10.9.8.1"));
                assertTrue(ping.end(60));
                if (password.equals("guess")) {
                    assertEquals(6, ping.p.exitValue(), ping.out() + ping.err());
                    assertTrue(ping.err().contains("authentication failed: CHAP: the peer refused our secret (wrong name or secret)"), ping.err());
                    server.await("down: authentication failed: CHAP: the peer's response did not match our secret");
                    return;
                }
                assertEquals(0, ping.p.exitValue(), ping.out() + ping.err());
                assertTrue(ping.out().contains("PING 10.9.8.1 from 10.9.8.2 ppp0"), "the server assigned the address: " + ping.out());
                assertTrue(ping.out().contains("3 packets transmitted, 3 received"), ping.out());
                server.await("ppp ppp0 up: 10.9.8.1 peer 10.9.8.2");
            } finally {
                server.kill();
            }
        } finally {
            socat.toHandle().destroy();
            socat.waitFor();
        }
    }

    @Test
    void lcpAndIpcpOpenWithSlirp_pingIsAnswered() throws Exception {
        RealPeer.requireTunAndNetns();
        RealPeer.requireTools("slirp", "socat", "gcc", "script");
        try (Slirp s = new Slirp()) {
            CliErrorsTest.Proc ping = new CliErrorsTest.Proc(new ProcessBuilder(s.jwip("ping", "--netif",
                    "ppp:" + s.ptyB + ",peer=10.0.2.2", "-c", "3", "-i", "200", "10.0.2.2")));
            assertTrue(ping.end(60), "ping ends");
            assertEquals(0, ping.p.exitValue(), ping.out() + ping.err() + s.log());
            assertTrue(ping.out().contains("PING 10.0.2.2 from 10.0.2.15 ppp0"), "the address IPCP gave: " + ping.out());
            assertTrue(ping.out().contains("3 packets transmitted, 3 received"), ping.out());
        }
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0} with the {1} secret")
    @org.junit.jupiter.params.provider.CsvSource({"+pap,right", "+pap,wrong", "+chap,right", "+chap,wrong"})
    void authentication_papAndChap_rightAndWrongSecrets(String option, String which) throws Exception {
        RealPeer.requireTunAndNetns();
        RealPeer.requireTools("slirp", "socat", "gcc", "script");
        try (Slirp s = new Slirp(option)) {
            String password = which.equals("right") ? "s3cret" : "guess";
            CliErrorsTest.Proc ping = new CliErrorsTest.Proc(new ProcessBuilder(s.jwip("ping", "--netif",
                    "ppp:" + s.ptyB + ",peer=10.0.2.2,user=jwip,password=" + password, "-c", "2", "-i", "200", "-W", "2000", "10.0.2.2")));
            assertTrue(ping.end(60), "ping ends");
            if (which.equals("right")) {
                assertEquals(0, ping.p.exitValue(), ping.out() + ping.err() + s.log());
                assertTrue(ping.out().contains("2 packets transmitted, 2 received"), ping.out());
            } else {
                assertEquals(6, ping.p.exitValue(), "a wrong secret: the link goes down: " + ping.out() + ping.err());
                assertTrue(ping.err().contains("went down: PPP down: authentication failed: "
                        + (option.equals("+pap") ? "PAP: the peer refused our name or password" : "CHAP: the peer refused our secret")),
                        ping.err());
            }
        }
    }

    @Test
    void oneMebibyteThroughSlirpsRedirToJwipsEcho_byteExact_thenSlirpKilled_linkDownReported() throws Exception {
        RealPeer.requireTunAndNetns();
        RealPeer.requireTools("slirp", "socat", "gcc", "script");
        byte[] data = new byte[1 << 20];
        new Random(13).nextBytes(data);
        Path in = Files.write(dir.resolve("in.bin"), data);
        try (Slirp s = new Slirp()) {
            CliErrorsTest.Proc serve = new CliErrorsTest.Proc(new ProcessBuilder(s.jwip("serve", "--netif",
                    "ppp:" + s.ptyB + ",peer=10.0.2.2,echo=1", "--echo", "7", "--duration", "120")));
            try {
                serve.await("ppp ppp0 up: 10.0.2.15 peer 10.0.2.2 dns ");
                Path got = dir.resolve("got.bin");
                RealPeer.Result r = s.ns.exec(60, in.toFile(), "sh", "-c", "socat -t 10 - TCP:127.0.0.1:5555 > " + got);
                assertEquals(0, r.rc, r.toString());
                assertTrue(java.util.Arrays.equals(data, Files.readAllBytes(got)), "1 MiB byte-exact through slirp and jwip's PPP");
                s.killSlirp();
                assertTrue(serve.end(30), "serve ends when the PPP peer is gone:\n" + serve.out() + serve.err());
                assertEquals(6, serve.p.exitValue(), serve.err());
                assertTrue(serve.err().contains("went down: PPP down: echo timeout"), serve.err());
                System.out.println("[ppp/slirp] " + serve.err().trim());
            } finally {
                serve.kill();
            }
        }
    }

    /** The value of the last {@code --stats} line {@code what} in {@code stats} (0 if none yet). */
    static long lastCounter(String stats, String what) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)  " + java.util.regex.Pattern.quote(what) + "\n").matcher(stats);
        long v = 0;
        while (m.find()) {
            v = Long.parseLong(m.group(1));
        }
        return v;
    }


    /**
     * Van Jacobson compression against slirp, on (both ends ask for it) and off (slirp started with
     * {@code -vj}: it rejects jwip's request and asks for nothing): 1 MiB through slirp's redir to jwip's
     * echo byte-exact both times; jwip's final stats give the line bytes per IPv4 packet it sent.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "VJ {0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"on", "off"})
    void oneMebibyteThroughSlirp_vjOnAndOff_byteExact_lineBytesPerPacket(String vj) throws Exception {
        RealPeer.requireTunAndNetns();
        RealPeer.requireTools("slirp", "socat", "gcc", "script");
        byte[] data = new byte[1 << 20];
        new Random(17).nextBytes(data);
        Path in = Files.write(dir.resolve("in.bin"), data);
        try (Slirp s = new Slirp(vj.equals("off") ? "-vj" : "")) {
            CliErrorsTest.Proc serve = new CliErrorsTest.Proc(new ProcessBuilder(s.jwip("serve", "--netif",
                    "ppp:" + s.ptyB + ",peer=10.0.2.2", "--echo", "7", "--duration", "300", "--stats", "all")));
            try {
                serve.await("ppp ppp0 up: 10.0.2.15 peer 10.0.2.2 dns ");
                Path got = dir.resolve("got.bin");
                RealPeer.Result r = s.ns.exec(90, in.toFile(), "sh", "-c", "socat -t 10 - TCP:127.0.0.1:5555 > " + got);
                assertEquals(0, r.rc, r.toString());
                assertTrue(java.util.Arrays.equals(data, Files.readAllBytes(got)), "1 MiB byte-exact, VJ " + vj);
                serve.p.toHandle().destroy(); // SIGTERM: a normal stop, final stats printed
                assertTrue(serve.end(30), serve.err());
            } finally {
                serve.kill();
            }
            String out = serve.out();
            long packets = lastCounter(out, "IPv4 packets sent");
            long bytes = lastCounter(out, "line bytes of the IPv4 packets sent");
            long compressed = lastCounter(out, "sent VJ-compressed");
            long received = lastCounter(out, "received VJ-compressed");
            System.out.printf("[ppp/slirp] VJ %s: %d IPv4 packets sent in %d line bytes, %.1f bytes per packet;"
                    + " %d sent compressed, %d received compressed%n", vj, packets, bytes, (double) bytes / packets, compressed, received);
            assertTrue(packets > 700, out);
            if (vj.equals("on")) {
                assertTrue(compressed > packets / 2, "most segments compressed: " + out);
                assertTrue(received > 0, "slirp compressed toward us too: " + out);
            } else {
                assertEquals(0, compressed, out);
                assertTrue(out.contains("VJ slots 0 out / 0 in"), out);
            }
        }
    }

    /**
     * slirp killed in the middle of a transfer: jwip reports the link down with the reason, and with
     * {@code --reconnect} negotiates again when slirp is back (on a new pty pair at the same path), after
     * which data flows again byte-exact.
     */
    @Test
    void slirpKilledMidTransfer_downReported_reconnectComesBackWhenSlirpRestarts() throws Exception {
        RealPeer.requireTunAndNetns();
        RealPeer.requireTools("slirp", "socat", "gcc", "script");
        byte[] data = new byte[4 << 20];
        new Random(19).nextBytes(data);
        Path in = Files.write(dir.resolve("in.bin"), data);
        try (Slirp s = new Slirp()) {
            CliErrorsTest.Proc serve = new CliErrorsTest.Proc(new ProcessBuilder(s.jwip("serve", "--netif",
                    "ppp:" + s.ptyB + ",peer=10.0.2.2,echo=1", "--echo", "7", "--reconnect", "--duration", "300", "--stats-every", "1")));
            try {
                serve.await("ppp ppp0 up: 10.0.2.15 peer 10.0.2.2");
                Process transfer = new ProcessBuilder("ip", "netns", "exec", s.ns.name, "sh", "-c",
                        "socat -t 5 - TCP:127.0.0.1:5555 > /dev/null").redirectInput(in.toFile())
                        .redirectErrorStream(true).redirectOutput(dir.resolve("transfer.log").toFile()).start();
                long until = System.currentTimeMillis() + 30_000; // until data flows (its stats say so)
                while (lastCounter(serve.out(), "IPv4 packets sent") < 300 && System.currentTimeMillis() < until) {
                    Thread.sleep(20);
                }
                assertTrue(transfer.isAlive(), "still transferring when slirp is killed");
                s.killSlirp(); // mid-transfer
                serve.await("went down: PPP down: ");
                String down = serve.out();
                assertTrue(down.contains("; reconnecting"), down);
                transfer.toHandle().destroy();
                transfer.waitFor();
                s.restart();
                until = System.currentTimeMillis() + 90_000;
                while (serve.out().split("ppp ppp0 up: 10.0.2.15", -1).length < 3 && System.currentTimeMillis() < until
                        && serve.p.isAlive()) {
                    Thread.sleep(50);
                }
                assertTrue(serve.out().split("ppp ppp0 up: 10.0.2.15", -1).length >= 3, "up again:\n" + serve.out() + serve.err() + s.log());
                byte[] small = java.util.Arrays.copyOf(data, 100_000);
                Path smallIn = Files.write(dir.resolve("small.bin"), small);
                Path got = dir.resolve("got.bin");
                RealPeer.Result r = s.ns.exec(60, smallIn.toFile(), "sh", "-c", "socat -t 10 - TCP:127.0.0.1:5555 > " + got);
                assertEquals(0, r.rc, r.toString());
                assertTrue(java.util.Arrays.equals(small, Files.readAllBytes(got)), "byte-exact after the reconnect");
                System.out.println("[ppp/slirp] reconnect: " + serve.out().replaceAll("(?s).*(went down: [^\n]*).*", "$1"));
            } finally {
                serve.kill();
            }
        }
    }

    /**
     * {@code gateway} with a PPP netif: Linux (a namespace) 10.97.1.1 --TUN-- 10.97.1.2 jwip gateway
     * 10.96.1.1 --PPP server over a pty pair-- 10.96.1.2 jwip device (assigned by IPCP) with its echo:
     * Linux pings the device and 100 kB come back byte-exact through the gateway.
     */
    @Test
    void gatewayBetweenTunAndPpp_linuxReachesTheDeviceBehindIt() throws Exception {
        RealPeer.requireTunAndNetns();
        RealPeer.requireTools("socat");
        Path a = dir.resolve("ptyA");
        Path b = dir.resolve("ptyB");
        byte[] data = new byte[100_000];
        new Random(23).nextBytes(data);
        Path in = Files.write(dir.resolve("in.bin"), data);
        Process socat = new ProcessBuilder("socat", "PTY,link=" + a + ",raw,echo=0", "PTY,link=" + b + ",raw,echo=0")
                .redirectErrorStream(true).redirectOutput(dir.resolve("socat.log").toFile()).start();
        try (Netns ns = new Netns()) {
            long until = System.currentTimeMillis() + 10_000; // until both ends exist (readiness)
            while (!(Files.exists(a) && Files.exists(b)) && System.currentTimeMillis() < until) {
                Thread.sleep(10);
            }
            CliErrorsTest.Proc gw = new CliErrorsTest.Proc(CliErrorsTest.jwip(null, "gateway", "--netif",
                    "tun:jwpg0,netns=" + ns.name + ",host=10.97.1.1/24", "--addr", "10.97.1.2/24",
                    "--netif", "ppp:" + a + ",server,addr=10.96.1.1,peer=10.96.1.2", "--duration", "120"));
            CliErrorsTest.Proc dev = new CliErrorsTest.Proc(CliErrorsTest.jwip(null, "serve", "--netif", "ppp:" + b,
                    "--echo", "7", "--duration", "120"));
            try {
                gw.await("ppp ppp1 up: 10.96.1.1 peer 10.96.1.2");
                dev.await("ppp ppp0 up: 10.96.1.2 peer 10.96.1.1");
                Netns.check(ns.exec(10, "ip", "route", "add", "10.96.1.0/24", "via", "10.97.1.2"), "route to the device");
                RealPeer.Result ping = ns.exec(30, "ping", "-c", "3", "-i", "0.2", "-W", "2", "10.96.1.2");
                assertEquals(0, ping.rc, ping + gw.out() + dev.out());
                Path got = dir.resolve("got.bin");
                RealPeer.Result r = ns.exec(60, in.toFile(), "sh", "-c", "socat -t 5 - TCP:10.96.1.2:7 > " + got);
                assertEquals(0, r.rc, r.toString());
                assertTrue(java.util.Arrays.equals(data, Files.readAllBytes(got)), "100 kB byte-exact through the gateway");
            } finally {
                dev.kill();
                gw.kill();
            }
        } finally {
            socat.toHandle().destroy();
            socat.waitFor();
        }
    }
}
