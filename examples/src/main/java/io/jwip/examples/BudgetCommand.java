package io.jwip.examples;

import io.jwip.JwipOptions;
import io.jwip.examples.cli.Args;
import io.jwip.examples.cli.Command;
import io.jwip.examples.cli.StackConfig;
import io.jwip.examples.cli.UsageException;

import java.io.PrintStream;

/**
 * {@code budget}: the memory budget of a configuration. For each pool: its entries, the retained size of
 * one entry measured with JOL, and the total; then the retained heap of a whole started stack, measured
 * with JOL, beside the computed sum.
 */
final class BudgetCommand implements Command {
    @Override
    public String name() {
        return "budget";
    }

    @Override
    public String summary() {
        return "print the memory budget of a configuration (computed and measured with JOL)";
    }

    @Override
    public Args options() {
        Args a = new Args();
        a.flag("lan", "also one Ethernet netif (ARP cache and queue), a DHCP client and a DNS resolver (its queries and cache)");
        a.flag("ppp", "also what one PPP link holds (framing buffers, LCP, IPCP, authentication, VJ slots), with and without VJ");
        return StackConfig.declare(a);
    }

    @Override
    public String details() {
        return "The computed budget is the sum over pools of entries x retained bytes per entry; the measured\n"
                + "one is the retained heap of a started stack (every object reachable from it), from JOL.\n";
    }

    @Override
    public int run(Args args, PrintStream out) throws UsageException {
        JwipOptions o = StackConfig.apply(args, new JwipOptions());
        Budget b = Budget.of(o, args.has("lan"));
        out.print(b.table());
        if (args.has("ppp")) {
            out.print(Budget.ppp(o));
        }
        return 0;
    }
}
