package io.jwip.bench;

/** A benchmark part cannot run or its result is invalid; the message says why and what to do. */
public final class BenchException extends Exception {
    public BenchException(String message) {
        super(message);
    }
}
