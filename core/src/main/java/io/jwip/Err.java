package io.jwip;

/**
 * Error codes returned by every jwip call, in the manner of lwIP's {@code err_t}.
 *
 * <p>A normal failure (no buffers, connection reset, port in use...) is a negative code returned to the
 * caller, never an exception: exceptions are reserved for programming errors such as freeing a buffer
 * twice. {@link #OK} is zero so that {@code if (err != Err.OK)} reads naturally.
 */
public final class Err {
    private Err() {}

    /** No error, everything OK. */
    public static final int OK = 0;
    /** Out of memory: a pool was empty. The pool's error counter says which. */
    public static final int MEM = -1;
    /** Buffer error: a buffer too small, or a send buffer full. */
    public static final int BUF = -2;
    /** Timeout. */
    public static final int TIMEOUT = -3;
    /** No route to the destination. */
    public static final int RTE = -4;
    /** Operation in progress (e.g. a connect that completes later). */
    public static final int INPROGRESS = -5;
    /** Illegal value. */
    public static final int VAL = -6;
    /** Operation would block. */
    public static final int WOULDBLOCK = -7;
    /** Address in use. */
    public static final int USE = -8;
    /** Already connecting. */
    public static final int ALREADY = -9;
    /** Already connected. */
    public static final int ISCONN = -10;
    /** Not connected. */
    public static final int CONN = -11;
    /** Low-level netif error. */
    public static final int IF = -12;
    /** Connection aborted (locally). */
    public static final int ABRT = -13;
    /** Connection reset by the peer. */
    public static final int RST = -14;
    /** Connection closed. */
    public static final int CLSD = -15;
    /** Illegal argument. */
    public static final int ARG = -16;
    /** Connection refused by the peer (RST in answer to our SYN). */
    public static final int REFUSED = -17;

    private static final String[] NAMES = {
        "OK", "ERR_MEM", "ERR_BUF", "ERR_TIMEOUT", "ERR_RTE", "ERR_INPROGRESS", "ERR_VAL",
        "ERR_WOULDBLOCK", "ERR_USE", "ERR_ALREADY", "ERR_ISCONN", "ERR_CONN", "ERR_IF", "ERR_ABRT",
        "ERR_RST", "ERR_CLSD", "ERR_ARG", "ERR_REFUSED"
    };

    private static final String[] TEXT = {
        "ok", "out of memory (pool empty)", "buffer error", "timed out", "no route to host",
        "operation in progress", "illegal value", "operation would block", "address in use",
        "already connecting", "already connected", "not connected", "low-level netif error",
        "connection aborted", "connection reset", "connection closed", "illegal argument",
        "connection refused"
    };

    /** The symbolic name of an error code, e.g. {@code "ERR_MEM"}. */
    public static String name(int err) {
        int i = -err;
        return i >= 0 && i < NAMES.length ? NAMES[i] : "ERR_UNKNOWN";
    }

    /** A human-readable description of an error code, e.g. {@code "connection reset"}. */
    public static String text(int err) {
        int i = -err;
        return i >= 0 && i < TEXT.length ? TEXT[i] : "unknown error";
    }
}
