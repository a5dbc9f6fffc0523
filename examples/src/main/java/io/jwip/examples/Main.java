package io.jwip.examples;

import io.jwip.examples.cli.Args;
import io.jwip.examples.cli.Command;
import io.jwip.examples.cli.UsageException;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code java -jar jwip.jar COMMAND [options]}: the jwip command line. Bad options print one line naming
 * the option and exit with code 2; {@code --help} works on the jar and on every command.
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
            return 2;
        } catch (Exception e) {
            err.println("jwip " + c.name() + ": " + e);
            return 1;
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
    }

    /** Used by commands: a fresh Args with the common options. */
    public static Args args() {
        return new Args();
    }
}
