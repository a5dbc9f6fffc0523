package io.jwip.examples;

import io.jwip.JwipOptions;
import io.jwip.examples.cli.Args;
import io.jwip.examples.cli.Command;
import io.jwip.examples.cli.Runner;
import io.jwip.examples.cli.StackConfig;
import io.jwip.examples.cli.StackSetup;
import io.jwip.examples.cli.UsageException;

import java.io.PrintStream;

/** {@code gateway}: forwards IPv4 between two or more netifs. */
final class GatewayCommand implements Command {
    @Override
    public String name() {
        return "gateway";
    }

    @Override
    public String summary() {
        return "forward IPv4 between netifs (TTL, ICMP time exceeded, no broadcasts) until interrupted";
    }

    @Override
    public Args options() {
        Args a = StackSetup.declare(new Args());
        Runner.declare(a);
        return StackConfig.declare(a);
    }

    @Override
    public String details() {
        return "Give --netif and --addr once per link, in the same order. Example: a device on a SLIP line\n"
                + "reaches Linux through a gateway on TUN:\n"
                + "  java -jar jwip.jar gateway --netif tun:jw0,host=10.9.0.1/24 --addr 10.9.0.2/24 \\\n"
                + "       --netif slip:/dev/ttyUSB0@115200 --addr 10.8.0.1/24\n"
                + "(Linux then needs a route to 10.8.0.0/24 via 10.9.0.2.)\n";
    }

    @Override
    public int run(Args args, PrintStream out) throws Exception {
        if (!args.positional().isEmpty()) {
            throw new UsageException("unexpected argument " + args.positional().get(0));
        }
        if (args.all("netif").size() < 2) {
            throw new UsageException("a gateway needs at least two --netif");
        }
        Runner.check(args);
        JwipOptions o = StackConfig.apply(args, new JwipOptions());
        o.ipForward = true;
        try (StackSetup s = StackSetup.open(args, o, 0, out)) {
            out.println("forwarding between " + s.netifs.size() + " netifs");
            return Runner.run(s, args, out, null, null);
        }
    }
}
