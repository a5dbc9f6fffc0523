package io.jwip.examples;

import io.jwip.JwipOptions;
import io.jwip.examples.cli.Args;
import io.jwip.examples.cli.Command;
import io.jwip.examples.cli.Exit;
import io.jwip.examples.cli.Failure;
import io.jwip.examples.cli.StackConfig;
import io.jwip.examples.cli.StackSetup;
import io.jwip.examples.cli.UsageException;
import io.jwip.examples.services.Services;
import io.jwip.port.socket.JwipSocket;
import io.jwip.wire.Ip4Addr;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;

/**
 * {@code connect}: like {@code nc HOST PORT}, through jwip. Standard input goes to a TCP connection that
 * jwip opens over the link, what arrives goes to standard output; at the end of standard input jwip
 * half-closes (sends its FIN) and keeps reading until the peer closes. Status lines go to standard error
 * so that standard output carries only the connection's bytes. Runs on the threaded port with the
 * blocking sockets ({@link JwipSocket}).
 */
final class ConnectCommand implements Command {
    /** Standard input; tests replace it. */
    static InputStream stdin = System.in;
    /** Status lines; tests replace it. */
    static PrintStream status = System.err;

    @Override
    public String name() {
        return "connect";
    }

    @Override
    public String summary() {
        return "open a TCP connection from jwip over a link and join it to standard input and output (like nc)";
    }

    @Override
    public Args options() {
        Args a = StackSetup.declare(new Args());
        a.option("timeout", "MS", "give up connecting after MS ms (default 10000)");
        a.flag("quiet", "no status lines on standard error");
        return StackConfig.declare(a);
    }

    @Override
    public String details() {
        return "usage: connect --netif SPEC (--addr A.B.C.D/N [--gw A.B.C.D] [--dns SERVER] | --dhcp) HOST PORT\n"
                + "HOST is an address, or a name looked up with --dns SERVER or the DHCP lease's servers.\n"
                + "example (as root, Linux listening with socat in namespace jw):\n"
                + "  ip netns exec jw socat TCP-LISTEN:7000 - &\n"
                + "  echo hello | java -jar jwip.jar connect --netif tun:jw0,netns=jw,host=10.9.0.1/24 \\\n"
                + "       --addr 10.9.0.2/24 10.9.0.1 7000\n"
                + "Exit code 0 when the peer closed after the exchange, 1 if the connection failed or was reset.\n";
    }

    @Override
    public int run(Args args, PrintStream out) throws Exception {
        if (args.positional().size() != 2) {
            throw new UsageException("expected HOST PORT, got " + args.positional().size() + " argument(s)");
        }
        String host = args.positional().get(0);
        boolean byName = !Ip4Addr.isValid(host);
        if (byName && !args.has("dhcp") && args.all("dns").isEmpty()) {
            throw new UsageException("HOST " + host + " is a name: give --dns SERVER (or --dhcp) to look it up");
        }
        int addr = byName ? 0 : Ip4Addr.parse(host, 0);
        int port;
        try {
            port = Integer.parseInt(args.positional().get(1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw new UsageException("PORT: not a port number (1..65535): " + args.positional().get(1));
        }
        long timeout = args.getLong("timeout", 10_000, 1, 3_600_000);
        PrintStream st = args.has("quiet") ? null : status;
        JwipOptions o = StackConfig.apply(args, new JwipOptions());
        try (StackSetup s = StackSetup.openThreaded(args, o, st)) {
            if (byName) {
                s.thread.start("jwip-stack");
                addr = lookUp(s, host, timeout, st);
            }
            if (!s.hasRoute(addr)) {
                throw new Failure(Exit.FAILED, "no route to host " + host + ": it is not on any netif's subnet and there is no --gw");
            }
            Services.tcp(s.stack);
            if (!byName) {
                s.thread.start("jwip-stack");
            }
            try (JwipSocket sock = new JwipSocket(s.thread)) {
                try {
                    sock.connect(addr, port, timeout);
                } catch (ConnectException e) {
                    throw new Failure(Exit.FAILED, "connect to " + host + ":" + port + ": connection refused");
                } catch (SocketTimeoutException e) {
                    throw new Failure(Exit.FAILED, "connect to " + host + ":" + port + ": no answer within " + timeout + " ms");
                }
                if (st != null) {
                    st.println("connected to " + host + ":" + port + " from " + Ip4Addr.toString(s.netifs.get(0).address())
                            + ":" + sock.getLocalPort());
                }
                Thread pump = new Thread(() -> copyIn(sock, st), "jwip-connect-stdin");
                pump.setDaemon(true);
                pump.start();
                byte[] buf = new byte[8192];
                try {
                    for (int n; (n = sock.read(buf, 0, buf.length)) >= 0; ) {
                        out.write(buf, 0, n);
                        out.flush();
                    }
                } catch (IOException e) {
                    throw new Failure(Exit.FAILED, "connection to " + host + ":" + port + " failed: " + e.getMessage());
                }
                if (st != null) {
                    st.println("connection closed by " + host + ":" + port);
                }
            } finally {
                s.thread.shutdown();
            }
        }
        return Exit.OK;
    }

    /** Waits for a DHCP lease if there is a client, then looks {@code host} up; returns its first address. */
    private static int lookUp(StackSetup s, String host, long timeout, PrintStream st) throws Exception {
        long until = System.nanoTime() + timeout * 1_000_000L;
        if (s.dhcp != null) {
            io.jwip.port.threaded.Call state = new io.jwip.port.threaded.Call() {
                @Override
                protected void execute() {
                    complete(s.dhcp.state());
                }
            };
            while (!io.jwip.dhcp.DhcpState.hasLease(s.thread.call(state, 1000))) {
                if (System.nanoTime() > until) {
                    throw new Failure(Exit.FAILED, "no DHCP lease within " + timeout + " ms (is a DHCP server on the link?)");
                }
                Thread.sleep(20);
            }
        }
        long left = Math.max(1, (until - System.nanoTime()) / 1_000_000L);
        try {
            int[] a = new io.jwip.port.socket.JwipDns(s.thread, s.resolver).resolve(host, left);
            if (st != null) {
                st.println(host + " is " + Ip4Addr.toString(a[0]));
            }
            return a[0];
        } catch (IOException e) {
            throw new Failure(Exit.FAILED, "cannot look " + host + " up: " + e.getMessage());
        }
    }

    /** Standard input to the connection; its end half-closes. */
    private static void copyIn(JwipSocket sock, PrintStream st) {
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = stdin.read(buf)) >= 0; ) {
                if (n > 0) {
                    sock.write(buf, 0, n);
                }
            }
            sock.shutdownOutput();
        } catch (IOException e) {
            if (st != null && sock.isConnected()) {
                st.println("sending stopped: " + e.getMessage());
            }
        }
    }
}
