package io.jwip.examples;

import io.jwip.Err;
import io.jwip.JwipOptions;
import io.jwip.examples.cli.Args;
import io.jwip.examples.cli.Command;
import io.jwip.examples.cli.Runner;
import io.jwip.examples.cli.StackConfig;
import io.jwip.examples.cli.StackSetup;
import io.jwip.examples.cli.UsageException;
import io.jwip.examples.services.Services;

import java.io.PrintStream;

/** {@code serve}: runs the stack and its services on a real link until interrupted. */
final class ServeCommand implements Command {
    @Override
    public String name() {
        return "serve";
    }

    @Override
    public String summary() {
        return "run jwip with services (echo, discard, chargen, HTTP) on a real link until interrupted";
    }

    @Override
    public Args options() {
        Args a = StackSetup.declare(new Args());
        Services.declare(a);
        Runner.declare(a);
        return StackConfig.declare(a);
    }

    @Override
    public String details() {
        return "example (as root):\n"
                + "  ip netns add jw\n"
                + "  java -jar jwip.jar serve --netif tun:jw0,netns=jw,host=10.9.0.1/24 --addr 10.9.0.2/24 \\\n"
                + "       --http 80 --http-root /var/www --echo 7 --udp-echo 7\n"
                + "  ip netns exec jw curl http://10.9.0.2/\n";
    }

    @Override
    public int run(Args args, PrintStream out) throws Exception {
        if (!args.positional().isEmpty()) {
            throw new UsageException("unexpected argument " + args.positional().get(0));
        }
        Services.check(args);
        Runner.check(args);
        JwipOptions o = StackConfig.apply(args, new JwipOptions());
        try (StackSetup s = StackSetup.open(args, o, 0, out)) {
            Services services = Services.start(s.stack, args, out);
            if (services.http != null && s.dhcp != null) {
                services.http.setDhcp(s.dhcp);
            }
            if (services.count() == 0) {
                out.println("no services requested; answering ping only (see --help)");
            }
            return Runner.run(s, args, out, services::poll, services);
        }
    }
}
