package io.jwip.tests.reallink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwip.JwipOptions;
import io.jwip.stack.Stack;
import io.jwip.netif.tun.TunLink;
import io.jwip.udp.UdpPcb;
import io.jwip.wire.Ip4Addr;
import java.io.File;
import java.nio.file.Files;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * jwip on a Linux TUN device, with the Linux kernel of a throw-away network namespace as its peer.
 *
 * <p>Layout, per test: namespace {@code jwip-test-<random>}; the TUN device is created by jwip in the
 * test JVM's namespace, moved into the test namespace and given 10.99.0.1/24 there; jwip is 10.99.0.2/24
 * on the other end. Linux tools run with {@code ip netns exec}. Needs root and /dev/net/tun (CI has both;
 * see {@link RealPeer}).
 */
class TunLinkTest {
    static final String LINUX = "10.99.0.1";
    static final String JWIP = "10.99.0.2";

    TunRig rig;
    Netns ns;
    TunLink tun;
    Stack stack;
    Driver driver;
    UdpPcb echo;

    @BeforeEach
    void up() throws Exception {
        RealPeer.requireTunAndNetns();
        rig = new TunRig(LINUX, JWIP, new JwipOptions(), null);
        ns = rig.ns;
        tun = rig.tun;
        stack = rig.stack;
        driver = rig.driver;
        echo = Echo.udpEchoServer(driver, 7);
    }

    @AfterEach
    void down() throws Exception {
        if (rig != null) {
            try {
                Echo.remove(driver, echo);
            } finally {
                rig.close(); // checks that every pool is full, deletes the namespace
            }
        }
    }

    static int received(String pingOutput) {
        Matcher m = Pattern.compile("(\\d+) packets transmitted, (\\d+) received").matcher(pingOutput);
        return m.find() ? Integer.parseInt(m.group(2)) : -1;
    }

    @Test
    void linuxPingsJwip() throws Exception {
        RealPeer.requireTools("ping");
        RealPeer.Result r = ns.exec(60, "ping", "-n", "-c", "20", "-i", "0.05", "-W", "2", JWIP);
        System.out.println(r.out);
        assertEquals(20, received(r.out), "Linux ping -c 20 to jwip over TUN:\n" + r.out);
        assertEquals(0, r.rc);
    }

    @Test
    void jwipPingsLinux() throws Exception {
        int got = Echo.icmpPing(driver, Ip4Addr.parse(LINUX, 0), 10, 56, 5000);
        assertEquals(10, got, "echo replies from Linux");
    }

    @Test
    void linuxUdpEchoThroughJwipOneMegabyte() throws Exception {
        RealPeer.requireTools("socat");
        // 1 MiB in 16 socat runs of 64 KiB, 1400-byte datagrams: each run's burst (47 datagrams) stays far
        // below the TUN queue and socket buffer sizes, so nothing is lost to the host's own limits.
        Random rnd = new Random(7);
        File dir = Files.createTempDirectory("jwip-udp").toFile();
        try {
            int total = 0;
            for (int run = 0; run < 16; run++) {
                byte[] data = new byte[64 * 1024];
                rnd.nextBytes(data);
                File in = new File(dir, "in");
                File out = new File(dir, "out");
                Files.write(in.toPath(), data);
                byte[] echoed = null;
                for (int attempt = 0; attempt < 3; attempt++) {
                    RealPeer.Result r = ns.exec(30, "sh", "-c", "socat -b 1400 -t 0.5 -T 10 - UDP:" + JWIP + ":7 <"
                            + in + " >" + out);
                    assertEquals(0, r.rc, "socat: " + r);
                    echoed = Files.readAllBytes(out.toPath());
                    if (echoed.length == data.length) {
                        break;
                    }
                    System.out.println("socat run " + run + " attempt " + attempt + ": " + echoed.length + " bytes back");
                }
                assertArrayEquals(data, echoed, "UDP echo run " + run);
                total += echoed.length;
            }
            assertEquals(1 << 20, total);
        } finally {
            for (File f : dir.listFiles()) {
                f.delete();
            }
            dir.delete();
        }
    }

    @Test
    void mtuFromTheDeviceAndCloseRemovesIt() throws Exception {
        assertEquals(1500, tun.mtu(), "MTU read from the device (SIOCGIFMTU)");
        try (TunLink small = TunLink.open(new TunLink.Config(Netns.tunName()).mtu(1280).netns(ns.name)
                .hostAddress("10.99.1.1/24"))) {
            assertEquals(1280, small.mtu());
            RealPeer.Result r = ns.exec(10, "ip", "link", "show", "dev", small.name());
            assertTrue(r.out.contains("mtu 1280"), r.out);
            assertTrue(r.out.contains(",UP"), "configured up: " + r.out);
            small.close();
            RealPeer.Result gone = ns.exec(10, "ip", "link", "show", "dev", small.name());
            assertTrue(gone.rc != 0, "closing the descriptor removes the device: " + gone.out);
        }
    }

    @Test
    void hostSideDownIsAnErrorCodeNotAnException() throws Exception {
        Netns.check(ns.exec(10, "ip", "link", "set", "dev", tun.name(), "down"), "link down");
        int err = driver.call(() -> stack.icmp().sendEcho(Ip4Addr.parse(LINUX, 0), 1, 1, 56));
        System.out.println("sendEcho with the host side down: " + err + ", errno " + tun.lastErrno() + ", " + tun);
        assertEquals(1, tun.writeErrors(), tun.toString());
        assertEquals(1, stack.stats().drops(io.jwip.stats.Drop.LINK_IO_ERROR));
        assertTrue(err != 0, "the error code reaches the caller");
        // and up again: traffic flows
        Netns.check(ns.exec(10, "ip", "link", "set", "dev", tun.name(), "up"), "link up");
        assertEquals(3, Echo.icmpPing(driver, Ip4Addr.parse(LINUX, 0), 3, 56, 5000));
    }

    /**
     * The TUN read/write path (JNA read into the receive array, copy into a pool buffer, IP, ICMP echo
     * reply in place, copy out, JNA write) allocates nothing per packet once warm. "Warm" includes C2:
     * while the JIT is still installing and deoptimizing compiled code, a window can show a few hundred
     * bytes once (seen: 56, 248, 752 B over thousands of packets; never with -Xint or C1 only), so the
     * test measures up to three windows after a long warm-up and requires a window with exactly 0.
     */
    @Test
    void tunPathAllocatesNothingPerPacket() throws Exception {
        RealPeer.requireTools("ping");
        // Warm up: class loading, lazy stats lookup, JIT of the whole path.
        RealPeer.Result w = ns.exec(60, "ping", "-n", "-q", "-f", "-c", "10000", "-s", "1000", JWIP);
        assertTrue(received(w.out) > 9900, w.out);
        StringBuilder windows = new StringBuilder();
        long best = Long.MAX_VALUE;
        for (int k = 0; k < 3 && best != 0; k++) {
            // Snapshots on the driver thread, between two loop turns: the window holds only packet work.
            long[] s0 = snapshot();
            RealPeer.Result r = ns.exec(60, "ping", "-n", "-q", "-f", "-c", "2000", "-s", "1000", JWIP);
            long[] s1 = snapshot();
            long bytes = s1[0] - s0[0];
            long packets = s1[1] - s0[1];
            assertTrue(received(r.out) > 1990, r.out);
            assertTrue(packets >= 3980, "packets " + packets);
            windows.append(String.format("window %d: %d bytes for %d packets (%.3f B/packet)%n", k, bytes,
                    packets, (double) bytes / packets));
            best = Math.min(best, bytes);
        }
        System.out.print("TUN path:\n" + windows);
        assertEquals(0, best, "bytes allocated by the stack thread per TUN window:\n" + windows);
    }

    /** {allocated bytes, packets in + out} of the driver thread, read on that thread. */
    long[] snapshot() throws Exception {
        long[] s = new long[2];
        driver.exec(() -> {
            s[0] = driver.allocatedBytes();
            s[1] = tun.packetsIn() + tun.packetsOut();
        });
        return s;
    }
}
