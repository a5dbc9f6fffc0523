package io.jwip.examples.cli;

/** A failure a person can act on: printed as one line after the command's name, with its exit code. */
public final class Failure extends Exception {
    private static final long serialVersionUID = 1L;
    private final int code;

    public Failure(int code, String message) {
        super(message);
        this.code = code;
    }

    /** One of the {@link Exit} codes. */
    public int code() {
        return code;
    }
}
