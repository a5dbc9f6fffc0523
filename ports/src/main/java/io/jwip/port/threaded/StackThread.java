package io.jwip.port.threaded;

import io.jwip.stack.Stack;
import io.jwip.netif.Pollable;
import io.jwip.port.Clock;
import io.jwip.port.IsnKeys;

/**
 * The threaded port for Java SE: one thread owns the stack (lwIP's tcpip thread); other threads talk to it
 * only through a bounded mailbox of {@link Call}s. The thread polls its links, runs the stack's timers and
 * otherwise waits until the next deadline, the poll interval, or a new call, whichever comes first.
 *
 * <p>The mailbox is a fixed ring of references; posting and taking allocate nothing. A full mailbox makes
 * the posting thread wait (back-pressure), never grows.
 */
public final class StackThread {
    private final Stack stack;
    private final Clock clock;
    private final Call[] ring;
    private int head;
    private int count;
    private final Pollable[] sources;
    private int sourceCount;
    private long maxIdleMs = 1;
    private volatile boolean running;
    private Thread thread;
    private final Object lock = new Object();
    private Throwable failure;

    /**
     * @param mailbox    calls that can wait at once
     * @param maxSources pollable links that can be added
     */
    public StackThread(Stack stack, Clock clock, int mailbox, int maxSources) {
        this.stack = stack;
        this.clock = clock;
        this.ring = new Call[mailbox];
        this.sources = new Pollable[maxSources];
    }

    /** The stack; touch it only from the stack thread (in a {@link Call}) once started. */
    public Stack stack() {
        return stack;
    }

    public Clock clock() {
        return clock;
    }

    /** Adds a link to poll; before {@link #start}. */
    public StackThread addSource(Pollable p) {
        if (running) {
            throw new IllegalStateException("add sources before start()");
        }
        sources[sourceCount++] = p;
        return this;
    }

    /** Longest wait between polls of the links when nothing else wakes the thread (default 1 ms). */
    public StackThread setMaxIdleMs(long ms) {
        maxIdleMs = ms;
        return this;
    }

    /** Starts the stack thread (a daemon named {@code name}). */
    public StackThread start(String name) {
        IsnKeys.ensure(stack);
        running = true;
        thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    /** Stops the thread after its current turn and waits for it. */
    public void shutdown() throws InterruptedException {
        running = false;
        wake();
        if (thread != null) {
            thread.join();
        }
    }

    /** True on the stack thread itself. */
    public boolean inStackThread() {
        return Thread.currentThread() == thread;
    }

    /** The exception that ended the stack thread, or null. */
    public Throwable failure() {
        return failure;
    }

    /**
     * Hands {@code c} to the stack thread; waits while the mailbox is full. On the stack thread itself the
     * call runs at once.
     */
    public void post(Call c) throws InterruptedException {
        c.reset();
        if (inStackThread()) {
            c.execute();
            return;
        }
        synchronized (lock) {
            while (count == ring.length) {
                if (!running) {
                    throw new IllegalStateException("stack thread is not running");
                }
                lock.wait(10);
            }
            ring[(head + count) % ring.length] = c;
            count++;
            lock.notifyAll();
        }
    }

    /** Posts {@code c} and waits for its result (0 timeout = forever). */
    public int call(Call c, long timeoutMs) throws InterruptedException {
        post(c);
        try {
            return c.await(timeoutMs);
        } catch (InterruptedException e) {
            c.cancel();
            throw e;
        }
    }

    /** Wakes the stack thread early (e.g. a link's reader thread has data). */
    public void wake() {
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    private Call take() {
        synchronized (lock) {
            if (count == 0) {
                return null;
            }
            Call c = ring[head];
            ring[head] = null;
            head = (head + 1) % ring.length;
            count--;
            lock.notifyAll();
            return c;
        }
    }

    private void loop() {
        try {
            stack.timers(clock.nowMillis());
            while (running) {
                boolean work = false;
                Call c;
                while ((c = take()) != null) {
                    c.execute();
                    work = true;
                }
                for (int i = 0; i < sourceCount; i++) {
                    if (sources[i].poll()) {
                        work = true;
                    }
                }
                long now = clock.nowMillis();
                long next = stack.timers(now);
                if (!work) {
                    long wait = next == Stack.NO_DEADLINE ? maxIdleMs : Math.min(maxIdleMs, next - now);
                    if (wait > 0) {
                        synchronized (lock) {
                            if (count == 0 && running) {
                                lock.wait(wait);
                            }
                        }
                    }
                }
            }
        } catch (Throwable t) {
            failure = t;
            running = false;
        }
    }
}
