package io.jwip.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The TUN part: jwip as a user runs it, {@code java -jar jwip.jar serve} in its own process with its
 * documented flags, on a TUN device whose Linux side is a network namespace, each figure beside a reference
 * measured in the same run with the same client tool:
 * <ul>
 *   <li><b>the relay</b> ({@code tests/tools/relay/tunrelay.c}, built here with gcc): a C program that only
 *       copies packets between two TUN devices, Linux in one namespace talking to Linux in another through
 *       it: the ceiling of a userspace program on TUN, for ping and throughput;</li>
 *   <li><b>the kernel over a veth pair</b> ({@code httpd1.c}, a one-thread accept/respond/close server):
 *       short HTTP connections;</li>
 *   <li><b>the kernel's loopback</b> ({@code iperf3} over 127.0.0.1) for the in-process {@code transfer}.</li>
 * </ul>
 * jwip runs in four configurations: the defaults, {@code --profile server}, the same with TUN offload
 * ({@code tun:NAME,offload=1}), and {@code --profile server --idle spin} (busy polling, reported on its own
 * line). Every jwip run has {@code --time-wait 8}. The idle
 * figure is the CPU time of an idle {@code serve} holding 16 open connections, over 10 s, from
 * {@code /proc/PID/stat}. Namespaces, devices and processes made here are removed at the end.
 *
 * <p>Settings: {@code BENCH_TUN_SECONDS} (per throughput run, 6), {@code BENCH_CHURN_SECONDS} (10),
 * {@code BENCH_TUN_CONFIGS} (a comma list of default, server, offload, spin; all four).
 */
final class TunPart {
    static final String[] TOOLS = {"ip", "ping", "iperf", "iperf3", "ab", "gcc", "socat"};
    static final String[] PACKAGES = {"iproute2", "iputils-ping", "iperf", "iperf3", "apache2-utils", "gcc", "socat"};
    static final String JWIP_HOST = "10.77.0.1";
    static final String JWIP = "10.77.0.2";
    static final String RELAY_A = "10.78.0.1";
    static final String RELAY_B = "10.78.0.2";
    static final String VETH_A = "10.79.0.1";
    static final String VETH_B = "10.79.0.2";

    /** The jwip configurations: key, flags, title, netif spec options. */
    static final String[][] CONFIGS = {
        {"default", "", "jwip serve (defaults)", ""},
        {"server", "--profile server", "jwip serve --profile server", ""},
        {"offload", "--profile server", "jwip serve --profile server, tun offload=1", ",offload=1"},
        {"spin", "--profile server --idle spin", "jwip serve --profile server --idle spin", ""},
    };

    private TunPart() {}

    static void run(Properties r, Path jar, Path out) throws Exception {
        preflight(jar);
        Path tools = out.resolve("tools");
        Files.createDirectories(tools);
        Path relay = gcc(tools, "tunrelay");
        Path httpd = gcc(tools, "httpd1");
        Path blast = gcc(tools, "tcpblast");
        SecureRandom rnd = new SecureRandom();
        String tag = Long.toHexString(rnd.nextLong() & 0xffffffL);
        String nsJ = "jwb-j-" + tag;
        String nsR1 = "jwb-r1-" + tag;
        String nsR2 = "jwb-r2-" + tag;
        String nsV1 = "jwb-v1-" + tag;
        String nsV2 = "jwb-v2-" + tag;
        List<String> all = List.of(nsJ, nsR1, nsR2, nsV1, nsV2);
        List<Process> started = new ArrayList<>();
        Thread cleanup = new Thread(() -> cleanUp(started, all), "bench-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        Path root = Files.createTempDirectory("jwip-bench-www");
        int seconds = Env.integer("BENCH_TUN_SECONDS", 4);
        int churnSeconds = Env.integer("BENCH_CHURN_SECONDS", 5);
        int rounds = Env.integer("BENCH_TUN_ROUNDS", 3);
        r.setProperty("rounds", String.valueOf(rounds));
        r.setProperty("seconds.throughput", String.valueOf(seconds));
        r.setProperty("seconds.churn", String.valueOf(churnSeconds));
        try {
            for (String ns : all) {
                check(Cmd.run(10, "ip", "netns", "add", ns), "ip netns add " + ns);
                check(Cmd.run(10, "ip", "-n", ns, "link", "set", "lo", "up"), "lo up in " + ns);
                Cmd.inNs(ns, 10, "sh", "-c", "for f in all default; do p=/proc/sys/net/ipv6/conf/$f/disable_ipv6;"
                        + " [ -e $p ] && echo 1 > $p; done; true");
            }
            Files.writeString(root.resolve("small.html"), "<html><body>jwip</body></html>\n");
            try (RandomAccessFile f = new RandomAccessFile(root.resolve("big.bin").toFile(), "rw")) {
                f.setLength(1_000_000_000L); // sparse
            }

            // ---- the references: started once, measured in every round beside jwip
            Log.section("tun: references: the relay (two TUN devices, Linux on both sides), the kernel over veth");
            String ra = "jwbra" + tag.substring(0, 4);
            String rb = "jwbrb" + tag.substring(0, 4);
            start(started, out.resolve("relay.log"), relay.toString(), ra, rb);
            awaitLine(out.resolve("relay.log"), "ready", 10);
            check(Cmd.run(10, "ip", "link", "set", ra, "netns", nsR1), "move " + ra);
            check(Cmd.run(10, "ip", "link", "set", rb, "netns", nsR2), "move " + rb);
            up(nsR1, ra, RELAY_A);
            up(nsR2, rb, RELAY_B);
            start(started, out.resolve("iperf-server.log"), "ip", "netns", "exec", nsR2, "iperf", "-s", "-p", "9");
            start(started, out.resolve("blast-source.log"), "ip", "netns", "exec", nsR2, blast.toString(), "source", "19");
            awaitLine(out.resolve("blast-source.log"), "ready", 10);
            String va = "jwbva" + tag.substring(0, 4);
            String vb = "jwbvb" + tag.substring(0, 4);
            check(Cmd.run(10, "ip", "link", "add", va, "netns", nsV1, "type", "veth", "peer", "name", vb, "netns", nsV2), "veth");
            up(nsV1, va, VETH_A);
            up(nsV2, vb, VETH_B);
            start(started, out.resolve("httpd1.log"), "ip", "netns", "exec", nsV2, httpd.toString(), "80");
            awaitLine(out.resolve("httpd1.log"), "ready", 10);
            Figures ref = new Figures();
            // Warm the references (the relay's first packets, the servers' first connections).
            ping(nsR1, RELAY_B);
            iperf(nsR1, RELAY_B, 1);
            churn(nsV1, "http://" + VETH_B + "/", 1);

            // ---- jwip, as a user runs it
            String only = Env.string("BENCH_TUN_CONFIGS", "default,server,offload,spin");
            StringBuilder ran = new StringBuilder();
            for (int ci = 0; ci < CONFIGS.length; ci++) {
                String[] c = CONFIGS[ci];
                if (!("," + only + ",").contains("," + c[0] + ",")) {
                    continue;
                }
                ran.append(ran.length() == 0 ? "" : ",").append(c[0]);
                String dev = "jwbj" + tag.substring(0, 4) + ci;
                List<String> cmd = new ArrayList<>(List.of(java(), "-jar", jar.toString(), "serve", "--netif",
                        "tun:" + dev + ",netns=" + nsJ + ",host=" + JWIP_HOST + "/24" + c[3], "--addr", JWIP + "/24",
                        "--discard", "9", "--chargen", "19", "--echo", "7", "--http", "80", "--http-root",
                        root.toString(), "--time-wait", "8"));
                if (!c[1].isEmpty()) {
                    cmd.addAll(List.of(c[1].split(" ")));
                }
                String k = c[0];
                r.setProperty(k + ".command", String.join(" ", cmd).replace(java(), "java").replace(root.toString(), "DIR")
                        .replace(jar.toString(), "jwip.jar"));
                r.setProperty(k + ".title", c[2]);
                Log.section("tun: " + c[2] + ": " + r.getProperty(k + ".command"));
                Path log = out.resolve("serve-" + k + ".log");
                Process sp = start(started, log, cmd.toArray(new String[0]));
                awaitLine(log, "http serving", 30);
                r.setProperty(k + ".waits", grep(log, "loop waits: (.*)"));
                // Warm the JIT the way a user's first minute would, then measure.
                Cmd.inNs(nsJ, 20, "ping", "-c", "200", "-i", "0.002", "-q", JWIP);
                churn(nsJ, "http://" + JWIP + "/small.html", 2);
                iperf(nsJ, JWIP, 2);
                Figures jw = new Figures();
                Figures paired = new Figures();
                for (int round = 0; round < rounds; round++) {
                    // Each figure: the reference, then jwip, right after each other (the machine's load drifts).
                    paired.add("ping.medianUs", ping(nsR1, RELAY_B), jw.add("ping.medianUs", ping(nsJ, JWIP)));
                    paired.add("rx.mbps", iperf(nsR1, RELAY_B, seconds), jw.add("rx.mbps", iperf(nsJ, JWIP, seconds)));
                    paired.add("tx.mbps", sink(blast, nsR1, RELAY_B, seconds), jw.add("tx.mbps", sink(blast, nsJ, JWIP, seconds)));
                    double[] v = churn(nsV1, "http://" + VETH_B + "/", churnSeconds);
                    double[] j = churn(nsJ, "http://" + JWIP + "/small.html", churnSeconds);
                    paired.add("churn.rps", v[0], jw.add("churn.rps", j[0]));
                    jw.add("churn.failed", j[1]);
                    ref.add("veth.churn.failed", v[1]);
                }
                jw.store(r, k);
                paired.storeRatios(r, k, ref);
                if (!k.equals("spin")) {
                    idle(nsJ, sp, r, k);
                }
                stop(sp);
                String stats = Files.readString(log, StandardCharsets.UTF_8);
                r.setProperty(k + ".twRecycled", num(stats, "(\\d+)\\s+TIME_WAIT entry recycled"));
                r.setProperty(k + ".rstSent", num(stats, "(\\d+)\\s+RSTs sent"));
                r.setProperty(k + ".retransmits", num(stats, "(\\d+)\\s+segments retransmitted"));
            }
            r.setProperty("configs", ran.toString());
            ref.storeReferences(r);

            // ---- in-process: what `transfer` does, beside the kernel's loopback, in rounds
            Log.section("tun: in-process transfer beside the kernel's loopback");
            start(started, out.resolve("iperf3-server.log"), "ip", "netns", "exec", nsV1, "iperf3", "-s", "-p", "5201");
            Thread.sleep(300);
            r.setProperty("loopback.command", "iperf3 -c 127.0.0.1 -t " + seconds);
            String[][] runs = {
                {"raw", "--bytes", "4G", "--mss", "1460", "--quiet"},
                {"socket", "--bytes", "4G", "--mss", "1460", "--api", "socket", "--quiet"},
                {"rawcsum", "--bytes", "4G", "--mss", "1460", "--checksum", "compute", "--quiet"},
            };
            Figures inproc = new Figures();
            Figures inprocPaired = new Figures();
            for (int round = 0; round < rounds; round++) {
                double lo = loopback(nsV1, seconds);
                inproc.add("loopback.mbps", lo);
                double raw = Double.NaN;
                for (String[] run : runs) {
                    double t = transfer(jar, r, run[0], java.util.Arrays.copyOfRange(run, 1, run.length));
                    inproc.add("transfer." + run[0] + ".mbps", t);
                    inprocPaired.add("transfer." + run[0] + ".vsLoopback", lo, t);
                    if (run[0].equals("raw")) {
                        raw = t;
                    } else if (run[0].equals("socket")) {
                        inprocPaired.add("transfer.socket.vsRaw", raw, t);
                    }
                }
            }
            inproc.store(r, null);
            inprocPaired.storeRatios(r, null, null);
        } finally {
            cleanUp(started, all);
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

    static void preflight(Path jar) throws Exception {
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
        if (!Cmd.run(5, "id", "-u").out.trim().equals("0")) {
            throw new BenchException("tun needs root (TUN devices and network namespaces); run 'sudo make bench BENCH=tun'"
                    + " or leave tun out (BENCH=jmh,budget,soak)");
        }
        if (!Files.exists(Path.of("/dev/net/tun"))) {
            throw new BenchException("tun needs /dev/net/tun (modprobe tun; in a container: --device /dev/net/tun --cap-add NET_ADMIN)");
        }
        if (!Files.isRegularFile(jar)) {
            throw new BenchException(jar + " is missing: run 'make build' (make bench builds it)");
        }
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Builds tests/tools/relay/NAME.c into DIR/NAME. */
    static Path gcc(Path dir, String name) throws Exception {
        Path src = Path.of("tests/tools/relay", name + ".c");
        if (!Files.isRegularFile(src)) {
            src = Path.of("tools/relay", name + ".c"); // run from the tests module
        }
        Path exe = dir.resolve(name);
        Cmd c = Cmd.run(60, "gcc", "-O2", "-Wall", "-o", exe.toString(), src.toString());
        check(c, "gcc " + src);
        return exe;
    }

    static void up(String ns, String dev, String addr) throws Exception {
        check(Cmd.run(10, "ip", "-n", ns, "addr", "add", addr + "/24", "dev", dev), "address " + dev);
        check(Cmd.run(10, "ip", "-n", ns, "link", "set", dev, "up"), "up " + dev);
    }

    /** Starts a background process, its output into {@code log}; remembered for the clean-up. */
    static Process start(List<Process> started, Path log, String... cmd) throws IOException {
        Files.deleteIfExists(log);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        started.add(p);
        return p;
    }

    /** Ends a process this part started: SIGTERM, then SIGKILL after 5 s. */
    static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    static void awaitLine(Path log, String text, int seconds) throws Exception {
        long until = System.currentTimeMillis() + seconds * 1000L;
        while (System.currentTimeMillis() < until) {
            if (Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains(text)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new BenchException("'" + text + "' not seen in " + log + " within " + seconds + " s: "
                + (Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8).strip() : "(no output)"));
    }

    /** Median RTT in microseconds of 1000 pings at 1 ms, or NaN. */
    static double ping(String ns, String to) throws IOException {
        Cmd c = Cmd.inNs(ns, 60, "ping", "-n", "-c", "1000", "-i", "0.001", "-W", "1", to);
        List<Double> rtt = new ArrayList<>();
        Matcher m = Pattern.compile("time=([0-9.]+) ms").matcher(c.out);
        while (m.find()) {
            rtt.add(Double.parseDouble(m.group(1)) * 1000);
        }
        if (rtt.size() < 900) {
            Log.line("tun: ping " + to + ": only " + rtt.size() + " of 1000 replies: " + c.toString().lines().limit(3).toList());
            return Double.NaN;
        }
        Collections.sort(rtt);
        double med = rtt.get(rtt.size() / 2);
        Log.line(String.format(Locale.ROOT, "tun: ping %s: median %.0f us, p90 %.0f us", to, med, rtt.get((int) (rtt.size() * 0.9))));
        return med;
    }

    /** Linux sends with iperf (2) for {@code seconds} to port 9; MB/s as iperf reports it, or NaN. */
    static double iperf(String ns, String to, int seconds) throws IOException {
        Cmd c = Cmd.inNs(ns, seconds + 20, "iperf", "-c", to, "-p", "9", "-t", String.valueOf(seconds), "-f", "m");
        Matcher m = Pattern.compile("([0-9.]+) MBytes\\s+([0-9.]+) Mbits/sec").matcher(c.out);
        String last = null;
        while (m.find()) {
            last = m.group(2);
        }
        if (last == null) {
            Log.line("tun: iperf to " + to + " failed: " + c);
            return Double.NaN;
        }
        Log.line("tun: Linux -> " + to + ": " + last + " Mbit/s");
        return Double.parseDouble(last) / 8;
    }

    /** Linux reads from port 19 (jwip's chargen, or tcpblast's source) for {@code seconds}; MB/s or NaN. */
    static double sink(Path blast, String ns, String from, int seconds) throws IOException {
        Cmd c = Cmd.inNs(ns, seconds + 20, blast.toString(), "sink", from, "19", String.valueOf(seconds));
        String[] f = c.out.trim().split("\\s+");
        if (c.rc != 0 || f.length < 2) {
            Log.line("tun: sink from " + from + " failed: " + c);
            return Double.NaN;
        }
        double mbps = Double.parseDouble(f[0]) / 1e6 / Double.parseDouble(f[1]);
        Log.line(String.format(Locale.ROOT, "tun: %s -> Linux: %.0f Mbit/s", from, mbps * 8));
        return mbps;
    }

    /**
     * A sequential client: ApacheBench with one connection at a time (HTTP/1.0: a connection per request, the
     * server closes first). Returns {connections/s, failures}.
     */
    static double[] churn(String ns, String url, int seconds) throws IOException {
        Cmd c = Cmd.inNs(ns, seconds + 30, "ab", "-q", "-c", "1", "-t", String.valueOf(seconds), "-n", "10000000", "-s", "5", url);
        double rps = dnum(c.out, "Requests per second:\\s+([0-9.]+)");
        double failed = dnum(c.out, "Failed requests:\\s+([0-9]+)");
        double non2xx = dnum(c.out, "Non-2xx responses:\\s+([0-9]+)");
        double bad = (Double.isNaN(failed) ? 0 : failed) + (Double.isNaN(non2xx) ? 0 : non2xx) + (c.rc != 0 ? 1 : 0);
        if (Double.isNaN(rps)) {
            Log.line("tun: ab " + url + " failed: " + c);
            return new double[] {Double.NaN, Math.max(1, bad)};
        }
        Log.line(String.format(Locale.ROOT, "tun: %s: %.0f connections/s, %.0f failed", url, rps, bad));
        return new double[] {rps, bad};
    }

    /** The kernel's loopback: iperf3 over 127.0.0.1 for {@code seconds}, MB/s or NaN. */
    static double loopback(String ns, int seconds) throws IOException {
        Cmd lo = Cmd.inNs(ns, seconds + 20, "iperf3", "-c", "127.0.0.1", "-p", "5201", "-t", String.valueOf(seconds), "-f", "m");
        Matcher lm = Pattern.compile("([0-9.]+) Mbits/sec\\s+\\S*\\s*receiver").matcher(lo.out);
        if (!lm.find()) {
            Log.line("tun: iperf3 over loopback failed: " + lo);
            return Double.NaN;
        }
        Log.line("tun: kernel loopback " + lm.group(1) + " Mbit/s");
        return Double.parseDouble(lm.group(1)) / 8;
    }

    /**
     * Figures of several rounds: for each name, every value; stored as the median, and for pairs (reference,
     * jwip) as the median of the rounds' ratios.
     */
    static final class Figures {
        final java.util.Map<String, List<Double>> values = new java.util.LinkedHashMap<>();
        final java.util.Map<String, List<double[]>> pairs = new java.util.LinkedHashMap<>();

        double add(String name, double v) {
            values.computeIfAbsent(name, x -> new ArrayList<>()).add(v);
            return v;
        }

        void add(String name, double reference, double jwip) {
            pairs.computeIfAbsent(name, x -> new ArrayList<>()).add(new double[] {reference, jwip});
        }

        static double sum(List<Double> l) {
            double t = 0;
            for (double d : l) {
                t += Double.isNaN(d) ? 1 : d;
            }
            return t;
        }

        static double median(List<Double> l) {
            List<Double> v = new ArrayList<>();
            for (double d : l) {
                if (!Double.isNaN(d)) {
                    v.add(d);
                }
            }
            if (v.isEmpty()) {
                return Double.NaN;
            }
            Collections.sort(v);
            int n = v.size();
            return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
        }

        /** Medians as {@code PREFIX.name} (or {@code name}), with the rounds' values beside them. */
        void store(Properties r, String prefix) {
            for (var e : values.entrySet()) {
                String k = prefix == null ? e.getKey() : prefix + "." + e.getKey();
                r.setProperty(k, fmt(k.endsWith(".failed") ? sum(e.getValue()) : median(e.getValue())));
                r.setProperty(k + ".rounds", e.getValue().stream().map(x -> String.format(Locale.ROOT, "%.0f", x))
                        .reduce((a, b) -> a + ", " + b).orElse(""));
            }
        }

        /** For each pair: the median ratio jwip/reference ({@code .ratio}); the reference values go to {@code ref}. */
        void storeRatios(Properties r, String prefix, Figures ref) {
            for (var e : pairs.entrySet()) {
                String k = prefix == null ? e.getKey() : prefix + "." + e.getKey();
                List<Double> q = new ArrayList<>();
                List<Double> refs = new ArrayList<>();
                for (double[] p : e.getValue()) {
                    q.add(p[1] / p[0]);
                    refs.add(p[0]);
                    if (ref != null) {
                        ref.add(e.getKey(), p[0]);
                    }
                }
                r.setProperty(k + ".ratio", fmt(median(q)));
                r.setProperty(k + ".ref", fmt(median(refs)));
            }
        }

        /** The references measured over all rounds of all configurations, by the figure they were compared on. */
        void storeReferences(Properties r) {
            for (var e : values.entrySet()) {
                String name = e.getKey();
                String k = name.startsWith("veth.") ? name : (name.startsWith("churn.") ? "veth." : "relay.") + name;
                r.setProperty(k, fmt(k.endsWith(".failed") ? sum(e.getValue()) : median(e.getValue())));
                r.setProperty(k + ".rounds", String.valueOf(e.getValue().size()));
            }
        }
    }

    /** CPU time of the serve process over 10 s while it holds 16 idle connections (echo, nothing sent). */
    static void idle(String ns, Process serve, Properties r, String k) throws Exception {
        Thread holders = new Thread(() -> {
            try {
                Cmd.inNs(ns, 30, "sh", "-c", "for i in $(seq 16); do sleep 15 | socat - TCP:" + JWIP + ":7 & done; wait");
            } catch (IOException e) {
                // reported by the figure
            }
        }, "idle-connections");
        holders.start();
        Thread.sleep(2000);
        long pid = serve.pid();
        long t0 = cpuTicks(pid);
        long w0 = System.nanoTime();
        Thread.sleep(10_000);
        long t1 = cpuTicks(pid);
        double wall = (System.nanoTime() - w0) / 1e9;
        holders.join(30_000);
        double pct = (t1 - t0) / 100.0 / wall * 100; // USER_HZ is 100 on Linux
        r.setProperty(k + ".idle.cpuPercent", fmt(pct));
        r.setProperty(k + ".idle.command", "16 idle connections (sleep 15 | socat - TCP:HOST:7), CPU over 10 s from /proc/PID/stat");
        Log.line(String.format(Locale.ROOT, "tun: %s: idle with 16 connections: %.2f %% of a core", k, pct));
    }

    static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
    }

    /** {@code java -jar jwip.jar transfer ARGS}, in its own process; MB/s or NaN. */
    static double transfer(Path jar, Properties r, String k, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(java(), "-jar", jar.toString(), "transfer"));
        cmd.addAll(List.of(args));
        Cmd c = Cmd.run(300, cmd);
        r.setProperty("transfer." + k + ".command", "java -jar jwip.jar transfer " + String.join(" ", args));
        Matcher m = Pattern.compile("received [0-9,]+ bytes in ([0-9.]+) s: ([0-9.]+) MB/s").matcher(c.out);
        if (c.rc != 0 || !m.find()) {
            r.setProperty("transfer." + k + ".error", c.toString());
            Log.line("tun: transfer " + k + " failed: " + c);
            return Double.NaN;
        }
        Log.line("tun: transfer " + String.join(" ", args) + ": " + m.group(2) + " MB/s");
        return Double.parseDouble(m.group(2));
    }

    private static String grep(Path log, String regex) throws IOException {
        Matcher m = Pattern.compile(regex).matcher(Files.readString(log, StandardCharsets.UTF_8));
        return m.find() ? m.group(1).strip() : "";
    }

    private static String num(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        String last = "";
        while (m.find()) {
            last = m.group(1);
        }
        return last;
    }

    private static double dnum(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    private static void check(Cmd c, String what) throws BenchException {
        if (c.rc != 0) {
            throw new BenchException(what + " failed: " + c);
        }
    }

    /** Ends the processes this part started (by their handles), then whatever runs in its namespaces, then those. */
    static synchronized void cleanUp(List<Process> started, List<String> namespaces) {
        for (Process p : started) {
            if (p.isAlive()) {
                p.destroy();
                try {
                    if (!p.waitFor(5, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        for (String ns : namespaces) {
            deleteNs(ns);
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
