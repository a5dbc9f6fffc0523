package io.jwip.examples.cli;

import io.jwip.port.Timed;
import io.jwip.stack.Stack;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@link StackSetup}'s poll loop on this thread until the process is told to stop (Ctrl-C,
 * SIGTERM), {@link #stop(Thread)} is called for this thread (when a program or test runs a command
 * in-process), or an optional duration passes, printing stats every so often and once more at the end.
 * Each of these is a normal stop: exit code 0 and the final stats.
 *
 * <p>The loop sleeps until there is work (a packet, a wake) or a deadline: the stacks' timers, the
 * services' timeouts ({@code extra}), the next stats line and the end of the duration. Nothing runs on a
 * tick.
 */
public final class Runner {
    private static final Map<Thread, StackSetup> RUNNING = new ConcurrentHashMap<>();

    private Runner() {}

    /** Declares --stats-every and --duration. */
    public static Args declare(Args a) {
        a.option("stats-every", "S", "print stats every S seconds (default: only at exit)");
        a.option("duration", "S", "stop by itself after S seconds (default: run until interrupted)");
        return a;
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
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            s.loop.stop();
            try {
                finished.await(3, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "jwip-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        RUNNING.put(Thread.currentThread(), s);
        long start = s.loop.clock().nowMillis();
        final long end = duration > 0 ? start + duration : Stack.NO_DEADLINE;
        final long[] nextStats = {statsEvery > 0 ? start + statsEvery : Stack.NO_DEADLINE};
        if (extra != null) {
            s.loop.addTimed(extra);
        }
        s.loop.addTimed(() -> Math.min(end, nextStats[0]));
        try {
            try {
                s.loop.runUntil(() -> {
                    if (perTurn != null) {
                        perTurn.run();
                    }
                    long now = s.loop.clock().nowMillis();
                    if (now >= nextStats[0]) {
                        nextStats[0] = now + statsEvery;
                        out.print(s.stack.stats().dump(new StringBuilder()));
                    }
                    return now >= end || Thread.currentThread().isInterrupted();
                }, Long.MAX_VALUE);
            } catch (InterruptedException e) {
                // interrupted while idle: a stop like any other; the flag stays set for the caller
                Thread.currentThread().interrupt();
            }
        } finally {
            RUNNING.remove(Thread.currentThread());
            out.println("--- final stats ---");
            out.print(s.stack.stats().dump(new StringBuilder()));
            if (s.pcap != null) {
                s.pcap.flush();
                out.println("pcap: " + s.pcap.packets() + " packets written");
            }
            s.close();
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // already shutting down
            }
        }
        return 0;
    }
}
