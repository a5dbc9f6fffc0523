package io.jwip.examples.services;

import io.jwip.Err;
import io.jwip.stack.Stack;
import io.jwip.examples.cli.Args;
import io.jwip.examples.cli.UsageException;
import io.jwip.tcp.Tcp;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * Starts the services a command line asks for on one stack: {@code --echo}, {@code --discard},
 * {@code --chargen}, {@code --http} (with {@code --http-root}) on TCP and {@code --udp-echo} on UDP.
 * Installs TCP on the stack (with a random ISN secret) if it is not there yet, so that the TCP services
 * have a layer to listen on and other TCP ports answer with RST.
 */
public final class Services implements io.jwip.port.Timed {
    private int count;
    /** The services started (null when not asked for), e.g. for tests and stats. */
    public TcpEcho echo;
    public Discard discard;
    public Chargen chargen;
    public HttpServer http;
    public UdpEcho udpEcho;

    /** Declares the service options. */
    public static Args declare(Args a) {
        a.option("echo", "PORT", "TCP echo service (RFC 862), usually 7");
        a.option("udp-echo", "PORT", "UDP echo service (RFC 862), usually 7");
        a.option("discard", "PORT", "TCP discard service (RFC 863), usually 9");
        a.option("chargen", "PORT", "TCP character generator (RFC 864), usually 19");
        a.option("http", "PORT", "HTTP/1.1 server (GET/HEAD of files under --http-root, and /status), usually 80");
        a.option("http-root", "DIR", "directory the HTTP server serves files from (default: /status page only)");
        a.option("http-header-timeout", "MS", "time a client has to send its request header (default "
                + HttpServer.HEADER_TIMEOUT_MS + "; 0: none)");
        a.option("http-idle-timeout", "MS", "time a response may wait for the client to take data (default "
                + HttpServer.IDLE_TIMEOUT_MS + "; 0: none)");
        a.option("http-max-per-client", "N", "connections one client address may hold (default: half of --tcp-pcbs)");
        a.option("http-status-every", "MS", "how often /status samples the pools and TCP states for its charts"
                + " (and refreshes itself) (default " + StatusSamples.INTERVAL_MS + ")");
        a.option("http-status-samples", "N", "samples the /status charts keep (default " + StatusSamples.CAPACITY
                + ": the last 10 minutes)");
        return a;
    }

    /** Installs TCP on {@code stack} unless it has it already; returns the layer. */
    public static Tcp tcp(Stack stack) {
        Tcp t = Tcp.of(stack);
        if (t == null) {
            t = Tcp.install(stack);
            SecureRandom r = new SecureRandom();
            t.setIsnSecret(r.nextLong(), r.nextLong());
        }
        return t;
    }

    /**
     * Checks every service option (ports in range and distinct, --http-root a directory, the --http-...
     * options only with --http) without starting anything: commands call it before they open a link.
     */
    public static void check(Args args) throws UsageException {
        checked(args);
    }

    private record Checked(long headerTimeout, long idleTimeout, Path root, int echo, int discard, int chargen, int http,
                           long statusEvery, int statusSamples) {}

    private static Checked checked(Args args) throws UsageException {
        for (String o : new String[]{"http-root", "http-header-timeout", "http-idle-timeout", "http-max-per-client",
                "http-status-every", "http-status-samples"}) {
            if (args.has(o) && !args.has("http")) {
                throw new UsageException("--" + o + " needs --http PORT");
            }
        }
        long headerTimeout = args.getLong("http-header-timeout", HttpServer.HEADER_TIMEOUT_MS, 0, 86_400_000L);
        long idleTimeout = args.getLong("http-idle-timeout", HttpServer.IDLE_TIMEOUT_MS, 0, 86_400_000L);
        if (args.has("http-max-per-client")) {
            args.getInt("http-max-per-client", 1, 1, 1 << 20);
        }
        long statusEvery = args.getLong("http-status-every", StatusSamples.INTERVAL_MS, 100, 3_600_000L);
        int statusSamples = args.getInt("http-status-samples", StatusSamples.CAPACITY, 2, 100_000);
        Path root = null;
        if (args.has("http-root")) {
            root = Path.of(args.get("http-root", ""));
            if (!Files.isDirectory(root)) {
                throw new UsageException("--http-root " + root + ": " + (Files.exists(root) ? "not a directory" : "no such directory"));
            }
        }
        // Check every port before starting anything, so that a clash is one clear message.
        int echo = port(args, "echo", 7);
        int discard = port(args, "discard", 9);
        int chargen = port(args, "chargen", 19);
        int http = port(args, "http", 80);
        String[] names = {"echo", "discard", "chargen", "http"};
        int[] ports = {echo, discard, chargen, http};
        for (int i = 0; i < ports.length; i++) {
            for (int j = i + 1; j < ports.length; j++) {
                if (ports[i] > 0 && ports[i] == ports[j]) {
                    throw new UsageException("--" + names[i] + " and --" + names[j] + " both want TCP port " + ports[i]);
                }
            }
        }
        if (args.has("udp-echo")) {
            args.getInt("udp-echo", 7, 1, 65535);
        }
        return new Checked(headerTimeout, idleTimeout, root, echo, discard, chargen, http, statusEvery, statusSamples);
    }

    public static Services start(Stack stack, Args args, PrintStream out) throws UsageException {
        Services s = new Services();
        Checked c = checked(args);
        long headerTimeout = c.headerTimeout();
        long idleTimeout = c.idleTimeout();
        int perClient = args.getInt("http-max-per-client", Math.max(1, stack.options().tcpPcbs / 2), 1, 1 << 20);
        Path root = c.root();
        int echo = c.echo();
        int discard = c.discard();
        int chargen = c.chargen();
        int http = c.http();
        if (echo > 0 || discard > 0 || chargen > 0 || http > 0) {
            tcp(stack);
        }
        if (echo > 0) {
            s.echo = new TcpEcho(stack);
            s.started(s.echo.start(echo), "--echo", echo, "tcp echo", out);
        }
        if (discard > 0) {
            s.discard = new Discard(stack);
            s.started(s.discard.start(discard), "--discard", discard, "tcp discard", out);
        }
        if (chargen > 0) {
            s.chargen = new Chargen(stack);
            s.started(s.chargen.start(chargen), "--chargen", chargen, "tcp chargen", out);
        }
        if (http > 0) {
            s.http = new HttpServer(stack, root, c.statusEvery(), c.statusSamples());
            s.http.setTimeouts(headerTimeout, idleTimeout);
            s.http.setMaxPerClient(perClient);
            s.started(s.http.start(http), "--http", http,
                    "http" + (root == null ? " (/status only)" : " serving " + root.toAbsolutePath()), out);
        }
        if (args.has("udp-echo")) {
            int port = args.getInt("udp-echo", 7, 1, 65535);
            s.udpEcho = new UdpEcho(stack);
            s.started(s.udpEcho.start(port), "--udp-echo", port, "udp echo", out);
        }
        return s;
    }

    private static int port(Args args, String name, int dflt) throws UsageException {
        return args.has(name) ? args.getInt(name, dflt, 1, 65535) : 0;
    }

    private void started(int err, String flag, int port, String what, PrintStream out) throws UsageException {
        if (err != Err.OK) {
            throw new UsageException(flag + " " + port + ": " + Err.text(err)
                    + (err == Err.MEM ? " (no listener left, or the listeners' backlogs would exceed --tcp-pcbs:"
                    + " raise --tcp-listeners, --udp-pcbs or --tcp-pcbs, or lower --backlog)" : ""));
        }
        out.println(what + " on port " + port);
        count++;
    }

    /**
     * When {@link #poll()} must run next for a service's timeout (the stack's clock), or Stack.NO_DEADLINE;
     * the loop wakes for it. Allocates nothing.
     */
    @Override
    public long nextDeadline() {
        long d = Long.MAX_VALUE;
        d = Math.min(d, echo == null ? d : echo.nextDeadline());
        d = Math.min(d, discard == null ? d : discard.nextDeadline());
        d = Math.min(d, chargen == null ? d : chargen.nextDeadline());
        d = Math.min(d, http == null ? d : http.nextDeadline());
        d = Math.min(d, http == null ? d : http.samples().nextDeadline());
        return d;
    }

    /**
     * Resumes TCP connections that wait for pool memory with nothing in flight and expires timeouts (see
     * {@link TcpService}); the command line's runner calls it after every loop turn. Allocates nothing.
     */
    public void poll() {
        if (discard != null) {
            discard.poll();
        }
        if (echo != null) {
            echo.poll();
        }
        if (chargen != null) {
            chargen.poll();
        }
        if (http != null) {
            http.poll();
            http.samples().poll();
        }
    }

    public int count() {
        return count;
    }
}
