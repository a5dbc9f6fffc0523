package io.jwip.port;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * Readiness-driven waiting on Linux: {@code poll(2)} on every watched descriptor (TUN devices, serial lines)
 * plus an {@code eventfd(2)} that {@link #wake()} writes to, with the stacks' next deadline as the timeout.
 * An idle loop costs nothing until a packet, a call or a deadline comes.
 *
 * <p>The {@code struct pollfd} array and the eventfd's 8-byte buffers are native memory made here; the
 * calls are JNA direct-mapped with pointer and primitive arguments, so waiting and waking allocate nothing.
 * A wake while the loop is awake is one volatile write; the eventfd is written only when the loop sleeps
 * (or is about to), and drained when the loop wakes.
 *
 * <h2>Busy poll</h2>
 * With {@link #setBusyPollMicros} (the default on a machine with more than one core:
 * {@link #DEFAULT_BUSY_POLL_US}), a loop that just did work keeps asking {@code poll(2)} without a timeout
 * for that long before it sleeps, like Linux's {@code net.core.busy_poll}: the next packet of an exchange
 * (the request after a handshake, the ACK after a response) usually comes within tens of microseconds and is
 * then read without a wake-up's latency. It costs CPU only right after work: an idle loop sleeps.
 */
public final class PollIdler implements Idler, AutoCloseable {
    private static final short POLLIN = 0x0001;
    private static final int EFD_NONBLOCK = 0x800;
    private static final int EFD_CLOEXEC = 0x80000;
    private static final int POLLFD = 8;
    private static final int EINTR = 4;

    /** The libc calls, direct-mapped (no argument arrays, no boxing). */
    private static final class C {
        static {
            Native.register(NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
        }

        static native int poll(Pointer fds, long nfds, int timeout);

        static native int eventfd(int initval, int flags);

        static native long read(int fd, Pointer buf, long count);

        static native long write(int fd, Pointer buf, long count);

        static native int close(int fd);
    }

    private static volatile Boolean available;

    /** True where this idler works: Linux, with JNA able to bind libc's poll and eventfd. */
    public static boolean available() {
        Boolean a = available;
        if (a == null) {
            boolean ok = false;
            if (Platform.isLinux()) {
                try {
                    int fd = C.eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
                    if (fd >= 0) {
                        C.close(fd);
                        ok = true;
                    }
                } catch (Throwable t) { // UnsatisfiedLinkError, NoClassDefFoundError: JNA cannot load here
                    ok = false;
                }
            }
            available = a = ok;
        }
        return a;
    }

    private final int capacity;
    /** pollfd[0] is the eventfd; pollfd[1..count] the watched descriptors. */
    private final Memory fds;
    /** The watched descriptors' part of {@link #fds} (without the eventfd), for the busy poll. */
    private final com.sun.jna.Pointer watchedFds;
    private final Memory one = new Memory(8);
    private final Memory drain = new Memory(8);
    private final int efd;
    private int count;
    private volatile boolean pending;
    private volatile boolean sleeping;
    private boolean closed;
    /** How long to keep polling without sleeping after work, in ns (0: sleep at once). */
    private long spinNs;
    private long waits;
    private long wakeWrites;

    /** Busy poll after work on a machine with more than one core, in microseconds. */
    public static final int DEFAULT_BUSY_POLL_US = 50;

    /** With the default busy poll ({@link #DEFAULT_BUSY_POLL_US} with more than one core, else 0). */
    public PollIdler(int maxFds) {
        this(maxFds, Runtime.getRuntime().availableProcessors() > 1 ? DEFAULT_BUSY_POLL_US : 0);
    }

    /**
     * @param maxFds      descriptors that can be watched
     * @param busyPollUs  microseconds to keep polling after work before sleeping (0: sleep at once)
     */
    public PollIdler(int maxFds, int busyPollUs) {
        setBusyPollMicros(busyPollUs);
        capacity = maxFds;
        fds = new Memory((long) POLLFD * (maxFds + 1));
        fds.clear();
        watchedFds = fds.share(POLLFD);
        one.setLong(0, 1);
        efd = C.eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        if (efd < 0) {
            throw new IllegalStateException("eventfd failed: errno " + Native.getLastError());
        }
        fds.setInt(0, efd);
        fds.setShort(4, POLLIN);
    }

    /** Sets how long a loop that did work polls before it sleeps (0: at once). */
    public PollIdler setBusyPollMicros(int us) {
        if (us < 0) {
            throw new IllegalArgumentException("busy poll must be >= 0 us, is " + us);
        }
        spinNs = us * 1000L;
        return this;
    }

    /** Microseconds a loop that did work polls before it sleeps. */
    public int busyPollMicros() {
        return (int) (spinNs / 1000);
    }

    @Override
    public boolean watch(int fd) {
        if (fd < 0 || count == capacity) {
            return false;
        }
        count++;
        fds.setInt((long) POLLFD * count, fd);
        fds.setShort((long) POLLFD * count + 4, POLLIN);
        return true;
    }

    @Override
    public void idle(long ms) {
        if (ms <= 0 || pending) {
            pending = false;
            return;
        }
        int timeout = ms >= Integer.MAX_VALUE ? -1 : (int) ms;
        int n = 0;
        if (spinNs > 0) {
            // Busy poll: the watched descriptors without a timeout, and the pending flag, for a while. The
            // loop does not count as asleep meanwhile, so a wake costs no eventfd write.
            long until = System.nanoTime() + Math.min(spinNs, ms * 1_000_000L);
            while (!pending && System.nanoTime() < until) {
                if (count > 0 && (n = C.poll(watchedFds, count, 0)) != 0) {
                    break;
                }
                Thread.onSpinWait();
            }
        }
        boolean slept = false;
        if (n == 0 && !pending) {
            sleeping = true;
            if (!pending) {
                waits++;
                slept = true;
                n = C.poll(fds, count + 1, timeout);
            }
            sleeping = false;
        }
        pending = false;
        if (slept && n > 0 && (fds.getShort(6) & POLLIN) != 0) {
            C.read(efd, drain, 8);
        } else if (n < 0 && Native.getLastError() != EINTR) {
            throw new IllegalStateException("poll failed: errno " + Native.getLastError());
        }
    }

    @Override
    public boolean asleep() {
        return sleeping;
    }

    @Override
    public void wake() {
        pending = true;
        if (sleeping) {
            wakeWrites++;
            C.write(efd, one, 8);
        }
    }

    /** Times the loop went to sleep in {@code poll(2)}. */
    public long waits() {
        return waits;
    }

    /** Wakes that had to write the eventfd (the loop was asleep). */
    public long wakeWrites() {
        return wakeWrites;
    }

    /** Descriptors watched besides the eventfd. */
    public int watched() {
        return count;
    }

    @Override
    public String describe() {
        return "poll(2) on " + count + " descriptor" + (count == 1 ? "" : "s") + " + eventfd"
                + (spinNs > 0 ? ", busy poll " + spinNs / 1000 + " us after work" : "");
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            C.close(efd);
        }
    }
}
