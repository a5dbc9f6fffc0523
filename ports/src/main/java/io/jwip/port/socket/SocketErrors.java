package io.jwip.port.socket;

import io.jwip.Err;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;

/** Turns jwip error codes into the {@code java.net} exceptions a Java developer expects, with the reason. */
public final class SocketErrors {
    private SocketErrors() {}

    /** Throws the exception for {@code err} (which must not be {@link Err#OK}). */
    public static IOException of(int err, String what) {
        String msg = what + ": " + Err.text(err) + " (" + Err.name(err) + ")";
        switch (err) {
            case Err.REFUSED:
                return new ConnectException(msg);
            case Err.TIMEOUT:
                return new SocketTimeoutException(msg);
            case Err.RST:
            case Err.ABRT:
            case Err.CLSD:
            case Err.CONN:
            case Err.MEM:
            case Err.BUF:
            case Err.RTE:
            case Err.USE:
            case Err.VAL:
            case Err.ISCONN:
                return new SocketException(msg);
            default:
                return new IOException(msg);
        }
    }

    static SocketTimeoutException timeout(String what, long ms) {
        return new SocketTimeoutException(what + ": timed out after " + ms + " ms");
    }

    static InterruptedIOException interrupted(String what) {
        Thread.currentThread().interrupt();
        return new InterruptedIOException(what + ": interrupted");
    }
}
