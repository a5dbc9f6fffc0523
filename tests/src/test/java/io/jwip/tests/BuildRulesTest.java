package io.jwip.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.thetaphi.forbiddenapis.Checker;
import de.thetaphi.forbiddenapis.ForbiddenApiException;
import de.thetaphi.forbiddenapis.Logger;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance 2, shown on the bytecode the build made: core is Java 8 class files (major 52), depends on
 * {@code java.lang} only (as {@code jdeps} sees it), and the forbiddenapis check that core's build runs
 * with {@code core/src/forbidden/core-signatures.txt} passes on core and fails as soon as core code uses
 * {@code java.util.ArrayList} (or a lambda, a clock, a thread).
 */
class BuildRulesTest {
    /** Core's compiled classes: a directory or the jar, wherever {@code io.jwip.stack.Stack} was loaded from. */
    static Path coreClasses;
    /** The repository root (the tests module runs in {@code <root>/tests}). */
    static Path root;
    static Path signatures;

    @BeforeAll
    static void locateCore() throws Exception {
        coreClasses = Paths.get(io.jwip.stack.Stack.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertTrue(Files.exists(coreClasses), "core classes at " + coreClasses);
        root = Paths.get(System.getProperty("user.dir")).toAbsolutePath().getParent();
        signatures = root.resolve("core/src/forbidden/core-signatures.txt");
        if (!Files.isRegularFile(signatures)) {
            // Run from the repository root instead of the module directory.
            root = Paths.get(System.getProperty("user.dir")).toAbsolutePath();
            signatures = root.resolve("core/src/forbidden/core-signatures.txt");
        }
        assertTrue(Files.isRegularFile(signatures), "core signatures file not found from " + System.getProperty("user.dir"));
        System.out.println("[build-rules] core classes: " + coreClasses);
    }

    /** Every class file of {@code location} (a directory or a jar), by relative path. */
    static Map<String, byte[]> classFiles(Path location) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        if (Files.isDirectory(location)) {
            try (Stream<Path> files = Files.walk(location)) {
                for (Path p : files.filter(f -> f.toString().endsWith(".class")).sorted().collect(Collectors.toList())) {
                    out.put(location.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
                }
            }
        } else {
            try (JarFile jar = new JarFile(location.toFile())) {
                for (JarEntry e : jar.stream().sorted((a, b) -> a.getName().compareTo(b.getName())).collect(Collectors.toList())) {
                    if (e.getName().endsWith(".class")) {
                        try (InputStream in = jar.getInputStream(e)) {
                            out.put(e.getName(), in.readAllBytes());
                        }
                    }
                }
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ (a) Java 8 bytecode

    @Test
    void everyCoreClassIsJava8Bytecode() throws IOException {
        Map<String, byte[]> classes = classFiles(coreClasses);
        assertTrue(classes.size() > 20, "found core's classes: " + classes.keySet());
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : classes.entrySet()) {
            DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(e.getValue()));
            assertEquals(0xCAFEBABE, in.readInt(), e.getKey() + " is a class file");
            int minor = in.readUnsignedShort();
            int major = in.readUnsignedShort();
            if (major != 52 || minor != 0) {
                wrong.add(e.getKey() + " is " + major + "." + minor);
            }
        }
        System.out.println("[build-rules] " + classes.size() + " core classes, all class-file version 52.0: " + wrong.isEmpty());
        assertTrue(wrong.isEmpty(), "core classes that are not Java 8 (52.0): " + wrong);
    }

    // ------------------------------------------------------------------ (b) jdeps: java.lang only

    static String jdeps(String... args) {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps")
                .orElseThrow(() -> new AssertionError("this JDK has no jdeps tool"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = jdeps.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        assertEquals(0, rc, "jdeps " + String.join(" ", args) + " failed: " + err + out);
        return out.toString();
    }

    /** Packages outside core that {@code jdeps -verbose:package} says {@code location} depends on. */
    static TreeSet<String> foreignPackages(Path location) {
        String out = jdeps("-verbose:package", location.toString());
        // "   io.jwip.buf                -> java.lang                 java.base"
        Pattern dep = Pattern.compile("^\\s+(\\S+)\\s+->\\s+(\\S+)\\s+(\\S+)\\s*$");
        TreeSet<String> foreign = new TreeSet<>();
        int deps = 0;
        for (String line : out.split("\\R")) {
            Matcher m = dep.matcher(line);
            if (m.matches()) {
                deps++;
                String target = m.group(2);
                if (!target.equals("io.jwip") && !target.startsWith("io.jwip.")) {
                    foreign.add(target);
                }
            }
        }
        assertTrue(deps > 0, "jdeps printed package dependencies:\n" + out);
        return foreign;
    }

    @Test
    void jdepsSeesOnlyJavaLang() {
        TreeSet<String> foreign = foreignPackages(coreClasses);
        System.out.println("[build-rules] jdeps -verbose:package: core depends outside itself on " + foreign);
        assertEquals(new TreeSet<>(List.of("java.lang")), foreign, "core must depend on java.lang only");
        String modules = jdeps("--list-deps", coreClasses.toString());
        assertEquals(List.of("java.base"), modules.lines().map(String::trim).filter(l -> !l.isEmpty())
                .collect(Collectors.toList()), "jdeps --list-deps: " + modules);
    }

    // ------------------------------------------------------------------ (c) forbiddenapis, as core's build runs it

    /** Messages forbiddenapis logged, and whether its check failed. */
    static final class CheckResult {
        final List<String> errors = new ArrayList<>();
        boolean failed;
        String failure;
    }

    /** Runs forbiddenapis with core's signatures over core's classes plus, if given, a directory of probes. */
    static CheckResult forbiddenApis(Path extraClassesDir) throws Exception {
        CheckResult r = new CheckResult();
        Logger log = new Logger() {
            @Override
            public void error(String msg) {
                r.errors.add(msg);
            }

            @Override
            public void warn(String msg) {
                r.errors.add("WARN " + msg);
            }

            @Override
            public void info(String msg) {
            }

            @Override
            public void debug(String msg) {
            }
        };
        List<URL> urls = new ArrayList<>();
        urls.add(coreClasses.toUri().toURL());
        if (extraClassesDir != null) {
            urls.add(extraClassesDir.toUri().toURL());
        }
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader())) {
            // The options core's pom gives the Maven plugin: failOnMissingClasses, ignoreSignaturesOfMissingClasses.
            Checker checker = new Checker(log, loader, EnumSet.of(Checker.Option.FAIL_ON_VIOLATION,
                    Checker.Option.FAIL_ON_MISSING_CLASSES, Checker.Option.IGNORE_SIGNATURES_OF_MISSING_CLASSES));
            assertTrue(checker.isSupportedJDK, "forbiddenapis supports this JDK");
            checker.parseSignaturesFile(signatures.toFile());
            for (Map.Entry<String, byte[]> e : classFiles(coreClasses).entrySet()) {
                checker.addClassToCheck(new java.io.ByteArrayInputStream(e.getValue()), e.getKey());
            }
            if (extraClassesDir != null) {
                for (Map.Entry<String, byte[]> e : classFiles(extraClassesDir).entrySet()) {
                    checker.addClassToCheck(new java.io.ByteArrayInputStream(e.getValue()), e.getKey());
                }
            }
            try {
                checker.run();
            } catch (ForbiddenApiException e) {
                r.failed = true;
                r.failure = e.getMessage();
            }
        }
        return r;
    }

    /** Compiles one class into {@code out} as core is compiled: {@code --release 8}, core on the class path. */
    static void compileProbe(Path src, Path out, String className, String body) throws IOException {
        JavaCompiler javac = javax.tools.ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "a JDK (not a JRE) runs the tests");
        Path file = src.resolve("io/jwip/" + className + ".java");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "package io.jwip;\n\npublic final class " + className + " {\n" + body + "\n}\n");
        Files.createDirectories(out);
        DiagnosticCollector<JavaFileObject> diags = new DiagnosticCollector<>();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(diags, null, StandardCharsets.UTF_8)) {
            List<String> opts = List.of("--release", "8", "-d", out.toString(), "-cp", coreClasses.toString(), "-nowarn");
            boolean ok = javac.getTask(null, fm, diags, opts, null, fm.getJavaFileObjects(file.toFile())).call();
            assertTrue(ok, "probe compiles: " + diags.getDiagnostics());
        }
    }

    @Test
    void forbiddenApisPassesOnCore() throws Exception {
        CheckResult r = forbiddenApis(null);
        assertFalse(r.failed, "core violates its own signatures: " + r.errors);
        assertTrue(r.errors.isEmpty(), r.errors.toString());
    }

    @Test
    void addingArrayListToCoreFailsTheBuild(@TempDir Path tmp) throws Exception {
        compileProbe(tmp.resolve("src"), tmp.resolve("classes"), "ListProbe",
                "    private final java.util.ArrayList<io.jwip.buf.Pbuf> queue = new java.util.ArrayList<>();\n"
                + "    public int size() { return queue.size(); }");
        CheckResult r = forbiddenApis(tmp.resolve("classes"));
        System.out.println("[build-rules] forbiddenapis on core + ArrayList probe: " + r.failure + "\n  " + String.join("\n  ", r.errors));
        assertTrue(r.failed, "forbiddenapis must fail on java.util.ArrayList in core");
        String log = String.join("\n", r.errors);
        assertTrue(log.contains("Forbidden class/interface use: java.util.ArrayList") && log.contains("in io.jwip.ListProbe"),
                "the violation names the API and the class: " + log);
        // jdeps sees it too.
        assertTrue(foreignPackages(tmp.resolve("classes")).contains("java.util"));
    }

    @Test
    void lambdasClocksAndThreadsInCoreFailTheBuild(@TempDir Path tmp) throws Exception {
        String[][] probes = {
            {"LambdaProbe", "    public Runnable r() { return () -> { }; }", "java.lang.invoke"},
            {"ClockProbe", "    public long t() { return System.currentTimeMillis(); }", "currentTimeMillis"},
            {"ThreadProbe", "    public void s() { new Thread().start(); }", "java.lang.Thread"},
            {"IoProbe", "    public void p() { System.out.println(1); }", "java.lang.System#out"},
        };
        for (String[] p : probes) {
            Path classes = tmp.resolve(p[0]);
            compileProbe(tmp.resolve("src-" + p[0]), classes, p[0], p[1]);
            CheckResult r = forbiddenApis(classes);
            assertTrue(r.failed, p[0] + " must fail the check");
            String log = String.join("\n", r.errors);
            assertTrue(log.contains(p[2]) && log.contains("in io.jwip." + p[0]), p[0] + ": " + log);
        }
    }

    @Test
    void coreBuildRunsThisCheck() throws IOException {
        // The same signatures file is wired into core's build at process-classes, so `make test` fails too.
        String pom = Files.readString(root.resolve("core/pom.xml"));
        assertTrue(pom.contains("<artifactId>forbiddenapis</artifactId>"), "core/pom.xml runs forbiddenapis");
        assertTrue(pom.contains("src/forbidden/core-signatures.txt"), "with core's signatures file");
        assertTrue(pom.contains("<phase>process-classes</phase>") && pom.contains("<goal>check</goal>"),
                "as a check goal in process-classes");
        assertTrue(pom.contains("<release>8</release>"), "core compiles with --release 8");
    }
}
