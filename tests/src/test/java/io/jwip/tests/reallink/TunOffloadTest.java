package io.jwip.tests.reallink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwip.Err;
import io.jwip.JwipOptions;
import io.jwip.examples.cli.Profile;
import io.jwip.examples.services.HttpServer;
import io.jwip.examples.services.TcpEcho;
import io.jwip.netif.Netif;
import io.jwip.netif.tun.TunLink;
import io.jwip.port.Clock;
import io.jwip.port.threaded.Call;
import io.jwip.port.threaded.StackThread;
import io.jwip.stack.Stack;
import io.jwip.stats.Drop;
import io.jwip.tcp.Tcp;
import io.jwip.wire.Ip4Addr;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TUN with segmentation and checksum offload ({@code tun:NAME,offload=1}) and without, both byte-exact
 * against the Linux kernel: {@code curl} downloads 20 MB from jwip's HTTP server (jwip sends; with offload
 * it hands Linux super-packets) and {@code socat} sends 8 MB through jwip's TCP echo and gets it back
 * (Linux sends super-packets that jwip splits). The stack runs on the real threaded port, which flushes the
 * link's gathered segments every turn, with the server profile's windows (large enough for super-packets).
 */
class TunOffloadTest {
    static final String LINUX = "10.99.6.1";
    static final String JWIP = "10.99.6.2";

    @TempDir
    Path dir;

    static <T> T onStack(StackThread st, Supplier<T> s) throws Exception {
        Object[] out = new Object[1];
        Call c = new Call() {
            @Override
            protected void execute() {
                out[0] = s.get();
                complete(0);
            }
        };
        assertEquals(0, st.call(c, 10_000));
        @SuppressWarnings("unchecked")
        T t = (T) out[0];
        return t;
    }

    void bothWaysByteExact(boolean offload) throws Exception {
        RealPeer.requireTunAndNetns();
        RealPeer.requireTools("curl", "socat");
        Path www = Files.createDirectories(dir.resolve("www" + offload));
        byte[] file = new byte[20_000_000];
        new Random(61).nextBytes(file);
        Files.write(www.resolve("big.bin"), file);
        byte[] echoIn = new byte[8_000_000];
        new Random(62).nextBytes(echoIn);
        Path in = dir.resolve("echo.in");
        Path out = dir.resolve("echo.out");
        Path got = dir.resolve("got.bin");
        Files.write(in, echoIn);
        try (Netns ns = new Netns();
                TunLink tun = TunLink.open(new TunLink.Config(Netns.tunName()).netns(ns.name).hostAddress(LINUX + "/24")
                        .offload(offload))) {
            JwipOptions o = Profile.of("server");
            Stack stack = new Stack(o);
            Tcp.install(stack);
            stack.addNetif(new Netif("tun0", tun.mtu(), tun).configure(Ip4Addr.parse(JWIP, 0), Ip4Addr.maskOf(24), 0)
                    .setChecksumOffload(0, tun.txChecksumsFilled()));
            StackThread st = new StackThread(stack, Clock.system(), 8, 1).addSource(tun).start("tun-offload-" + offload);
            try {
                HttpServer http = onStack(st, () -> {
                    HttpServer h = new HttpServer(stack, www);
                    assertEquals(Err.OK, h.start(80));
                    return h;
                });
                TcpEcho echo = onStack(st, () -> {
                    TcpEcho e = new TcpEcho(stack);
                    assertEquals(Err.OK, e.start(7));
                    return e;
                });
                RealPeer.Result r = ns.exec(120, "curl", "-sS", "--max-time", "100", "-o", got.toString(), "-w",
                        "%{http_code} %{size_download} %{speed_download}", "http://" + JWIP + "/big.bin");
                assertEquals(0, r.rc, "curl: " + r);
                assertArrayEquals(file, Files.readAllBytes(got), "download byte-exact, offload " + offload);
                RealPeer.Result e = ns.exec(120, "sh", "-c", "socat -t 20 - TCP:" + JWIP + ":7 <" + in + " >" + out);
                assertEquals(0, e.rc, "socat: " + e);
                assertArrayEquals(echoIn, Files.readAllBytes(out), "echo byte-exact, offload " + offload);
                long bad = onStack(st, () -> stack.stats().drops(Drop.TCP_BAD_CHECKSUM) + stack.stats().drops(Drop.IP_BAD_CHECKSUM)
                        + stack.stats().drops(Drop.LINK_OFFLOAD_UNSUPPORTED));
                assertEquals(0, bad, "no packet dropped for a checksum or an offload it could not split");
                System.out.printf("[tun offload=%s] curl 20 MB: %s; %s%n", offload, r.out, tun);
                if (offload) {
                    assertTrue(tun.offloadSuperIn() > 0, "Linux sent super-packets that jwip split: " + tun);
                    assertTrue(tun.offloadSuperOut() > 0, "jwip sent super-packets: " + tun);
                }
                onStack(st, () -> {
                    http.stop();
                    echo.stop();
                    return null;
                });
                long until = System.currentTimeMillis() + 10_000;
                while (!onStack(st, () -> stack.stats().allPoolsFull()) && System.currentTimeMillis() < until) {
                    Thread.sleep(20);
                }
                assertTrue(onStack(st, () -> stack.stats().allPoolsFull()), () -> "pools full");
            } finally {
                st.shutdown();
            }
            assertEquals(null, st.failure());
        }
    }

    @Test
    void withOffloadBothDirectionsAreByteExact() throws Exception {
        bothWaysByteExact(true);
    }

    @Test
    void withoutOffloadBothDirectionsAreByteExact() throws Exception {
        bothWaysByteExact(false);
    }
}
