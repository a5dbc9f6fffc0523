package io.jwip.tests;

import io.jwip.testutil.TwoStacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jwip.Err;
import io.jwip.JwipOptions;
import io.jwip.buf.Pbuf;
import io.jwip.buf.PbufPool;
import io.jwip.netif.mem.InMemoryLink;
import io.jwip.netif.pcap.PcapClock;
import io.jwip.netif.pcap.PcapLink;
import io.jwip.netif.pcap.PcapWriter;
import io.jwip.udp.UdpPcb;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Acceptance 5: a capture written by {@link PcapLink} during a two-stack exchange opens in {@code tshark -r}
 * with no errors and shows the ICMP and UDP packets (and tshark agrees with our checksums).
 */
public class CaptureTest {
    static final Path CAPTURE = Paths.get("target", "captures", "two-stacks-icmp-udp.pcap");
    /** tshark prints this to stderr whenever it runs as root; it is not an error. */
    static final String ROOT_WARNING = "Running as user \"root\" and group \"root\". This could be dangerous.";

    static String tshark;

    @BeforeAll
    static void findTshark() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path p = Paths.get(dir, "tshark");
            if (Files.isExecutable(p)) {
                tshark = p.toString();
                return;
            }
        }
        fail("tshark is not installed, so the pcap capture cannot be checked. Install it with "
                + "'apt-get install tshark' or run 'make test' as root (tests/tools/ensure-tools.sh installs it).");
    }

    /** Output of one tshark run. */
    public static final class Run {
        public int exit;
        public String out;
        /** stderr without the root warning. */
        public String err;
        public List<String> lines;
    }

    /**
     * Runs tshark and asserts that it exits 0 and prints nothing on stderr but the root warning. Also
     * used by the real-link tests (their captures of TUN traffic).
     */
    public static Run tshark(String... args) throws IOException, InterruptedException {
        if (tshark == null) {
            findTshark();
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(tshark);
        cmd.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().close();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread errReader = new Thread(() -> copy(p.getErrorStream(), err));
        errReader.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        copy(p.getInputStream(), out);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("tshark did not finish in 60 s: " + cmd);
        }
        errReader.join();
        Run r = new Run();
        r.exit = p.exitValue();
        r.out = out.toString(StandardCharsets.UTF_8);
        StringBuilder realErr = new StringBuilder();
        for (String line : err.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank() && !line.trim().equals(ROOT_WARNING)) {
                realErr.append(line).append('\n');
            }
        }
        r.err = realErr.toString();
        r.lines = new ArrayList<>();
        for (String line : r.out.split("\n")) {
            if (!line.isBlank()) {
                r.lines.add(line);
            }
        }
        assertEquals(0, r.exit, "tshark " + String.join(" ", args) + " failed: " + r.err);
        assertEquals("", r.err, "tshark " + String.join(" ", args) + " printed errors");
        return r;
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try (InputStream i = in) {
            i.transferTo(out);
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    @Test
    void captureOpensInTsharkAndShowsIcmpAndUdp() throws Exception {
        Files.createDirectories(CAPTURE.getParent());
        InMemoryLink wire = new InMemoryLink(32, 576);
        // Timestamps come from the run's virtual clock (ms), which starts at a fixed date and moves 10 ms
        // per exchange below; the stacks are driven with the same clock.
        long[] now = {1_700_000_000_000L};
        PcapClock virtual = () -> now[0] * 1000L;
        PcapWriter writer = PcapWriter.create(CAPTURE, virtual);
        PcapLink cap = new PcapLink(wire.a(), writer);
        TwoStacks s = new TwoStacks(wire, cap, wire.b(), 576, new JwipOptions());
        Runnable tick = () -> {
            now[0] += 10;
            s.a.timers(now[0]);
            s.b.timers(now[0]);
            s.wire.advanceTo(now[0]);
        };

        int[] replies = new int[1];
        s.a.icmp().setEchoListener((src, id, seq, len, when) -> replies[0]++);
        UdpEcho echo = new UdpEcho(s.b, 7);
        UdpPcb client = s.a.udp().newPcb();
        assertEquals(Err.OK, s.a.udp().bind(client, 0, 40_007));
        int[] udpBack = new int[1];
        client.recv((pcb, p, src, port) -> {
            udpBack[0]++;
            PbufPool.free(p);
        });

        for (int i = 1; i <= 3; i++) {
            tick.run();
            assertEquals(Err.OK, s.a.icmp().sendEcho(TwoStacks.B, 0x1234, i, 32));
            s.exchange();
        }
        byte[] hello = "hello from jwip".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 3; i++) {
            tick.run();
            Pbuf p = s.a.allocTransport(8, hello.length);
            p.copyIn(0, hello, 0, hello.length);
            assertEquals(Err.OK, s.a.udp().sendTo(client, p, TwoStacks.B, 7));
            PbufPool.free(p);
            s.exchange();
        }
        // One datagram larger than the 576-byte MTU: fragments in both directions.
        tick.run();
        Pbuf big = s.a.allocTransport(8, 1400);
        for (int i = 0; i < 1400; i++) {
            big.copyIn(i, new byte[] {(byte) i}, 0, 1);
        }
        assertEquals(Err.OK, s.a.udp().sendTo(client, big, TwoStacks.B, 7));
        PbufPool.free(big);
        s.exchange();
        writer.close();

        assertEquals(3, replies[0]);
        assertEquals(4, udpBack[0]);
        assertEquals(0, writer.errors());
        // 3 + 3 ICMP, 3 + 3 small UDP, 3 + 3 fragments of the big one.
        assertEquals(18, writer.packets());
        s.a.udp().remove(client);
        echo.close();
        assertTrue(s.poolsFull(), s.poolsNotFull());

        String file = CAPTURE.toString();
        Run summary = tshark("-r", file);
        System.out.println("[tshark] tshark -r " + file + "\n" + summary.out);
        assertEquals(18, summary.lines.size(), summary.out);

        Run fields = tshark("-r", file, "-T", "fields", "-e", "ip.src", "-e", "ip.dst", "-e", "ip.proto",
                "-e", "icmp.type", "-e", "udp.srcport", "-e", "udp.dstport");
        int echoReq = 0;
        int echoRep = 0;
        int udpToEcho = 0;
        int udpFromEcho = 0;
        for (String line : fields.lines) {
            String[] f = line.split("\t", -1);
            if (f[2].equals("1") && f[3].equals("8") && f[0].equals("10.0.0.1")) {
                echoReq++;
            } else if (f[2].equals("1") && f[3].equals("0") && f[0].equals("10.0.0.2")) {
                echoRep++;
            } else if (f[2].equals("17") && f[5].equals("7")) {
                udpToEcho++;
            } else if (f[2].equals("17") && f[4].equals("7")) {
                udpFromEcho++;
            }
        }
        assertEquals(3, echoReq, fields.out);
        assertEquals(3, echoRep, fields.out);
        // The reassembled big datagram shows as one UDP packet each way (its other fragments are plain IP).
        assertEquals(4, udpToEcho, fields.out);
        assertEquals(4, udpFromEcho, fields.out);

        // Virtual time made it into the file: first packet at the start date, 10 ms per exchange.
        Run times = tshark("-r", file, "-T", "fields", "-e", "frame.time_epoch");
        assertTrue(times.lines.get(0).startsWith("1700000000.010000"), times.out);
        assertTrue(times.lines.get(17).startsWith("1700000000.070000"), times.out);

        assertEquals(6, tshark("-r", file, "-Y", "icmp").lines.size());
        assertEquals(8, tshark("-r", file, "-Y", "udp").lines.size());
        assertEquals(6, tshark("-r", file, "-Y", "ip.flags.mf == 1 || ip.frag_offset > 0").lines.size());

        // tshark checks our checksums itself: none is bad.
        Run bad = tshark("-r", file, "-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE",
                "-Y", "ip.checksum.status == 0 || udp.checksum.status == 0 || icmp.checksum.status == 0");
        assertEquals(0, bad.lines.size(), "tshark finds bad checksums:\n" + bad.out);
        Run good = tshark("-r", file, "-o", "udp.check_checksum:TRUE", "-Y", "udp.checksum.status == 1");
        assertEquals(8, good.lines.size(), "every UDP checksum verified good:\n" + good.out);
    }
}
