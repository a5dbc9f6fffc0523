package io.jwip.netif;

import java.io.IOException;

/**
 * A link that could not be opened, with a message a person can act on ("TUN jw8 is in use by another
 * process") and a {@link Reason} that a command line turns into its exit code. The OS's own words, where
 * they add something, are kept in the cause.
 */
public final class LinkException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Why the link did not open. */
    public enum Reason {
        /** The device, port, host or namespace does not exist. */
        NOT_FOUND,
        /** Another process holds the device or port. */
        BUSY,
        /** Not allowed: root or CAP_NET_ADMIN, or access to the device node, is needed. */
        PERMISSION,
        /** The peer refused or did not answer (slip-tcp). */
        REFUSED,
        /** Anything else the OS said no to. */
        FAILED
    }

    private final Reason reason;

    public LinkException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public LinkException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
