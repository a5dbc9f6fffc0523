package io.jwip.netif.slip;

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

    /** Why the line went down, or null while it is up. */
    String downReason();

    /** Closes the line and releases its threads and handles. */
    @Override
    void close();
}
