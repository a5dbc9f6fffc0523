package io.jwip.tests.reallink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jwip on Ethernet: {@code serve --netif tap:...} against the Linux kernel, ARP both ways.
 *
 * <ul>
 *   <li>A TAP device jwip creates and moves into a namespace ({@code tap:NAME,netns=NS,host=A/N}): Linux
 *       pings jwip and downloads 1 MiB over HTTP (byte-exact), jwip's {@code ping} reaches Linux, Linux's
 *       neighbour table has jwip's MAC and jwip's {@code /status.json} has Linux's, both REACHABLE.</li>
 *   <li>A persistent TAP device ({@code ip tuntap add ... mode tap}) enslaved to a Linux bridge inside the
 *       namespace, with jwip run inside the namespace and attaching to it: Linux pings jwip through the
 *       bridge, and a frame capture ({@code --pcap}) opens in tshark as Ethernet with ARP in it.</li>
 * </ul>
 */
class TapEthernetTest {
    @TempDir
    Path dir;

    @Test
    void createdTap_linuxPingsAndCurlsJwip_jwipPingsLinux_arpBothWays() throws Exception {
        RealPeer.requireTunAndNetns();
        RealPeer.requireTools("curl", "ping");
        byte[] data = new byte[1 << 20];
        new Random(12).nextBytes(data);
        Path www = Files.createDirectories(dir.resolve("www"));
        Files.write(www.resolve("data.bin"), data);
        try (Netns ns = new Netns()) {
            String tap = Netns.tunName();
            try (CliRealLinkTest.Running served = new CliRealLinkTest.Running("serve", "--netif",
                    "tap:" + tap + ",mac=02:6a:77:00:00:02,netns=" + ns.name + ",host=10.98.0.1/24", "--addr", "10.98.0.2/24",
                    "--http", "80", "--http-root", www.toString(), "--duration", "120")) {
                served.await("http serving");
                RealPeer.Result ping = ns.exec(30, "ping", "-c", "5", "-i", "0.2", "-W", "5", "10.98.0.2");
                assertEquals(0, ping.rc, "Linux pings jwip over Ethernet: " + ping);
                assertTrue(ping.out.contains("5 received"), ping.out);

                Path got = dir.resolve("got.bin");
                RealPeer.Result curl = ns.exec(60, "curl", "-sS", "--max-time", "50", "-o", got.toString(),
                        "http://10.98.0.2/data.bin");
                assertEquals(0, curl.rc, curl.toString());
                assertTrue(java.util.Arrays.equals(data, Files.readAllBytes(got)), "1 MiB byte-exact over TAP");

                RealPeer.Result neigh = ns.exec(10, "ip", "neigh", "show", "10.98.0.2");
                assertTrue(neigh.out.contains("02:6a:77:00:00:02"), "Linux resolved jwip's MAC by ARP: " + neigh);
                String linuxMac = ns.exec(10, "cat", "/sys/class/net/" + tap + "/address").out.trim();
                RealPeer.Result status = ns.exec(30, "curl", "-sS", "--max-time", "20", "http://10.98.0.2/status.json");
                assertTrue(status.out.contains("{\"address\":\"10.98.0.1\",\"mac\":\"" + linuxMac + "\",\"state\":\"REACHABLE\""),
                        "jwip learned Linux's MAC " + linuxMac + ": " + status.out);
                assertTrue(status.out.contains("\"mac\":\"02:6a:77:00:00:02\""), status.out);

                CliRealLinkTest.Output pout = new CliRealLinkTest.Output();
                CliRealLinkTest.Output perr = new CliRealLinkTest.Output();
                int prc = io.jwip.examples.Main.run(new String[] {"ping", "--netif", "tap:" + Netns.tunName() + ",netns="
                        + ns.name + ",host=10.98.1.1/24", "--addr", "10.98.1.2/24", "-c", "3", "-i", "100", "10.98.1.1"},
                        pout.stream, perr.stream);
                assertEquals(0, prc, pout.text() + perr.text());
                assertTrue(pout.text().contains("3 packets transmitted, 3 received"), pout.text());
                assertEquals(0, served.stop(), served.all());
                String out = served.out.text();
                assertTrue(out.contains("ARP "), "the final stats count ARP: " + out);
            }
        }
    }

    @Test
    void persistentTapOnABridge_jwipInsideTheNamespaceAttaches_capturedAsEthernet() throws Exception {
        RealPeer.requireTunAndNetns();
        RealPeer.requireTools("ping", "tshark");
        try (Netns ns = new Netns()) {
            String tap = Netns.tunName();
            for (String[] c : new String[][] {
                {"ip", "link", "add", "br0", "type", "bridge"},
                {"ip", "addr", "add", "10.99.0.1/24", "dev", "br0"},
                {"ip", "link", "set", "br0", "up"},
                {"ip", "tuntap", "add", "dev", tap, "mode", "tap"},
                {"ip", "link", "set", tap, "master", "br0"},
                {"ip", "link", "set", tap, "up"}}) {
                RealPeer.Result r = ns.exec(10, c);
                assertEquals(0, r.rc, String.join(" ", c) + ": " + r);
            }
            Path pcap = dir.resolve("tap.pcap");
            List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns.name));
            cmd.addAll(CliErrorsTest.jwip(null, "serve", "--netif", "tap:" + tap, "--addr", "10.99.0.2/24", "--echo", "7",
                    "--pcap", pcap.toString(), "--duration", "60").command());
            CliErrorsTest.Proc p = new CliErrorsTest.Proc(new ProcessBuilder(cmd));
            try {
                p.await("tcp echo on port 7");
                RealPeer.Result ping = ns.exec(30, "ping", "-c", "3", "-i", "0.2", "-W", "5", "10.99.0.2");
                assertEquals(0, ping.rc, "Linux pings jwip through its bridge: " + ping + "\n" + p.out() + p.err());
                p.p.toHandle().destroy(); // SIGTERM: final stats, capture flushed
                assertTrue(p.end(20), "serve ends on SIGTERM");
                assertEquals(0, p.p.exitValue(), p.err());
            } finally {
                p.kill();
            }
            RealPeer.Result tshark = RealPeer.run(60, "tshark", "-r", pcap.toString(), "-T", "fields", "-e", "eth.type");
            assertEquals(0, tshark.rc, tshark.toString());
            assertTrue(tshark.out.contains("0x0806"), "ARP frames in the capture: " + tshark.out);
            assertTrue(tshark.out.contains("0x0800"), "IPv4 frames in the capture");
            RealPeer.Result still = ns.exec(10, "ip", "link", "show", "dev", tap);
            assertEquals(0, still.rc, "a persistent device stays when jwip exits");
        }
    }
}
