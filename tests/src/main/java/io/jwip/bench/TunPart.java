package io.jwip.bench;

import io.jwip.Err;
import io.jwip.JwipOptions;
import io.jwip.stack.Stack;
import io.jwip.examples.services.Chargen;
import io.jwip.examples.services.Discard;
import io.jwip.examples.services.HttpServer;
import io.jwip.netif.Netif;
import io.jwip.netif.Pollable;
import io.jwip.netif.tun.TunLink;
import io.jwip.port.Clock;
import io.jwip.port.Idler;
import io.jwip.port.PollLoop;
import io.jwip.tcp.Tcp;
import io.jwip.wire.Ip4Addr;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * jwip against the Linux kernel over TUN (MTU 1500), inside a network namespace this part creates and
 * always deletes: Linux sends to jwip's discard service (socat), jwip's HTTP server sends a large file to
 * Linux (curl) and so does its chargen service (socat), Linux pings jwip, and ApacheBench makes short HTTP connections for 10 s (jwip closes first,
 * so jwip holds the TIME_WAIT entries; their high-water mark is sampled on every poll-loop turn).
 *
 * <p>jwip runs in this JVM on one thread with {@link PollLoop} and the system clock. Which idler gives the
 * better numbers depends on the machine (on 2 shared cores a spinning loop takes CPU from the kernel and the
 * peer tool; a sleeping one adds up to 1 ms of latency), so by default ({@code BENCH_TUN_IDLE=both}) every
 * measurement runs twice, with {@code busy} (spin, {@link Thread#onSpinWait()}) and with {@code sleep}
 * ({@link Idler#sleeping()}), and the report shows both and judges the goals on the better one, naming
 * it. {@code BENCH_TUN_IDLE=busy} or {@code sleep} runs one. Other settings:
 * {@code BENCH_TUN_BYTES} (bytes Linux sends, 1G), {@code BENCH_TUN_HTTP_BYTES} (file size, 1G),
 * {@code BENCH_TUN_SECONDS} (limit per throughput run, 20), {@code BENCH_CHURN_SECONDS} (10),
 * {@code BENCH_CHURN_CONCURRENCY} (4), {@code JWIP_BENCH_TUN_OPTS} (stack options).
 */
final class TunPart {
    static final String HOST = "10.77.0.1";
    static final String JWIP = "10.77.0.2";
    static final String[] TOOLS = {"ip", "socat", "curl", "ping", "ab"};
    static final String[] PACKAGES = {"iproute2", "socat", "curl", "iputils-ping", "apache2-utils"};

    private TunPart() {}

    /** Reads the stack's figures on the loop's thread each turn and publishes them to the bench thread. */
    static final class Probe implements Pollable {
        final Tcp tcp;
        final Discard discard;
        final HttpServer http;
        final Chargen chargen;
        int twMax;
        volatile int twMaxPublished;
        volatile long discardBytes;
        volatile long chargenBytes;
        volatile long httpRequests;
        volatile long twRecycled;
        volatile long refused;
        volatile boolean reset;

        Probe(Tcp tcp, Discard discard, HttpServer http, Chargen chargen) {
            this.tcp = tcp;
            this.discard = discard;
            this.http = http;
            this.chargen = chargen;
        }

        @Override
        public boolean poll() {
            if (reset) {
                twMax = 0;
                reset = false;
            }
            int tw = tcp.stats().timeWaitCount();
            if (tw > twMax) {
                twMax = tw;
                twMaxPublished = tw;
            }
            discardBytes = discard.bytes();
            chargenBytes = chargen.bytes();
            httpRequests = http.requests();
            twRecycled = tcp.stats().reclaimed(Tcp.RECLAIM_TIME_WAIT_RECYCLED);
            refused = tcp.stats().refusedBacklog() + tcp.stats().refusedNoPcb();
            return false;
        }
    }

    static void run(Properties r) throws Exception {
        preflight();
        SecureRandom rnd = new SecureRandom();
        String ns = "jwip-bench-" + Long.toHexString(rnd.nextLong() & 0xffffffL);
        String dev = "jwb" + Long.toHexString(rnd.nextLong() & 0xffffL);
        Path root = Files.createTempDirectory("jwip-bench-www");
        Thread cleanup = new Thread(() -> deleteNs(ns), "bench-netns-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        TunLink tun = null;
        PollLoop loop = null;
        Thread loopThread = null;
        try {
            check(Cmd.run(10, "ip", "netns", "add", ns), "ip netns add " + ns);
            check(Cmd.run(10, "ip", "-n", ns, "link", "set", "lo", "up"), "lo up");
            Cmd.inNs(ns, 10, "sh", "-c", "for f in all default; do p=/proc/sys/net/ipv6/conf/$f/disable_ipv6;"
                    + " [ -e $p ] && echo 1 > $p; done; true");
            long fileBytes = Env.bytes("BENCH_TUN_HTTP_BYTES", 1_000_000_000L);
            try (RandomAccessFile f = new RandomAccessFile(root.resolve("big.bin").toFile(), "rw")) {
                f.setLength(fileBytes); // sparse: reading it costs no disk
            }
            Files.writeString(root.resolve("small.html"), "<html><body>jwip</body></html>\n");

            JwipOptions o = BenchOptions.tun();
            Stack stack = new Stack(o);
            Tcp tcp = Tcp.install(stack);
            tun = TunLink.open(new TunLink.Config(dev).mtu(1500).netns(ns).hostAddress(HOST + "/24"));
            Netif nif = new Netif("tun0", tun.mtu(), tun).configure(Ip4Addr.parse(JWIP, 0), Ip4Addr.maskOf(24), 0);
            stack.addNetif(nif);
            Discard discard = new Discard(stack);
            HttpServer http = new HttpServer(stack, root);
            Chargen chargen = new Chargen(stack);
            if (discard.start(Discard.PORT) != Err.OK || http.start(HttpServer.PORT) != Err.OK
                    || chargen.start(Chargen.PORT) != Err.OK) {
                throw new BenchException("cannot start discard/HTTP/chargen services on the stack");
            }
            Probe probe = new Probe(tcp, discard, http, chargen);
            String idle = Env.string("BENCH_TUN_IDLE", "both");
            List<String> modes = switch (idle) {
                case "both" -> List.of("busy", "sleep");
                case "busy", "sleep" -> List.of(idle);
                default -> throw new BenchException("BENCH_TUN_IDLE must be busy, sleep or both (is " + idle + ")");
            };
            r.setProperty("modes", String.join(",", modes));
            r.setProperty("config", "MTU " + tun.mtu() + ", " + BenchOptions.describe(o) + ", PollLoop on one thread with "
                    + "Clock.system(), TUN burst 32");
            r.setProperty("wnd", String.valueOf(o.tcpWnd));
            r.setProperty("twCap", String.valueOf(tcp.stats().timeWaitCapacity()));
            Log.line("tun: namespace " + ns + ", Linux " + HOST + " <-> jwip " + JWIP + " on " + dev + "; " + r.getProperty("config"));
            for (String mode : modes) {
                Idler idler = mode.equals("busy") ? Idler.spinning() : Idler.system();
                PollLoop pl = new PollLoop(Clock.system(), idler, 1, 2).addStack(stack).addSource(tun).addSource(probe);
                loop = pl;
                loopThread = new Thread(() -> {
                    try {
                        pl.run();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "jwip-poll-loop-" + mode);
                loopThread.setDaemon(true);
                loopThread.start();
                Log.line("tun: --- idler " + mode + (mode.equals("busy") ? ": busy-poll, Thread.onSpinWait() between turns (a whole core)"
                        : ": Idler.sleeping(), Thread.sleep up to 1 ms when a turn found no work"));
                Cmd warm = Cmd.inNs(ns, 10, "ping", "-c", "3", "-i", "0.2", "-W", "2", JWIP);
                if (warm.rc != 0) {
                    throw new BenchException("Linux cannot ping jwip over TUN: " + warm);
                }
                String k = mode + ".";
                ping(ns, r, k);
                receive(ns, r, probe, k);
                send(ns, r, k);
                chargen(ns, r, probe, k);
                churn(ns, r, probe, k);
                pl.stop();
                loopThread.join(5000);
                loop = null;
                loopThread = null;
            }
            r.setProperty("jwipStats", stackSummary(stack));
        } finally {
            if (loop != null) {
                loop.stop();
            }
            if (loopThread != null) {
                loopThread.join(5000);
            }
            if (tun != null) {
                tun.close();
            }
            deleteNs(ns);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException e) {
                // shutting down already
            }
            try (var s = Files.list(root)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(root);
        }
    }

    private static String stackSummary(Stack s) {
        // Read after the runs, from the bench thread: the loop is idle by now; the figures are for the report only.
        return "TCP xmit " + s.stats().tcp.xmit + ", recv " + s.stats().tcp.recv + ", drop " + s.stats().tcp.drop;
    }

    static void preflight() throws Exception {
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < TOOLS.length; i++) {
            if (!Cmd.exists(TOOLS[i])) {
                missing.add(PACKAGES[i]);
            }
        }
        if (!missing.isEmpty()) {
            throw new BenchException("tun needs host tools that are missing: apt-get install " + String.join(" ", missing)
                    + "   (make bench as root installs them: tests/tools/ensure-tools.sh --install --bench)");
        }
        Cmd id = Cmd.run(5, "id", "-u");
        if (!id.out.trim().equals("0")) {
            throw new BenchException("tun needs root (TUN device and network namespaces); run 'sudo make bench BENCH=tun'"
                    + " or leave tun out (BENCH=jmh,budget,soak)");
        }
        if (!Files.exists(Path.of("/dev/net/tun"))) {
            throw new BenchException("tun needs /dev/net/tun (modprobe tun; in a container: --device /dev/net/tun --cap-add NET_ADMIN)");
        }
    }

    static void ping(String ns, Properties r, String k) throws IOException {
        Log.line("tun: ping -c 200 -i 0.002 " + JWIP);
        Cmd c = Cmd.inNs(ns, 30, "ping", "-c", "200", "-i", "0.002", "-W", "1", JWIP);
        List<Double> rtt = new ArrayList<>();
        Matcher m = Pattern.compile("time=([0-9.]+) ms").matcher(c.out);
        while (m.find()) {
            rtt.add(Double.parseDouble(m.group(1)) * 1000);
        }
        if (rtt.isEmpty()) {
            r.setProperty(k + "ping.error", c.toString());
            Log.line("tun: ping got no replies: " + c);
            return;
        }
        Collections.sort(rtt);
        r.setProperty(k + "ping.replies", String.valueOf(rtt.size()));
        r.setProperty(k + "ping.medianUs", fmt(rtt.get(rtt.size() / 2)));
        r.setProperty(k + "ping.minUs", fmt(rtt.get(0)));
        r.setProperty(k + "ping.p90Us", fmt(rtt.get((int) (rtt.size() * 0.9))));
        Log.line(String.format("tun: ping %d/200 replies, median %.0f us, min %.0f us, p90 %.0f us", rtt.size(),
                rtt.get(rtt.size() / 2), rtt.get(0), rtt.get((int) (rtt.size() * 0.9))));
    }

    /** Linux sends to jwip's discard service; the rate is what discard received over the command's time. */
    static void receive(String ns, Properties r, Probe probe, String k) throws Exception {
        long bytes = Env.bytes("BENCH_TUN_BYTES", 1_000_000_000L);
        int limit = Env.integer("BENCH_TUN_SECONDS", 20);
        String sh = "head -c " + bytes + " /dev/zero | socat -u - TCP:" + JWIP + ":9";
        Log.line("tun: Linux -> jwip discard: " + sh + " (at most " + limit + " s)");
        long before = probe.discardBytes;
        Cmd c = Cmd.inNs(ns, limit, "sh", "-c", sh);
        Thread.sleep(50);
        long got = probe.discardBytes - before;
        double mbps = got / 1e6 / c.seconds;
        r.setProperty(k + "rx.command", sh);
        r.setProperty(k + "rx.bytes", String.valueOf(got));
        r.setProperty(k + "rx.seconds", fmt(c.seconds));
        r.setProperty(k + "rx.mbps", fmt(mbps));
        r.setProperty(k + "rx.complete", String.valueOf(!c.timedOut && c.rc == 0 && got == bytes));
        Log.line(String.format("tun: jwip received %,d bytes in %.2f s: %.1f MB/s (%.2f Gbit/s)%s", got, c.seconds, mbps,
                mbps * 8 / 1000, c.timedOut ? " (time limit reached)" : c.rc != 0 ? " (socat: " + c + ")" : ""));
    }

    /** jwip's HTTP server sends a large file to curl. */
    static void send(String ns, Properties r, String k) throws IOException {
        int limit = Env.integer("BENCH_TUN_SECONDS", 20);
        String url = "http://" + JWIP + "/big.bin";
        Log.line("tun: jwip HTTP -> Linux: curl " + url + " (at most " + limit + " s)");
        Cmd c = Cmd.inNs(ns, limit + 10, "curl", "-s", "-o", "/dev/null", "--max-time", String.valueOf(limit), "-w",
                "%{size_download} %{time_total} %{speed_download} %{http_code}", url);
        String[] f = c.out.trim().split("\\s+");
        if (f.length < 4) {
            r.setProperty(k + "tx.error", c.toString());
            Log.line("tun: curl failed: " + c);
            return;
        }
        long size = (long) Double.parseDouble(f[0]);
        double speed = Double.parseDouble(f[2]);
        r.setProperty(k + "tx.command", "curl -o /dev/null -w '%{speed_download}' " + url);
        r.setProperty(k + "tx.bytes", String.valueOf(size));
        r.setProperty(k + "tx.seconds", f[1]);
        r.setProperty(k + "tx.mbps", fmt(speed / 1e6));
        r.setProperty(k + "tx.complete", String.valueOf(c.rc == 0 && f[3].equals("200")));
        Log.line(String.format("tun: jwip sent %,d bytes in %s s: %.1f MB/s (%.2f Gbit/s)%s", size, f[1], speed / 1e6,
                speed * 8 / 1e9, c.rc == 0 ? "" : " (curl exit " + c.rc + ")"));
    }

    /** jwip's chargen service sends to Linux (no file reading on jwip's side); the rate is what chargen sent. */
    static void chargen(String ns, Properties r, Probe probe, String k) throws Exception {
        long bytes = Env.bytes("BENCH_TUN_BYTES", 1_000_000_000L);
        int limit = Env.integer("BENCH_TUN_SECONDS", 20);
        String sh = "socat -u TCP:" + JWIP + ":19 - | head -c " + bytes + " > /dev/null";
        Log.line("tun: jwip chargen -> Linux: " + sh + " (at most " + limit + " s)");
        long before = probe.chargenBytes;
        Cmd c = Cmd.inNs(ns, limit, "sh", "-c", sh);
        Thread.sleep(50);
        long got = Math.min(bytes, probe.chargenBytes - before);
        double mbps = got / 1e6 / c.seconds;
        r.setProperty(k + "chargen.command", sh);
        r.setProperty(k + "chargen.bytes", String.valueOf(got));
        r.setProperty(k + "chargen.seconds", fmt(c.seconds));
        r.setProperty(k + "chargen.mbps", fmt(mbps));
        r.setProperty(k + "chargen.complete", String.valueOf(!c.timedOut && got >= bytes));
        Log.line(String.format("tun: jwip chargen sent %,d bytes in %.2f s: %.1f MB/s (%.2f Gbit/s)%s", got, c.seconds, mbps,
                mbps * 8 / 1000, c.timedOut ? " (time limit reached)" : ""));
    }

    /** Short HTTP connections with ApacheBench (HTTP/1.0, no keep-alive: a connection per request). */
    static void churn(String ns, Properties r, Probe probe, String k) throws Exception {
        int seconds = Env.integer("BENCH_CHURN_SECONDS", 10);
        int conc = Env.integer("BENCH_CHURN_CONCURRENCY", 4);
        String url = "http://" + JWIP + "/small.html";
        probe.reset = true;
        Thread.sleep(20);
        long reqBefore = probe.httpRequests;
        long recycledBefore = probe.twRecycled;
        long refusedBefore = probe.refused;
        // -t before -n: ab's -t resets the request count to 50,000, a later -n lifts that cap.
        Log.line("tun: churn: ab -r -t " + seconds + " -n 10000000 -c " + conc + " " + url);
        Cmd c = Cmd.inNs(ns, seconds + 30, "ab", "-r", "-t", String.valueOf(seconds), "-n", "10000000", "-c", String.valueOf(conc),
                "-s", "5", url);
        Thread.sleep(50);
        double rps = num(c.out, "Requests per second:\\s+([0-9.]+)");
        double complete = num(c.out, "Complete requests:\\s+([0-9]+)");
        double failed = num(c.out, "Failed requests:\\s+([0-9]+)");
        double non2xx = num(c.out, "Non-2xx responses:\\s+([0-9]+)");
        r.setProperty(k + "churn.seconds", String.valueOf(seconds));
        r.setProperty(k + "churn.command", "ab -r -t " + seconds + " -c " + conc + " " + url);
        if (Double.isNaN(rps)) {
            r.setProperty(k + "churn.error", c.toString().lines().reduce("", (x, y) -> x.length() > 300 ? x : x + " " + y));
            Log.line("tun: ab failed: " + c);
        }
        r.setProperty(k + "churn.rps", fmt(rps));
        r.setProperty(k + "churn.complete", fmt(complete));
        r.setProperty(k + "churn.failed", fmt((Double.isNaN(failed) ? 0 : failed) + (Double.isNaN(non2xx) ? 0 : non2xx)
                + (c.rc != 0 ? 1 : 0)));
        r.setProperty(k + "churn.abExit", String.valueOf(c.rc));
        r.setProperty(k + "churn.jwipRequests", String.valueOf(probe.httpRequests - reqBefore));
        r.setProperty(k + "churn.twMax", String.valueOf(probe.twMaxPublished));
        r.setProperty(k + "churn.twRecycled", String.valueOf(probe.twRecycled - recycledBefore));
        r.setProperty(k + "churn.refused", String.valueOf(probe.refused - refusedBefore));
        Log.line(String.format("tun: churn %.0f connections/s, %.0f complete, %.0f failed; TIME_WAIT max %d of cap %s, %d recycled",
                rps, complete, Report.d(r, k + "churn.failed"), probe.twMaxPublished, r.getProperty("twCap"),
                probe.twRecycled - recycledBefore));
    }

    private static double num(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    private static void check(Cmd c, String what) throws BenchException {
        if (c.rc != 0) {
            throw new BenchException(what + " failed: " + c);
        }
    }

    static void deleteNs(String ns) {
        try {
            Cmd pids = Cmd.run(10, "ip", "netns", "pids", ns);
            if (pids.rc == 0) {
                for (String pid : pids.out.split("\\s+")) {
                    if (pid.matches("[0-9]+")) {
                        Cmd.run(5, "kill", "-9", pid);
                    }
                }
                Cmd.run(10, "ip", "netns", "del", ns);
            }
        } catch (IOException e) {
            System.err.println("bench: could not delete namespace " + ns + ": " + e);
        }
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
