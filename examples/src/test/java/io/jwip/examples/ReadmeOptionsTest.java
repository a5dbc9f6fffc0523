package io.jwip.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwip.JwipOptions;
import io.jwip.examples.cli.StackConfig;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's table of every limit is generated from {@link JwipOptions} (field, default and the meaning
 * its javadoc gives) and the command line's flags, so that the two cannot drift apart. When they differ this
 * fails; {@code mvn -pl examples test -Dtest=ReadmeOptionsTest -Djwip.readme.write=true} writes the table.
 */
class ReadmeOptionsTest {
    static final Path README = Paths.get("..", "README.md");
    static final Path OPTIONS = Paths.get("..", "core", "src", "main", "java", "io", "jwip", "JwipOptions.java");
    static final String HEADER = "| option (`JwipOptions`) | CLI flag | default | meaning |";

    @Test
    void optionsTableIsGeneratedFromJwipOptions() throws Exception {
        String table = table();
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        int start = readme.indexOf(HEADER);
        assertTrue(start >= 0, "README lacks the options table header");
        int end = readme.indexOf("\n\n", start);
        String current = readme.substring(start, end + 1);
        if (!current.equals(table) && Boolean.getBoolean("jwip.readme.write")) {
            Files.writeString(README, readme.substring(0, start) + table + readme.substring(end + 1),
                    StandardCharsets.UTF_8);
            return;
        }
        assertEquals(table, current, "the README's options table is out of date: run mvn -pl examples test"
                + " -Dtest=ReadmeOptionsTest -Djwip.readme.write=true");
    }

    /** The table: one row per public field of JwipOptions, in source order. */
    static String table() throws Exception {
        String src = Files.readString(OPTIONS, StandardCharsets.UTF_8);
        Map<String, String> flags = flagsByField();
        JwipOptions d = new JwipOptions();
        StringBuilder sb = new StringBuilder(HEADER).append("\n|---|---|---|---|\n");
        Matcher m = Pattern.compile("/\\*\\*((?:(?!\\*/).)*?)\\*/\\s*public (int|boolean) (\\w+) = [^;]+;",
                Pattern.DOTALL)
                .matcher(src);
        int rows = 0;
        while (m.find()) {
            String field = m.group(3);
            String doc = m.group(1).replaceAll("\\n\\s*\\* ?", " ").replaceAll("\\s+", " ").trim();
            doc = doc.replaceAll("\\{@link #(\\w+)}", "`$1`").replaceAll("\\{@link [\\w.#]+#(\\w+)}", "`$1`")
                    .replaceAll("\\{@code ([^}]*)}", "`$1`");
            int def = doc.lastIndexOf(" Default ");
            if (def >= 0) {
                doc = doc.substring(0, def).trim();
            }
            Object v = JwipOptions.class.getField(field).get(d);
            if (v instanceof Boolean && flags.containsKey(field) && !doc.contains("flag: 1 or 0")) {
                doc += " (flag: 1 or 0)";
            }
            String flag = flags.containsKey(field) ? "`--" + flags.get(field) + "`" : "";
            sb.append("| `").append(field).append("` | ").append(flag).append(" | ").append(v).append(" | ")
                    .append(doc).append(" |\n");
            rows++;
        }
        int fields = 0;
        for (Field f : JwipOptions.class.getFields()) {
            if (!Modifier.isStatic(f.getModifiers())) {
                fields++;
            }
        }
        assertEquals(fields, rows, "every public field of JwipOptions has a javadoc comment");
        return sb.toString();
    }

    /** Which field each command-line flag sets: set it, and see which field changed. */
    static Map<String, String> flagsByField() throws Exception {
        Map<String, String> byField = new HashMap<>();
        for (String flag : StackConfig.flags()) {
            JwipOptions d = new JwipOptions();
            JwipOptions o = new JwipOptions();
            int v = StackConfig.set(o, flag, -1);
            if (sameAll(o, d)) {
                StackConfig.set(o, flag, v + 1);
            }
            for (Field f : JwipOptions.class.getFields()) {
                if (!Modifier.isStatic(f.getModifiers()) && !f.get(o).equals(f.get(d))) {
                    byField.put(f.getName(), flag);
                }
            }
        }
        return byField;
    }

    private static boolean sameAll(JwipOptions a, JwipOptions b) throws Exception {
        for (Field f : JwipOptions.class.getFields()) {
            if (!Modifier.isStatic(f.getModifiers()) && !f.get(a).equals(f.get(b))) {
                return false;
            }
        }
        return true;
    }
}
