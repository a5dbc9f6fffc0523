package io.jwip.netif.slip;

import io.jwip.netif.Readiness;
import io.jwip.netif.Wakeup;
import java.io.IOException;

/**
 * The byte line under a {@link SlipLink}: a serial port, a TCP connection, any byte stream. Called from
 * the stack's thread only.
 */
public interface SlipLine extends AutoCloseable {
    /**
     * Copies up to {@code n} received bytes into {@code b} without blocking.
     *
     * @return bytes copied, 0 if none are waiting, -1 once the line is down (hung up, unplugged, EOF)
     */
    int read(byte[] b, int off, int n);

    /** Writes {@code n} bytes, blocking while the line drains. */
    void write(byte[] b, int off, int n) throws IOException;

    /**
     * The line's descriptor, readable when bytes wait (a serial port opened by descriptor), or
     * {@link Readiness#NO_FD}; see {@link Readiness}.
     */
    default int fd() {
        return Readiness.NO_FD;
    }

    /**
     * Keeps {@code w} and calls it, from any thread, when bytes arrive or the line goes down (a line with a
     * reader thread); see {@link Readiness}.
     *
     * @return false if the line cannot (its link is then polled on the port's tick)
     */
    default boolean signalWith(Wakeup w) {
        return false;
    }

    /** Why the line went down, or null while it is up. */
    String downReason();

    /** Closes the line and releases its threads and handles. */
    @Override
    void close();
}
