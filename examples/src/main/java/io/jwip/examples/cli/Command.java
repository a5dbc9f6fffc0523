package io.jwip.examples.cli;

import java.io.PrintStream;

/** One subcommand of {@code jwip.jar}. */
public interface Command {
    /** The word that selects it, e.g. {@code demo}. */
    String name();

    /** One line for the command list. */
    String summary();

    /** Declares the command's options. */
    Args options();

    /** Extra help text after the option table (may be empty). */
    default String details() {
        return "";
    }

    /**
     * Runs the command.
     *
     * @return the process exit code
     */
    int run(Args args, PrintStream out) throws UsageException, Exception;
}
