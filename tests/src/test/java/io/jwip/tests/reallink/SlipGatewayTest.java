package io.jwip.tests.reallink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwip.Err;
import io.jwip.JwipOptions;
import io.jwip.stack.Stack;
import io.jwip.examples.services.HttpServer;
import io.jwip.examples.services.Services;
import io.jwip.netif.Netif;
import io.jwip.netif.slip.SlipLink;
import io.jwip.wire.Ip4Addr;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A jwip device behind a jwip gateway, with Linux as the client:
 * <pre>
 *   Linux (namespace) 10.97.0.1 --TUN-- 10.97.0.2 gateway stack 10.96.0.1 --SLIP/jssc-- pty pair
 *        --jssc/SLIP-- 10.96.0.2 device stack (HttpServer on port 80)
 * </pre>
 * The gateway forwards between its two netifs ({@code ipForward}); Linux has a route to 10.96.0.0/24 via
 * the gateway's TUN address and {@code curl}s a file from the device; its SHA-256 must match. The SLIP
 * line runs at 115200 baud as far as jssc is concerned (a pty has no real rate).
 */
class SlipGatewayTest {
    static final int MTU = 1006;
    static final String LINUX = "10.97.0.1";
    static final String GW_TUN = "10.97.0.2";
    static final int GW_SLIP = Ip4Addr.of(10, 96, 0, 1);
    static final String DEVICE = "10.96.0.2";

    @TempDir
    Path dir;

    @Test
    void linuxCurlsAFileFromADeviceBehindTheGateway() throws Exception {
        RealPeer.requireTunAndNetns();
        RealPeer.requireTools("socat", "curl");
        Path www = Files.createDirectories(dir.resolve("www"));
        byte[] data = new byte[48 * 1024];
        new Random(1812).nextBytes(data);
        Files.write(www.resolve("fw.bin"), data);
        String want = TunTcpTest.sha256(www.resolve("fw.bin"));

        try (PtyPair pty = new PtyPair();
                SlipLink gwLine = SlipLink.serial(pty.a, 115200, MTU);
                SlipLink devLine = SlipLink.serial(pty.b, 115200, MTU)) {
            Stack device = new Stack(new JwipOptions());
            device.addNetif(new Netif("sl0", MTU, devLine)
                    .configure(Ip4Addr.parse(DEVICE, 0), Ip4Addr.maskOf(24), GW_SLIP));
            Services.tcp(device);
            JwipOptions go = new JwipOptions();
            go.ipForward = true;
            try (TunRig gw = new TunRig(LINUX, GW_TUN, go, null, s -> {
                        s.addNetif(new Netif("sl0", MTU, gwLine).configure(GW_SLIP, Ip4Addr.maskOf(24), 0));
                        return gwLine::poll;
                    });
                    Driver dd = new Driver("device", device, devLine::poll)) {
                HttpServer http = dd.call(() -> {
                    HttpServer h = new HttpServer(device, www);
                    assertEquals(Err.OK, h.start(80));
                    return h;
                });
                Netns.check(gw.ns.exec(10, "ip", "route", "add", "10.96.0.0/24", "via", GW_TUN), "route to the device");
                Path got = dir.resolve("got.bin");
                RealPeer.Result r = gw.ns.exec(90, "curl", "-sS", "--max-time", "80", "-o", got.toString(), "-w",
                        "%{http_code} %{size_download} %{time_total} %{speed_download}",
                        "http://" + DEVICE + "/fw.bin");
                System.out.println("[curl through the gateway, SLIP/pty] code bytes seconds bytes/s: " + r.out);
                assertEquals(0, r.rc, "curl: " + r);
                assertTrue(r.out.startsWith("200 " + data.length + " "), r.out);
                assertEquals(want, TunTcpTest.sha256(got), "SHA-256 of the download");
                // Every segment of the download crossed the gateway (at most 966 bytes each), and the
                // gateway's own TCP saw none of them.
                long forwarded = gw.driver.call(() -> gw.stack.stats().ip.fwd);
                System.out.println("gateway forwarded " + forwarded + " datagrams");
                assertTrue(forwarded > data.length / 966, "forwarded " + forwarded);
                assertEquals(0, gw.driver.call(() -> gw.stack.stats().tcp.recv));
                dd.exec(http::stop);
                TunRig.awaitPoolsFull(dd, 5_000);
            }
        }
    }
}
