package io.jwip.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * Every {@code java} block of the README compiles as written, against the modules as they are, so the
 * README cannot drift from the code. A block's {@code import} lines are its imports; a {@code // given:}
 * line declares what it takes from around it ({@code Type name; Type name}); a block that declares a
 * class is a compilation unit of its own, any other block becomes the body of a method.
 */
class ReadmeSnippetsTest {
    static final Pattern CLASS = Pattern.compile("(?m)^(?:public\\s+)?(?:final\\s+)?class\\s+(\\w+)");

    /** One block: the README line it starts on, and its lines. */
    record Block(int line, List<String> lines) {}

    static List<Block> blocks(List<String> readme) {
        List<Block> out = new ArrayList<>();
        for (int i = 0; i < readme.size(); i++) {
            if (readme.get(i).trim().equals("```java")) {
                List<String> b = new ArrayList<>();
                int start = i + 2;
                for (i++; i < readme.size() && !readme.get(i).trim().equals("```"); i++) {
                    b.add(readme.get(i));
                }
                out.add(new Block(start, b));
            }
        }
        return out;
    }

    /** The block as a Java source file: its name (without .java) and text. */
    static String[] source(Block b, int n) {
        StringBuilder imports = new StringBuilder();
        StringBuilder body = new StringBuilder();
        List<String> params = new ArrayList<>();
        for (String l : b.lines()) {
            String t = l.trim();
            if (t.startsWith("import ")) {
                imports.append(t).append('\n');
            } else if (t.startsWith("// given:")) {
                String g = t.substring("// given:".length());
                int paren = g.indexOf('(');
                for (String p : (paren < 0 ? g : g.substring(0, paren)).split(";")) {
                    if (!p.isBlank()) {
                        params.add(p.trim());
                    }
                }
            } else {
                body.append(l).append('\n');
            }
        }
        Matcher m = CLASS.matcher(body);
        if (m.find()) {
            return new String[]{m.group(1), imports + "\n" + body};
        }
        String name = "ReadmeBlock" + n;
        return new String[]{name, imports + "\nclass " + name + " {\n    void run(" + String.join(", ", params)
                + ") throws Exception {\n" + body + "    }\n}\n"};
    }

    @Test
    void everyJavaBlockOfTheReadmeCompiles() throws Exception {
        List<String> readme = Files.readAllLines(Path.of("..", "README.md"));
        List<Block> blocks = blocks(readme);
        assertTrue(blocks.size() >= 8, "the README's java blocks: " + blocks.size());
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        Path outDir = Files.createTempDirectory("readme-snippets");
        StringBuilder failures = new StringBuilder();
        for (int i = 0; i < blocks.size(); i++) {
            Block b = blocks.get(i);
            String[] src = source(b, i);
            JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///" + src[0] + ".java"), JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return src[1];
                }
            };
            StringWriter diagnostics = new StringWriter();
            boolean ok = javac.getTask(diagnostics, null, null,
                    List.of("-classpath", System.getProperty("java.class.path"), "-d", outDir.toString(), "-proc:none"),
                    null, List.of(file)).call();
            if (!ok) {
                failures.append("README.md line ").append(b.line()).append(":\n").append(diagnostics).append('\n')
                        .append(src[1]).append('\n');
            }
        }
        System.out.println("[readme] " + blocks.size() + " java blocks compiled");
        if (failures.length() > 0) {
            fail("README java blocks that do not compile:\n" + failures);
        }
    }
}
