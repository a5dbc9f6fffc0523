package io.jwip.examples;

import io.jwip.Err;
import io.jwip.JwipOptions;
import io.jwip.dhcp.DhcpState;
import io.jwip.dns.DnsResolver;
import io.jwip.examples.cli.Args;
import io.jwip.examples.cli.Command;
import io.jwip.examples.cli.Exit;
import io.jwip.examples.cli.Failure;
import io.jwip.examples.cli.StackConfig;
import io.jwip.examples.cli.StackSetup;
import io.jwip.examples.cli.UsageException;
import io.jwip.wire.DnsHeader;
import io.jwip.wire.Ip4Addr;
import java.io.PrintStream;

/**
 * {@code resolve}: brings a stack up on a link (with {@code --dhcp}, or {@code --addr} and {@code --dns}),
 * looks a name up with jwip's DNS resolver and prints its IPv4 addresses, one line: {@code NAME: A B}.
 * What the link and DHCP do goes to standard error.
 */
final class ResolveCommand implements Command {
    /** Status lines; tests replace it. */
    static PrintStream status = System.err;

    @Override
    public String name() {
        return "resolve";
    }

    @Override
    public String summary() {
        return "look a name up with jwip's DNS resolver over a link and print its IPv4 addresses";
    }

    @Override
    public Args options() {
        Args a = StackSetup.declare(new Args());
        a.option("timeout", "MS", "give up after MS ms, DHCP included (default 20000)");
        a.flag("quiet", "no status lines on standard error");
        return StackConfig.declare(a);
    }

    @Override
    public String details() {
        return "usage: resolve --netif SPEC (--addr A.B.C.D/N --dns SERVER | --dhcp) NAME\n"
                + "example (as root; dnsmasq serving DHCP and DNS on the Linux side of tap jwtap0 in namespace jw):\n"
                + "  ip netns exec jw java -jar jwip.jar resolve --netif tap:jwtap0 --dhcp device.test\n"
                + "Prints 'NAME: ADDRESS [ADDRESS ...]'. Exit code 0 when found, 1 when the name has no address\n"
                + "or no server answered.\n";
    }

    @Override
    public int run(Args args, PrintStream out) throws Exception {
        if (args.positional().size() != 1) {
            throw new UsageException("expected one NAME, got " + args.positional().size() + " argument(s)");
        }
        String name = args.positional().get(0);
        if (DnsHeader.encodeName(name, new byte[DnsHeader.MAX_NAME], 0) < 0) {
            throw new UsageException("NAME: not a DNS name: " + name);
        }
        if (!args.has("dhcp") && args.all("dns").isEmpty()) {
            throw new UsageException("give --dns SERVER (with --addr), or --dhcp to learn the servers from the lease");
        }
        long timeout = args.getLong("timeout", 20_000, 1, 3_600_000);
        PrintStream st = args.has("quiet") ? null : status;
        JwipOptions o = StackConfig.apply(args, new JwipOptions());
        try (StackSetup s = StackSetup.open(args, o, 0, st)) {
            long until = System.nanoTime() + timeout * 1_000_000L;
            s.loop.setMaxIdleMs(50);
            if (s.dhcp != null) {
                while (!DhcpState.hasLease(s.dhcp.state()) && System.nanoTime() < until) {
                    s.loop.turn();
                }
                if (!DhcpState.hasLease(s.dhcp.state())) {
                    throw new Failure(Exit.FAILED, "no DHCP lease within " + timeout + " ms (is a DHCP server on the link?)");
                }
                if (s.resolver.serverCount() == 0) {
                    throw new Failure(Exit.FAILED, "the DHCP lease names no DNS server: give --dns SERVER");
                }
            }
            int[] result = {-1};
            StringBuilder line = new StringBuilder(name).append(':');
            int err = s.resolver.resolve(name, (n, r, a, arg) -> {
                result[0] = r;
                for (int i = 0; i < a.count(); i++) {
                    Ip4Addr.append(line.append(' '), a.address(i));
                }
            }, null);
            if (err != Err.OK) {
                throw new Failure(Exit.FAILED, "cannot send the query: " + Err.text(err));
            }
            while (result[0] < 0 && System.nanoTime() < until) {
                s.loop.turn();
            }
            if (result[0] < 0) {
                throw new Failure(Exit.FAILED, name + ": no answer within " + timeout + " ms");
            }
            if (result[0] != DnsResolver.OK) {
                throw new Failure(Exit.FAILED, name + ": " + DnsResolver.result(result[0]));
            }
            out.println(line);
            return Exit.OK;
        }
    }
}
