package io.jwip.bench;

/** Progress lines on standard output (make shows them as they come). */
final class Log {
    private Log() {}

    static void section(String s) {
        System.out.println();
        System.out.println("==== bench: " + s);
        System.out.flush();
    }

    static void line(String s) {
        System.out.println(s);
        System.out.flush();
    }

    static String elapsed(long startNanos) {
        long s = (System.nanoTime() - startNanos) / 1_000_000_000L;
        return String.format("%d:%02d", s / 60, s % 60);
    }
}
