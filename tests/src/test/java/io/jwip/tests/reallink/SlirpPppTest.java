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
        final Process socat;
        Process slirp;
        final Path ptyB;

        Slirp() throws Exception {
            this("");
        }

        /** With {@code options} added to slirp's command line ("+pap" or "+chap": the secrets are jwip/s3cret). */
        Slirp(String options) throws Exception {
            ns = new Netns();
            assertEquals(0, ns.exec(10, "ip", "link", "set", "lo", "up").rc);
            assertEquals(0, ns.exec(10, "ip", "addr", "add", "10.9.9.1/32", "dev", "lo").rc);
            Path shim = dir.resolve("select-fix.so");
            RealPeer.Result cc = RealPeer.run(60, "gcc", "-shared", "-fPIC", "-O2", "-o", shim.toString(),
                    Path.of("tools", "slirp", "select-fix.c").toAbsolutePath().toString(), "-ldl");
            assertEquals(0, cc.rc, "the select() shim builds: " + cc);
            Path ptyA = dir.resolve("ptyA");
            ptyB = dir.resolve("ptyB");
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

    @Test
    void jwipServerAndJwipClient_overAPtyPair_pingAndEcho() throws Exception {
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
                    "ppp:" + a + ",server,addr=10.9.8.1,peer=10.9.8.2", "--echo", "7", "--duration", "60"));
            try {
                server.await("tcp echo on port 7");
                CliErrorsTest.Proc ping = new CliErrorsTest.Proc(CliErrorsTest.jwip(null, "ping", "--netif", "ppp:" + b,
                        "-c", "3", "-i", "200", "10.9.8.1"));
                assertTrue(ping.end(60));
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
}
