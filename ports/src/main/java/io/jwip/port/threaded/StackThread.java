package io.jwip.port.threaded;

import io.jwip.netif.Pollable;
import io.jwip.netif.Readiness;
import io.jwip.netif.Wakeup;
import io.jwip.port.Clock;
import io.jwip.port.Idler;
import io.jwip.port.PollLoop;
import io.jwip.port.Timed;
import io.jwip.stack.Stack;

/**
 * The threaded port for Java SE: one thread owns the stack (lwIP's tcpip thread); other threads talk to it
 * only through a bounded mailbox of {@link Call}s. The thread runs a {@link PollLoop} whose first source is
 * the mailbox: it polls its links, runs the stack's timers and otherwise waits in its {@link Idler} until
 * the next deadline, a packet on a watched descriptor, or a wake. Posting a call wakes it at once; the
 * caller waits on its call, which the stack thread completes and notifies (no polling on either side).
 *
 * <p>The mailbox is a fixed ring of references; posting and taking allocate nothing. A full mailbox makes
 * the posting thread wait (back-pressure), never grows.
 */
public final class StackThread {
    private final Stack stack;
    private final Clock clock;
    private final PollLoop loop;
    private final Mailbox mailbox;
    private volatile boolean running;
    private Thread thread;
    private Throwable failure;

    /**
     * With {@link Idler#system()} (poll(2) and an eventfd on Linux).
     *
     * @param mailbox    calls that can wait at once
     * @param maxSources pollable links that can be added
     */
    public StackThread(Stack stack, Clock clock, int mailbox, int maxSources) {
        this(stack, clock, Idler.system(), mailbox, maxSources, 1);
    }

    /**
     * @param idler     how the thread waits (e.g. {@link Idler#spinning()})
     * @param maxStacks stacks the thread owns ({@link #addStack} adds the others)
     */
    public StackThread(Stack stack, Clock clock, Idler idler, int mailbox, int maxSources, int maxStacks) {
        this.stack = stack;
        this.clock = clock;
        this.mailbox = new Mailbox(mailbox);
        this.loop = new PollLoop(clock, idler, maxStacks, maxSources + 1);
        loop.addSource(this.mailbox);
        loop.addStack(stack);
    }

    /** The stack; touch it only from the stack thread (in a {@link Call}) once started. */
    public Stack stack() {
        return stack;
    }

    public Clock clock() {
        return clock;
    }

    /** The loop this thread runs (its idler, turn counts). */
    public PollLoop loop() {
        return loop;
    }

    /** Adds a link (or other source) to poll; before {@link #start}. */
    public StackThread addSource(Pollable p) {
        requireNotStarted();
        loop.addSource(p);
        return this;
    }

    /** Adds another stack for this thread to own (e.g. the peer on an in-memory wire); before {@link #start}. */
    public StackThread addStack(Stack s) {
        requireNotStarted();
        loop.addStack(s);
        return this;
    }

    /** True if {@code s} is one of the stacks this thread owns. */
    public boolean owns(Stack s) {
        return loop.hasStack(s);
    }

    /** Adds deadlines of the thread's own (see {@link Timed}); before {@link #start}. */
    public StackThread addTimed(Timed t) {
        requireNotStarted();
        loop.addTimed(t);
        return this;
    }

    private void requireNotStarted() {
        if (running) {
            throw new IllegalStateException("add sources and stacks before start()");
        }
    }

    /** Longest wait between polls of sources that offer no readiness (see {@link PollLoop#setMaxIdleMs}). */
    public StackThread setMaxIdleMs(long ms) {
        loop.setMaxIdleMs(ms);
        return this;
    }

    /** Starts the stack thread (a daemon named {@code name}). */
    public StackThread start(String name) {
        running = true;
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    private void run() {
        try {
            loop.run();
        } catch (Throwable t) {
            failure = t;
        } finally {
            running = false;
            mailbox.release();
        }
    }

    /** Stops the thread after its current turn and waits for it. */
    public void shutdown() throws InterruptedException {
        running = false;
        loop.stop();
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
     * Hands {@code c} to the stack thread and wakes it; waits while the mailbox is full. On the stack thread
     * itself the call runs at once.
     */
    public void post(Call c) throws InterruptedException {
        c.reset();
        if (inStackThread()) {
            c.execute();
            return;
        }
        mailbox.put(c);
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
        loop.wake();
    }

    /** The ring of posted calls: a source of the loop that signals its wake-up when a call is put. */
    private final class Mailbox implements Pollable, Readiness {
        private final Call[] ring;
        private int head;
        private int count;
        private Wakeup wakeup;

        Mailbox(int capacity) {
            ring = new Call[capacity];
        }

        @Override
        public int fd() {
            return NO_FD;
        }

        @Override
        public boolean signalWith(Wakeup w) {
            wakeup = w;
            return true;
        }

        void put(Call c) throws InterruptedException {
            synchronized (this) {
                while (count == ring.length) {
                    if (!running) {
                        throw new IllegalStateException("stack thread is not running");
                    }
                    wait(10);
                }
                if (!running && thread != null) {
                    throw new IllegalStateException("stack thread is not running");
                }
                ring[(head + count) % ring.length] = c;
                count++;
            }
            wakeup.wake();
        }

        private synchronized Call take() {
            if (count == 0) {
                return null;
            }
            Call c = ring[head];
            ring[head] = null;
            head = (head + 1) % ring.length;
            if (count-- == ring.length) {
                notifyAll(); // a poster waits for room
            }
            return c;
        }

        @Override
        public boolean poll() {
            boolean work = false;
            Call c;
            while ((c = take()) != null) {
                c.execute();
                work = true;
            }
            return work;
        }

        /** The thread ended: posters waiting for room give up. */
        synchronized void release() {
            notifyAll();
        }
    }
}
