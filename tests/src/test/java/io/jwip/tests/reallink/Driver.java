package io.jwip.tests.reallink;

import io.jwip.stack.Stack;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A test-only driver: one thread owns a stack, polls its links, runs its timers with the wall clock and
 * runs tasks other threads submit (the stack is single-threaded). The real ports (a later issue) do this
 * properly; a thread and a clock are fine outside core.
 *
 * <p>When idle, the loop parks for 50 microseconds. Its steady state allocates nothing (an empty
 * {@code ConcurrentLinkedQueue.poll}, {@code parkNanos} and {@code currentTimeMillis} do not), so the
 * bytes this thread allocates while traffic flows are the packet path's.
 */
final class Driver implements AutoCloseable {
    /** A link (or anything) the loop polls; returns whether it did work. */
    interface Poller {
        boolean poll();
    }

    /** Called every loop turn with the wall clock, e.g. for retransmissions of a test client. */
    interface Ticker {
        void tick(long nowMs);
    }

    final Stack stack;
    private final Poller[] pollers;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private volatile Ticker ticker;
    private volatile boolean running = true;
    private volatile Throwable failure;
    private final Thread thread;

    Driver(String name, Stack stack, Poller... pollers) {
        this.stack = stack;
        this.pollers = pollers;
        this.thread = new Thread(this::loop, "driver-" + name);
        thread.setDaemon(true);
        stack.timers(System.currentTimeMillis());
        thread.start();
    }

    private void loop() {
        try {
            while (running) {
                boolean work = false;
                for (Poller p : pollers) {
                    if (p.poll()) {
                        work = true;
                    }
                }
                Runnable t;
                while ((t = tasks.poll()) != null) {
                    t.run();
                    work = true;
                }
                long now = System.currentTimeMillis();
                stack.timers(now);
                Ticker tk = ticker;
                if (tk != null) {
                    tk.tick(now);
                }
                if (!work) {
                    LockSupport.parkNanos(50_000L);
                }
            }
        } catch (Throwable e) {
            failure = e;
        }
    }

    void setTicker(Ticker t) {
        ticker = t;
    }

    /** Runs {@code c} on the driver thread and waits for its result. */
    <T> T call(Callable<T> c) throws Exception {
        FutureTask<T> f = new FutureTask<>(c);
        tasks.add(f);
        LockSupport.unpark(thread);
        return f.get(30, TimeUnit.SECONDS);
    }

    void exec(Runnable r) throws Exception {
        call(() -> {
            r.run();
            return null;
        });
    }

    long threadId() {
        return thread.getId();
    }

    /** Bytes the driver thread has allocated so far. */
    long allocatedBytes() {
        return MX.getThreadAllocatedBytes(thread.getId());
    }

    /** Looked up once: {@code ManagementFactory.getThreadMXBean()} itself allocates on every call. */
    private static final com.sun.management.ThreadMXBean MX =
            (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();

    Throwable failure() {
        return failure;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(10_000);
        if (failure != null) {
            throw new AssertionError("driver thread failed", failure);
        }
    }
}
