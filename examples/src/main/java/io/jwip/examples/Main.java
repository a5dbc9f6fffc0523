package io.jwip.examples;

import io.jwip.examples.cli.Args;
import io.jwip.examples.cli.Command;
import io.jwip.examples.cli.Exit;
import io.jwip.examples.cli.Failure;
import io.jwip.examples.cli.UsageException;
import io.jwip.netif.LinkException;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code java -jar jwip.jar COMMAND [options]}: the jwip command line. Every failure prints one line that
 * says what failed, on what, and what to do, and exits with its own code ({@link Exit}); {@code --help}
 * works on the jar and on every command.
 */
public final class Main {
    private Main() {}

    static Map<String, Command> commands() {
        Map<String, Command> m = new LinkedHashMap<>();
        for (Command c : Commands.all()) {
            m.put(c.name(), c);
        }
        return m;
    }

    public static void main(String[] argv) {
        io.jwip.examples.cli.Runner.onSignals();
        System.exit(run(argv, System.out, System.err));
    }

    /** Runs a command line; returns the exit code (for tests). */
    public static int run(String[] argv, PrintStream out, PrintStream err) {
        io.jwip.port.WideChecksum.install(); // the port's 8-bytes-per-load checksum (lwIP's LWIP_CHKSUM)
        Map<String, Command> cmds = commands();
        if (argv.length == 0 || argv[0].equals("--help") || argv[0].equals("-h") || argv[0].equals("help")) {
            if (argv.length > 1 && cmds.containsKey(argv[1])) {
                usage(cmds.get(argv[1]), out);
                return 0;
            }
            overview(cmds, out);
            return argv.length == 0 ? 2 : 0;
        }
        Command c = cmds.get(argv[0]);
        if (c == null) {
            err.println("jwip: unknown command '" + argv[0] + "' (commands: " + String.join(", ", cmds.keySet()) + ")");
            return 2;
        }
        try {
            Args args = c.options().parse(argv, 1);
            if (args.help()) {
                usage(c, out);
                return 0;
            }
            return c.run(args, out);
        } catch (UsageException e) {
            err.println("jwip " + c.name() + ": " + e.getMessage());
            return Exit.USAGE;
        } catch (Failure e) {
            err.println("jwip " + c.name() + ": " + e.getMessage());
            return e.code();
        } catch (LinkException e) {
            err.println("jwip " + c.name() + ": " + e.getMessage());
            return Exit.of(e);
        } catch (Exception | Error e) {
            // A fault in jwip: say so plainly; JWIP_DEBUG=1 prints the details.
            err.println("jwip " + c.name() + ": internal error" + (e.getMessage() == null ? "" : ": " + e.getMessage())
                    + " (please report it with the command line; rerun with JWIP_DEBUG=1 for details)");
            if (System.getenv("JWIP_DEBUG") != null) {
                e.printStackTrace(err);
            }
            return Exit.INTERNAL;
        }
    }

    static void overview(Map<String, Command> cmds, PrintStream out) {
        out.println("jwip - a TCP/IP stack in Java in the spirit of lwIP");
        out.println();
        out.println("usage: java -jar jwip.jar COMMAND [options]");
        out.println("       java -jar jwip.jar COMMAND --help");
        out.println();
        out.println("commands:");
        for (Command c : cmds.values()) {
            out.printf("  %-10s %s%n", c.name(), c.summary());
        }
        out.println();
        out.print(Exit.HELP);
    }

    static void usage(Command c, PrintStream out) {
        out.println("usage: java -jar jwip.jar " + c.name() + " [options]");
        out.println();
        out.println(c.summary());
        out.println();
        out.println("options:");
        out.print(c.options().describe());
        String d = c.details();
        if (!d.isEmpty()) {
            out.println();
            out.print(d);
        }
        out.println();
        out.print(Exit.HELP);
    }

    /** Used by commands: a fresh Args with the common options. */
    public static Args args() {
        return new Args();
    }
}
