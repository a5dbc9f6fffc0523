package io.jwip.tests.reallink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwip.Err;
import io.jwip.JwipOptions;
import io.jwip.examples.services.HttpServer;
import io.jwip.examples.services.Services;
import io.jwip.examples.services.TcpEcho;
import io.jwip.tests.CaptureTest;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jwip's TCP services on a Linux TUN device (MTU 1500) with the Linux kernel's own TCP as the peer, each
 * test in a throw-away namespace ({@link TunRig}): {@code curl} downloads 10 MB from {@link HttpServer}
 * while a pcap is written (which must open in {@code tshark -r}), and {@code socat} and {@code nc} send
 * 1 MB through {@link TcpEcho} and get it back byte-exact.
 */
class TunTcpTest {
    static final String LINUX = "10.99.2.1";
    static final String JWIP = "10.99.2.2";
    static final Path CAPTURE = Paths.get("target", "captures", "tun-curl-10MB.pcap");

    @TempDir
    Path dir;
    TunRig rig;

    @BeforeEach
    void check() {
        RealPeer.requireTunAndNetns();
    }

    @AfterEach
    void down() throws Exception {
        if (rig != null) {
            rig.close();
        }
    }

    void up(Path pcap) throws Exception {
        rig = new TunRig(LINUX, JWIP, new JwipOptions(), pcap);
        rig.driver.exec(() -> Services.tcp(rig.stack));
    }

    static String sha256(Path f) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    }

    @Test
    void curlDownloadsTenMegabytesWithACaptureThatTsharkOpens() throws Exception {
        RealPeer.requireTools("curl", "tshark");
        Path www = Files.createDirectories(dir.resolve("www"));
        byte[] data = new byte[10 * 1024 * 1024];
        new Random(5).nextBytes(data);
        Files.write(www.resolve("big.bin"), data);
        String want = sha256(www.resolve("big.bin"));
        Files.deleteIfExists(CAPTURE);
        up(CAPTURE);
        HttpServer http = rig.driver.call(() -> {
            HttpServer h = new HttpServer(rig.stack, www);
            assertEquals(Err.OK, h.start(80));
            return h;
        });
        Path got = dir.resolve("got.bin");
        RealPeer.Result r = rig.ns.exec(120, "curl", "-sS", "--max-time", "100", "-o", got.toString(), "-w",
                "%{http_code} %{size_download} %{time_total} %{speed_download}", "http://" + JWIP + "/big.bin");
        System.out.println("[curl 10 MB over TUN] code bytes seconds bytes/s: " + r.out);
        assertEquals(0, r.rc, "curl: " + r);
        assertTrue(r.out.startsWith("200 " + data.length + " "), r.out);
        assertEquals(want, sha256(got), "SHA-256 of the download");
        assertEquals(1, rig.driver.call(http::requests));
        assertEquals(0, rig.driver.call(() -> rig.stack.stats().drops(io.jwip.stats.Drop.TCP_BAD_CHECKSUM)
                + rig.stack.stats().drops(io.jwip.stats.Drop.IP_BAD_CHECKSUM)), "jwip accepted Linux's checksums");
        rig.driver.exec(http::stop);
        rig.close(); // pools full, capture flushed and closed, namespace gone

        assertEquals(0, rig.pcap.errors());
        long packets = rig.pcap.packets();
        assertTrue(packets > data.length / 1460, "capture holds the transfer: " + packets + " packets");
        String file = CAPTURE.toString();
        // Opens without errors (tshark asserts exit 0 and an empty stderr but for the root warning) and
        // has every packet; the protocol hierarchy shows TCP and HTTP.
        CaptureTest.Run phs = CaptureTest.tshark("-r", file, "-q", "-z", "io,phs");
        System.out.println("[tshark] -r " + file + " -q -z io,phs\n" + phs.out);
        assertTrue(phs.out.contains("frames:" + packets + " "), phs.out);
        assertTrue(phs.out.contains("tcp "), phs.out);
        assertTrue(phs.out.contains("http "), phs.out);
        // The request and the response's first segment, without reassembling 10 MB.
        CaptureTest.Run http1 = CaptureTest.tshark("-r", file, "-o", "tcp.desegment_tcp_streams:FALSE",
                "-Y", "http", "-T", "fields", "-e", "ip.src", "-e", "http.request.method", "-e",
                "http.request.uri", "-e", "http.response.code");
        assertTrue(http1.out.contains(LINUX + "\tGET\t/big.bin"), http1.out);
        assertTrue(http1.out.contains(JWIP + "\t\t\t200"), http1.out);
        // jwip's checksums verified by tshark: none bad. (Only jwip's packets: Linux sometimes sends a TCP
        // checksum of 0xFFFF where tshark computes 0x0000, the same value in ones' complement, and tshark
        // calls it bad; jwip verifies Linux's checksums itself and accepted every packet.)
        CaptureTest.Run bad = CaptureTest.tshark("-r", file, "-o", "ip.check_checksum:TRUE", "-o",
                "tcp.check_checksum:TRUE", "-Y", "ip.src == " + JWIP
                        + " && (ip.checksum.status == 0 || tcp.checksum.status == 0)");
        assertEquals(0, bad.lines.size(), "bad checksums:\n" + bad.out);
    }

    /**
     * Twelve downloads at once from the default configuration: together their send queues would want
     * more packet buffers than the pool has (16 x 8760 bytes > 64 x 1536). This hung every connection
     * before TCP kept a receive reserve (the acknowledgements found no buffer), and stalled single
     * connections before the services resumed writers that waited for memory with nothing in flight.
     */
    @Test
    void twelveParallelCurlDownloads() throws Exception {
        RealPeer.requireTools("curl");
        Path www = Files.createDirectories(dir.resolve("www"));
        byte[] data = new byte[1024 * 1024];
        new Random(12).nextBytes(data);
        Files.write(www.resolve("m.bin"), data);
        String want = sha256(www.resolve("m.bin"));
        up(null);
        HttpServer http = rig.driver.call(() -> {
            HttpServer h = new HttpServer(rig.stack, www);
            h.setMaxPerClient(16); // pool pressure from one client is what this test is about
            assertEquals(Err.OK, h.start(80));
            return h;
        });
        rig.driver.setTicker(now -> http.poll()); // what the command line's runner does every turn
        Path out = Files.createDirectories(dir.resolve("out"));
        long t0 = System.nanoTime();
        RealPeer.Result r = rig.ns.exec(120, "sh", "-c", "for i in 1 2 3 4 5 6 7 8 9 10 11 12; do curl -sS"
                + " --max-time 100 -o " + out + "/$i -w '%{http_code} %{size_download}\n' http://" + JWIP
                + "/m.bin & done; wait");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("[12 parallel curl over TUN] 12 x 1 MiB in %d ms; memory waits %d, close waits %d%n",
                ms, rig.driver.call(http::memWaits), rig.driver.call(http::closeWaits));
        assertEquals(0, r.rc, r.toString());
        for (int i = 1; i <= 12; i++) {
            assertEquals(want, sha256(out.resolve(String.valueOf(i))), "download " + i + "\n" + r.out);
        }
        assertEquals(0, rig.driver.call(() -> rig.stack.stats().drops(io.jwip.stats.Drop.LINK_NO_BUFFER)),
                "no received frame went without a buffer");
        rig.driver.setTicker(null);
        rig.driver.exec(http::stop);
    }

    /** 1 MB through jwip's TCP echo with a Linux client given as a shell command line; returns ms. */
    long echoOneMegabyte(String client, String seedTag, int seed) throws Exception {
        byte[] data = new byte[1024 * 1024];
        new Random(seed).nextBytes(data);
        File in = dir.resolve(seedTag + ".in").toFile();
        File out = dir.resolve(seedTag + ".out").toFile();
        Files.write(in.toPath(), data);
        long t0 = System.nanoTime();
        RealPeer.Result r = rig.ns.exec(60, "sh", "-c", client + " <" + in + " >" + out);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(0, r.rc, client + ": " + r);
        assertArrayEquals(data, Files.readAllBytes(out.toPath()), client + ": echoed bytes");
        System.out.println("[tcp echo over TUN] " + client + ": 1 MiB round trip in " + ms + " ms");
        return ms;
    }

    @Test
    void socatAndNcEchoOneMegabyteThroughJwipTcpEcho() throws Exception {
        RealPeer.requireTools("socat", "nc");
        up(null);
        TcpEcho echo = rig.driver.call(() -> {
            TcpEcho e = new TcpEcho(rig.stack);
            assertEquals(Err.OK, e.start(7));
            return e;
        });
        // socat half-closes when its stdin ends (shutdown(SHUT_WR)) and exits when jwip closes its side,
        // which TcpEcho does once everything is echoed; -t bounds the wait for that close.
        echoOneMegabyte("socat -t 20 - TCP:" + JWIP + ":7", "socat", 862);
        // OpenBSD nc (netcat-openbsd, what ensure-tools installs): -N shuts the socket down after EOF on
        // stdin, so the same half-close happens. Other netcats lack -N; socat above covers them.
        int runs = 1;
        if (RealPeer.run(10, "sh", "-c", "nc -h 2>&1 | grep -q -e '[[:space:]]-N[[:space:]]'").rc == 0) {
            echoOneMegabyte("nc -N -w 20 " + JWIP + " 7", "nc", 863);
            runs++;
        } else {
            System.out.println("[tcp echo over TUN] this nc has no -N (not netcat-openbsd): socat only");
        }
        assertEquals(runs * 1024 * 1024, rig.driver.call(echo::bytes));
        assertEquals(runs, rig.driver.call(echo::accepted));
        rig.driver.exec(echo::stop);
    }
}
