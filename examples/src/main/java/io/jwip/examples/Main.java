package io.jwip.examples;

/** Entry point of {@code jwip.jar}; commands grow with the command-line issue. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.out.println("jwip: no commands yet");
    }
}
