package io.jwip.examples;

import io.jwip.Err;
import io.jwip.JwipOptions;
import io.jwip.examples.cli.Args;
import io.jwip.examples.cli.Command;
import io.jwip.examples.cli.StackConfig;
import io.jwip.examples.cli.StackSetup;
import io.jwip.examples.cli.UsageException;
import io.jwip.wire.Ip4Addr;

import java.io.PrintStream;

/** {@code ping}: ICMP echo from jwip over a real link, printing each round-trip time. */
final class PingCommand implements Command {
    @Override
    public String name() {
        return "ping";
    }

    @Override
    public String summary() {
        return "send ICMP echo requests from jwip over a link and print the round-trip times";
    }

    @Override
    public Args options() {
        Args a = StackSetup.declare(new Args());
        a.option("c", "N", "requests to send (default 4)");
        a.option("i", "MS", "interval between requests, ms (default 1000)");
        a.option("s", "BYTES", "echo data bytes (default 56)");
        a.option("W", "MS", "how long to wait for the last reply, ms (default 2000)");
        return StackConfig.declare(a);
    }

    @Override
    public String details() {
        return "usage: ping --netif SPEC --addr A.B.C.D/N [--gw A.B.C.D] [-c N] [-i MS] [-s BYTES] [-W MS] TARGET\n"
                + "example: ping --netif tun:jw0,host=10.9.0.1/24 --addr 10.9.0.2/24 -c 5 10.9.0.1\n"
                + "Exit code 0 if any reply came, 1 if none; a TARGET off every netif's subnet needs --gw\n"
                + "(else: no route to host, exit code 1).\n";
    }

    @Override
    public int run(Args args, PrintStream out) throws Exception {
        if (args.positional().size() != 1) {
            throw new UsageException("expected one TARGET address, got " + args.positional().size());
        }
        String t = args.positional().get(0);
        if (!Ip4Addr.isValid(t)) {
            throw new UsageException("TARGET: not an IPv4 address: " + t);
        }
        int target = Ip4Addr.parse(t, 0);
        int count = args.getInt("c", 4, 1, 1_000_000);
        long interval = args.getLong("i", 1000, 0, 3_600_000);
        int size = args.getInt("s", 56, 0, 65000);
        long lastWait = args.getLong("W", 2000, 0, 3_600_000);
        JwipOptions o = StackConfig.apply(args, new JwipOptions());
        io.jwip.examples.cli.Runner.stoppable();
        try (StackSetup s = StackSetup.open(args, o, 0, null)) {
            if (!s.hasRoute(target)) {
                throw new io.jwip.examples.cli.Failure(io.jwip.examples.cli.Exit.FAILED, "no route to host " + t
                        + ": it is not on any netif's subnet and there is no --gw");
            }
            long[] sentAt = new long[count];
            long[] rtt = new long[count];
            int[] received = new int[1];
            int id = (int) (ProcessHandle.current().pid() & 0xffff);
            s.stack.icmp().setEchoListener((src, ident, seq, len, now) -> {
                if (ident != id || seq < 1 || seq > count || rtt[seq - 1] != 0 || src != target) {
                    return;
                }
                long r = System.nanoTime() - sentAt[seq - 1];
                rtt[seq - 1] = Math.max(1, r);
                received[0]++;
                out.printf("%d bytes from %s: icmp_seq=%d time=%.3f ms%n", len + 8, t, seq, r / 1e6);
            });
            // A link whose address comes from the peer (PPP's IPCP) is not usable before it has one.
            long upBy = System.nanoTime() + 20_000_000_000L;
            while (s.netifs.get(0).address() == 0 && System.nanoTime() < upBy && !io.jwip.examples.cli.Runner.stopRequested()) {
                if (!s.netifs.get(0).isUp()) {
                    throw new io.jwip.examples.cli.Failure(io.jwip.examples.cli.Exit.LINK_DOWN, "link "
                            + s.netifs.get(0).name() + " went down: " + s.netifs.get(0).downReason());
                }
                if (!s.loop.turn()) {
                    Thread.sleep(0, 200_000);
                }
            }
            out.printf("PING %s from %s %s: %d data bytes%n", t, Ip4Addr.toString(s.netifs.get(0).address()),
                    s.netifs.get(0).name(), size);
            long start = System.nanoTime();
            int sent = 0;
            while (true) {
                long now = System.nanoTime();
                if (sent < count && now - start >= sent * interval * 1_000_000L) {
                    sentAt[sent] = System.nanoTime();
                    int err = s.stack.icmp().sendEcho(target, id, sent + 1, size);
                    if (err != Err.OK) {
                        out.println("send icmp_seq=" + (sent + 1) + ": " + Err.text(err));
                    }
                    sent++;
                }
                if (received[0] == count || io.jwip.examples.cli.Runner.stopRequested()) {
                    break; // all answered, or Ctrl-C: the statistics, as ping(8) prints them
                }
                if (sent == count && now - sentAt[count - 1] > lastWait * 1_000_000L) {
                    break;
                }
                if (!s.loop.turn()) {
                    Thread.sleep(0, 200_000);
                }
            }
            out.printf("--- %s ping statistics ---%n", t);
            out.printf("%d packets transmitted, %d received, %d%% packet loss%n", sent, received[0],
                    sent == 0 ? 0 : 100 * (sent - received[0]) / sent);
            if (received[0] > 0) {
                long min = Long.MAX_VALUE, max = 0, sum = 0;
                for (long r : rtt) {
                    if (r > 0) {
                        min = Math.min(min, r);
                        max = Math.max(max, r);
                        sum += r;
                    }
                }
                out.printf("rtt min/avg/max = %.3f/%.3f/%.3f ms%n", min / 1e6, sum / 1e6 / received[0], max / 1e6);
            }
            return received[0] > 0 ? 0 : 1;
        }
    }
}
