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
    private final Memory one = new Memory(8);
    private final Memory drain = new Memory(8);
    private final int efd;
    private int count;
    private volatile boolean pending;
    private volatile boolean sleeping;
    private boolean closed;
    private long waits;
    private long wakeWrites;

    /** @param maxFds descriptors that can be watched */
    public PollIdler(int maxFds) {
        capacity = maxFds;
        fds = new Memory((long) POLLFD * (maxFds + 1));
        fds.clear();
        one.setLong(0, 1);
        efd = C.eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        if (efd < 0) {
            throw new IllegalStateException("eventfd failed: errno " + Native.getLastError());
        }
        fds.setInt(0, efd);
        fds.setShort(4, POLLIN);
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
        sleeping = true;
        if (pending) {
            sleeping = false;
            pending = false;
            return;
        }
        int timeout = ms >= Integer.MAX_VALUE ? -1 : (int) ms;
        waits++;
        int n = C.poll(fds, count + 1, timeout);
        sleeping = false;
        pending = false;
        if (n > 0 && (fds.getShort(6) & POLLIN) != 0) {
            C.read(efd, drain, 8);
        } else if (n < 0 && Native.getLastError() != EINTR) {
            throw new IllegalStateException("poll failed: errno " + Native.getLastError());
        }
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
        return "poll(2) on " + count + " descriptor" + (count == 1 ? "" : "s") + " + eventfd";
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            C.close(efd);
        }
    }
}
