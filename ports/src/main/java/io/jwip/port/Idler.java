package io.jwip.port;

import io.jwip.netif.Wakeup;

/**
 * How a port's loop waits when a turn found no work: until the stacks' next deadline, or until there is
 * work, whichever comes first. Work announces itself in one of two ways: a descriptor the idler
 * {@link #watch watches} becomes readable (a TUN device, a serial line), or somebody calls {@link #wake()}
 * (a reader thread, an in-memory wire, an application thread posting a call, {@code stop()}). A wake that
 * comes while the loop is busy is remembered: the next {@code idle} returns at once, so no wake is lost.
 *
 * <ul>
 *   <li>{@link #system()}: the default. {@link PollIdler} (Linux, through JNA: {@code poll(2)} on the watched
 *       descriptors plus an {@code eventfd} for wakes) where it loads, else {@link #sleeping()}.</li>
 *   <li>{@link #sleeping()}: a monitor wait, woken by {@link #wake()}; pure Java, for any JVM. It can watch
 *       no descriptor, so a link that only offers one is polled on the loop's tick.</li>
 *   <li>{@link #spinning()}: never sleeps (a whole core for the lowest latency; {@code --idle spin}).</li>
 *   <li>{@link #virtual(VirtualClock)}: tests; waiting moves the virtual clock to the deadline at once.</li>
 * </ul>
 */
public interface Idler extends Wakeup {
    /**
     * Waits at most {@code ms} milliseconds ({@code Long.MAX_VALUE}: no deadline), less if woken or a watched
     * descriptor is readable; 0 returns at once.
     */
    void idle(long ms) throws InterruptedException;

    /**
     * Adds a descriptor whose readability ends an {@link #idle}; before the loop runs.
     *
     * @return false if this idler cannot wait on descriptors (or has no room for another)
     */
    default boolean watch(int fd) {
        return false;
    }

    /** True while the loop sleeps in {@link #idle} (so that a wake must signal it); for tests and stats. */
    default boolean asleep() {
        return false;
    }

    /** What this idler is, for logs and the stats ("poll(2) on 2 descriptors + eventfd"). */
    default String describe() {
        return getClass().getSimpleName();
    }

    /**
     * {@link PollIdler} with room for 8 descriptors and its default busy poll where it works (Linux with
     * JNA), else {@link #sleeping()}.
     */
    static Idler system() {
        if (PollIdler.available()) {
            return new PollIdler(8);
        }
        return sleeping();
    }

    /** As {@link #system()} with {@code busyPollUs} microseconds of polling after work before sleeping. */
    static Idler system(int busyPollUs) {
        if (PollIdler.available()) {
            return new PollIdler(8, busyPollUs);
        }
        return sleeping();
    }

    /** Waits on a monitor until the deadline or a {@link #wake()}; interruptible. */
    static Idler sleeping() {
        return new MonitorIdler();
    }

    /** Never waits: each idle is one {@link Thread#onSpinWait()}. */
    static Idler spinning() {
        return new Idler() {
            @Override
            public void idle(long ms) {
                Thread.onSpinWait();
            }

            @Override
            public void wake() {
                // nothing to wake: the loop never sleeps
            }

            @Override
            public String describe() {
                return "spinning (never sleeps)";
            }
        };
    }

    /**
     * For a {@link VirtualClock}: "waiting" moves the clock to the deadline at once, unless a wake is
     * pending (then the loop runs again at the same time). With no deadline at all time stands still.
     */
    static Idler virtual(VirtualClock clock) {
        return new Idler() {
            private boolean pending;

            @Override
            public void idle(long ms) {
                if (pending) {
                    pending = false;
                    return;
                }
                if (ms != Long.MAX_VALUE) {
                    clock.advance(ms);
                }
            }

            @Override
            public void wake() {
                pending = true;
            }

            @Override
            public String describe() {
                return "virtual clock";
            }
        };
    }
}
