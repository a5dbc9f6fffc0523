package io.jwip.bench;

/** Settings from the environment (make passes its variables through), with defaults. */
final class Env {
    private Env() {}

    static String string(String name, String def) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? def : v.trim();
    }

    static int integer(String name, int def) {
        String v = string(name, null);
        if (v == null) {
            return def;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number (is '" + v + "')");
        }
    }

    static long bytes(String name, long def) {
        String v = string(name, null);
        if (v == null) {
            return def;
        }
        long m = 1;
        char c = Character.toUpperCase(v.charAt(v.length() - 1));
        if (c == 'K' || c == 'M' || c == 'G') {
            m = c == 'K' ? 1_000L : c == 'M' ? 1_000_000L : 1_000_000_000L;
            v = v.substring(0, v.length() - 1);
        }
        try {
            return Long.parseLong(v) * m;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a byte count like 500M (is '" + v + "')");
        }
    }
}
