package io.jwip.examples.cli;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@link StackSetup}'s poll loop on this thread until the process is interrupted (Ctrl-C,
 * SIGTERM), the thread is interrupted (when a program or test runs a command in-process), or an optional
 * duration passes, printing stats every so often and once more at the end. Each of these is a normal
 * stop: exit code 0 and the final stats.
 */
public final class Runner {
    private Runner() {}

    /** Declares --stats-every and --duration. */
    public static Args declare(Args a) {
        a.option("stats-every", "S", "print stats every S seconds (default: only at exit)");
        a.option("duration", "S", "stop by itself after S seconds (default: run until interrupted)");
        return a;
    }

    public static int run(StackSetup s, Args args, PrintStream out, Runnable perTurn) throws Exception {
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
        long start = System.currentTimeMillis();
        try {
            final long[] next = {start + statsEvery};
            try {
                s.loop.runUntil(() -> {
                    if (perTurn != null) {
                        perTurn.run();
                    }
                    long now = System.currentTimeMillis();
                    if (statsEvery > 0 && now >= next[0]) {
                        next[0] = now + statsEvery;
                        out.print(s.stack.stats().dump(new StringBuilder()));
                    }
                    return (duration > 0 && now - start >= duration) || Thread.currentThread().isInterrupted();
                }, Long.MAX_VALUE);
            } catch (InterruptedException e) {
                // interrupted while idle: a stop like any other; the flag stays set for the caller
                Thread.currentThread().interrupt();
            }
        } finally {
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
