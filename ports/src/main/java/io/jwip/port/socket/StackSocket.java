package io.jwip.port.socket;

import io.jwip.Err;
import io.jwip.port.threaded.Call;
import io.jwip.port.threaded.StackThread;

import java.io.Closeable;
import java.io.IOException;
import java.net.SocketException;

/**
 * What every blocking socket of the threaded port shares: running a {@link Call} on the stack thread and
 * turning its result into the {@code java.net} exception, the closed flag, and {@code SO_TIMEOUT}.
 */
abstract class StackSocket implements Closeable {
    final StackThread st;
    private final String kind;
    volatile boolean closed;
    long soTimeout;

    StackSocket(StackThread st, String kind) {
        this.st = st;
        this.kind = kind;
    }

    /** The call that releases the socket's stack resources, run once by {@link #close()}. */
    abstract Call closer();

    /** Timeout in milliseconds for blocking receives and accepts ({@code SO_TIMEOUT}); 0 waits forever. */
    public void setSoTimeout(long ms) {
        soTimeout = ms;
    }

    public long getSoTimeout() {
        return soTimeout;
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        run(closer(), 0);
    }

    final void ensureOpen() throws SocketException {
        if (closed) {
            throw new SocketException("socket closed");
        }
    }

    /** Runs {@code c} on the stack thread and waits (0 = forever); returns its result or {@link Call#TIMED_OUT}. */
    final int run(Call c, long timeout) throws IOException {
        try {
            return st.call(c, timeout);
        } catch (InterruptedException e) {
            throw SocketErrors.interrupted(kind);
        }
    }

    static void check(int r, String what) throws IOException {
        if (r != Err.OK) {
            throw SocketErrors.of(r, what);
        }
    }
}
