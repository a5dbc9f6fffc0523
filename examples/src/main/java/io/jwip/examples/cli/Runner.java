package io.jwip.examples.cli;

import io.jwip.port.Timed;
import io.jwip.stack.Stack;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs a {@link StackSetup}'s poll loop on this thread until the process is told to stop (Ctrl-C,
 * SIGTERM: {@link #onSignals}), {@link #stop(Thread)} is called for this thread (when a program or test runs a command
 * in-process), or an optional duration passes, printing stats every so often and once more at the end.
 * Each of these is a normal stop: exit code 0 and the final stats.
 *
 * <p>The loop sleeps until there is work (a packet, a wake) or a deadline: the stacks' timers, the
 * services' timeouts ({@code extra}), the next stats line and the end of the duration. Nothing runs on a
 * tick.
 */
public final class Runner {
    private static final Map<Thread, StackSetup> RUNNING = new ConcurrentHashMap<>();
    /** Set by Ctrl-C or SIGTERM (see {@link #onSignals}); commands that run until stopped watch it. */
    private static volatile boolean stopRequested;
    /** Set by commands that end cleanly on a signal ({@link #stoppable()}); the others end at once. */
    private static volatile boolean stoppable;

    private Runner() {}

    /** Declares --stats-every and --duration. */
    public static Args declare(Args a) {
        a.option("stats-every", "S", "print stats every S seconds, each with a time stamp (default: only at exit)");
        a.option("stats", "nonzero|all", "which stats lines to print: nonzero (default: pools used, protocols"
                + " with traffic, counters above 0) or all");
        a.option("duration", "S", "stop by itself after S seconds (default: run until interrupted)");
        return a;
    }

    /**
     * Makes Ctrl-C (SIGINT) and SIGTERM a normal stop for the process: the running command ends its loop,
     * prints its final stats, closes its links and exits with its usual code (0), as the first signal's
     * effect; a second signal ends the process at once. Called once by {@code main}; in-process callers
     * (tests) use {@link #stop(Thread)}.
     */
    public static void onSignals() {
        for (String name : new String[]{"INT", "TERM"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> {
                    if (stopRequested || !stoppable) {
                        Runtime.getRuntime().halt(128 + sig.getNumber()); // as without a handler
                    }
                    stopRequested = true;
                    for (StackSetup s : RUNNING.values()) {
                        s.loop.stop();
                    }
                });
            } catch (IllegalArgumentException e) {
                // the signal is not available here (another OS or a JVM flag): the JVM's default applies
            }
        }
    }

    /** Says that this command watches {@link #stopRequested()} and ends cleanly on a signal. */
    public static void stoppable() {
        stoppable = true;
    }

    /** True once Ctrl-C or SIGTERM asked the process to stop. */
    public static boolean stopRequested() {
        return stopRequested;
    }

    /** Checks the options {@link #run} reads, before a command opens anything. */
    public static void check(Args args) throws UsageException {
        stoppable();
        args.getLong("stats-every", 0, 0, 86_400);
        args.getLong("duration", 0, 0, 365L * 86_400);
        statsAll(args);
    }

    /** {@code --stats all} (true) or {@code nonzero} (the default). */
    public static boolean statsAll(Args args) throws UsageException {
        String v = args.get("stats", "nonzero");
        if (!v.equals("all") && !v.equals("nonzero")) {
            throw new UsageException("--stats must be nonzero or all, not " + v);
        }
        return v.equals("all");
    }

    /**
     * Stops the command that {@code t} runs, as Ctrl-C would (its final stats are printed, its exit code
     * is 0); also interrupts {@code t}.
     */
    public static void stop(Thread t) {
        StackSetup s = RUNNING.get(t);
        if (s != null) {
            s.loop.stop();
        }
        t.interrupt();
    }

    /**
     * @param perTurn run after every turn of the loop (the services' poll), or null
     * @param extra   deadlines of the services (or null), so the loop wakes for their timeouts
     */
    public static int run(StackSetup s, Args args, PrintStream out, Runnable perTurn, Timed extra) throws Exception {
        long statsEvery = args.getLong("stats-every", 0, 0, 86_400) * 1000L;
        long duration = args.getLong("duration", 0, 0, 365L * 86_400) * 1000L;
        boolean all = statsAll(args);
        RUNNING.put(Thread.currentThread(), s);
        if (stopRequested) {
            s.loop.stop(); // the signal came while the command was starting
        }
        long start = s.loop.clock().nowMillis();
        final long end = duration > 0 ? start + duration : Stack.NO_DEADLINE;
        final long[] nextStats = {statsEvery > 0 ? start + statsEvery : Stack.NO_DEADLINE};
        if (extra != null) {
            s.loop.addTimed(extra);
        }
        s.loop.addTimed(() -> Math.min(end, nextStats[0]));
        boolean reconnect = args.has("reconnect");
        String[] reported = new String[s.netifs.size()];
        String[] died = {null};
        try {
            try {
                s.loop.runUntil(() -> {
                    if (perTurn != null) {
                        perTurn.run();
                    }
                    for (int i = 0; i < reported.length; i++) {
                        io.jwip.netif.Netif n = s.netifs.get(i);
                        if (n.isUp()) {
                            reported[i] = null;
                        } else if (reported[i] == null && n.downReason() != null) {
                            reported[i] = n.downReason();
                            String what = "link " + n.name() + " (" + s.specs.get(i) + ") went down: " + n.downReason();
                            if (reconnect && s.specs.get(i).reopenable()) {
                                out.println(what + "; reconnecting");
                            } else {
                                died[0] = what + (s.specs.get(i).reopenable() ? " (give --reconnect to wait for it)" : "");
                            }
                        }
                    }
                    if (died[0] != null) {
                        return true;
                    }
                    long now = s.loop.clock().nowMillis();
                    if (now >= nextStats[0]) {
                        nextStats[0] = now + statsEvery;
                        out.println("--- stats at " + java.time.Instant.ofEpochMilli(System.currentTimeMillis())
                                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + ", " + (now - start) / 1000 + " s after start ---");
                        out.print(s.stack.stats().dump(new StringBuilder(), all));
                    }
                    return now >= end || Thread.currentThread().isInterrupted() || stopRequested;
                }, Long.MAX_VALUE);
            } catch (InterruptedException e) {
                // interrupted while idle: a stop like any other; the flag stays set for the caller
                Thread.currentThread().interrupt();
            }
        } finally {
            RUNNING.remove(Thread.currentThread());
            out.println("--- final stats ---");
            out.print(s.stack.stats().dump(new StringBuilder(), all));
            if (s.pcap != null) {
                s.pcap.flush();
                out.println("pcap: " + s.pcap.packets() + " packets written");
            }
            s.close();
        }
        if (died[0] != null) {
            throw new Failure(Exit.LINK_DOWN, died[0]);
        }
        return Exit.OK;
    }
}
