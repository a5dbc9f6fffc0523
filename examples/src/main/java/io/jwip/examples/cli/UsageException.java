package io.jwip.examples.cli;

/** A bad command line: printed as one line naming the option, exit code 2. */
public final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
