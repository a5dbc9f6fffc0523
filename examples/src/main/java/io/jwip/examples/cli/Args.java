package io.jwip.examples.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small command-line parser: {@code --name value}, {@code --name=value}, boolean {@code --flag}, and
 * positional arguments. Every option must be declared; anything else is a {@link UsageException} naming it.
 */
public final class Args {
    /** One declared option. */
    public static final class Spec {
        final String name;
        final String arg;
        final String help;
        final boolean repeatable;

        Spec(String name, String arg, String help, boolean repeatable) {
            this.name = name;
            this.arg = arg;
            this.help = help;
            this.repeatable = repeatable;
        }
    }

    private final Map<String, Spec> specs = new LinkedHashMap<>();
    private final Map<String, List<String>> values = new LinkedHashMap<>();
    private final List<String> positional = new ArrayList<>();

    /** How the user writes the option: {@code -c} for one letter, {@code --count} otherwise. */
    static String dash(String name) {
        return (name.length() == 1 ? "-" : "--") + name;
    }

    /** Declares an option that takes a value ({@code arg} names it in help, e.g. "N"). */
    public Args option(String name, String arg, String help) {
        specs.put(name, new Spec(name, arg, help, false));
        return this;
    }

    /** Declares an option that may be given several times. */
    public Args repeatable(String name, String arg, String help) {
        specs.put(name, new Spec(name, arg, help, true));
        return this;
    }

    /** Declares a boolean flag. */
    public Args flag(String name, String help) {
        specs.put(name, new Spec(name, null, help, false));
        return this;
    }

    /** Parses {@code argv}; {@code --help}/{@code -h} sets {@link #help()}. */
    public Args parse(String[] argv, int from) throws UsageException {
        for (int i = from; i < argv.length; i++) {
            String a = argv[i];
            if (a.equals("--help") || a.equals("-h")) {
                values.put("help", new ArrayList<>(List.of("true")));
                continue;
            }
            if (!a.startsWith("-") || a.equals("-")) {
                positional.add(a);
                continue;
            }
            String name = a.startsWith("--") ? a.substring(2) : a.substring(1);
            if (!a.startsWith("--") && name.length() > 1 && name.indexOf('=') < 0) {
                throw new UsageException("unknown option " + a + " (long options take two dashes; see --help)");
            }
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            Spec s = specs.get(name);
            if (s == null) {
                throw new UsageException("unknown option " + a.replaceFirst("=.*", "") + " (see --help)");
            }
            if (s.arg == null) {
                if (value != null) {
                    throw new UsageException("option " + dash(name) + " takes no value");
                }
                value = "true";
            } else if (value == null) {
                if (i + 1 >= argv.length) {
                    throw new UsageException("option --" + name + " needs a value " + s.arg);
                }
                value = argv[++i];
            }
            List<String> vs = values.computeIfAbsent(name, k -> new ArrayList<>());
            if (!vs.isEmpty() && !s.repeatable) {
                throw new UsageException("option --" + name + " given twice");
            }
            vs.add(value);
        }
        return this;
    }

    public boolean help() {
        return values.containsKey("help");
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public String get(String name, String def) {
        List<String> v = values.get(name);
        return v == null ? def : v.get(0);
    }

    public List<String> all(String name) {
        List<String> v = values.get(name);
        return v == null ? List.of() : v;
    }

    public List<String> positional() {
        return positional;
    }

    public long getLong(String name, long def, long min, long max) throws UsageException {
        String v = get(name, null);
        if (v == null) {
            return def;
        }
        long x;
        try {
            x = parseSize(v);
        } catch (NumberFormatException e) {
            throw new UsageException("option " + dash(name) + ": not a number: " + v);
        }
        if (x < min || x > max) {
            throw new UsageException("option " + dash(name) + ": " + v + " is out of range " + min + ".." + max);
        }
        return x;
    }

    public int getInt(String name, int def, int min, int max) throws UsageException {
        return (int) getLong(name, def, min, max);
    }

    public double getDouble(String name, double def, double min, double max) throws UsageException {
        String v = get(name, null);
        if (v == null) {
            return def;
        }
        double x;
        try {
            x = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new UsageException("option " + dash(name) + ": not a number: " + v);
        }
        if (!(x >= min && x <= max)) {
            throw new UsageException("option " + dash(name) + ": " + v + " is out of range " + min + ".." + max);
        }
        return x;
    }

    /** Accepts plain numbers and the suffixes k, M, G (powers of 1000) for sizes such as 10M. */
    static long parseSize(String v) {
        long mul = 1;
        char last = v.isEmpty() ? ' ' : v.charAt(v.length() - 1);
        if (last == 'k' || last == 'K') {
            mul = 1000;
        } else if (last == 'M') {
            mul = 1000_000;
        } else if (last == 'G') {
            mul = 1000_000_000;
        }
        if (mul != 1) {
            v = v.substring(0, v.length() - 1);
        }
        return Math.multiplyExact(Long.parseLong(v), mul);
    }

    /** The option table for help text. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        for (Spec s : specs.values()) {
            String dash = s.name.length() == 1 ? "-" : "--";
            String left = "  " + dash + s.name + (s.arg == null ? "" : " " + s.arg);
            sb.append(left);
            for (int i = left.length(); i < 30; i++) {
                sb.append(' ');
            }
            if (left.length() >= 30) {
                sb.append("\n                              ");
            }
            sb.append(s.help).append('\n');
        }
        sb.append("  --help                      this help\n");
        return sb.toString();
    }
}
