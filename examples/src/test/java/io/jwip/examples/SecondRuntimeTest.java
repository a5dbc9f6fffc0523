package io.jwip.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * core off HotSpot's beaten path: the demo and a bulk transfer compiled by TeaVM to JavaScript and run by
 * Node.js must print what HotSpot prints, line for line (the demo's ladder, stats and pools; the
 * transfer byte-exact with pools full); and the demo runs in the smallest HotSpot we can make here,
 * interpreter only in a 2 MB heap.
 */
class SecondRuntimeTest {
    static final Path JS = Path.of("target", "teavm", "classes.js");

    /** What {@link PortableMain} prints on this JVM. */
    static String onHotSpot() throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(b, true, StandardCharsets.UTF_8));
        try {
            PortableMain.main(new String[0]);
        } finally {
            System.setOut(saved);
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    static String demo() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        assertEquals(0, Main.run(new String[]{"demo"}, new PrintStream(b, true, StandardCharsets.UTF_8), System.err));
        return b.toString(StandardCharsets.UTF_8);
    }

    static String[] run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.PIPE).start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", cmd));
        return new String[]{new String(out, StandardCharsets.UTF_8), err, String.valueOf(p.exitValue())};
    }

    @Test
    void nodeRunsTheTeaVmBuildAndPrintsWhatHotSpotPrints() throws Exception {
        assertTrue(Files.isRegularFile(JS), "the build makes " + JS + " (teavm-maven-plugin in examples/pom.xml)");
        String[] node = run(List.of("node", "-e", "require('" + JS.toAbsolutePath() + "').main([])"));
        assertEquals("", node[1], "node's standard error");
        assertEquals("0", node[2]);
        String hotspot = onHotSpot();
        System.out.println("[second runtime] Node.js " + run(List.of("node", "--version"))[0].trim() + " printed "
                + node[0].lines().count() + " lines, the same as HotSpot: " + node[0].equals(hotspot));
        assertEquals(hotspot, node[0], "Node.js and HotSpot print the same lines");
        assertTrue(node[0].contains("transfer: 1048576 of 1048576 bytes, byte-exact,") && node[0].contains("pools full"), node[0]);
        assertTrue(node[0].endsWith("exit 0\n"), node[0]);
        assertTrue(hotspot.startsWith(demo()), "the first part is exactly `jwip demo`");
    }

    @Test
    void theDemoRunsInterpretedInATwoMegabyteHeap() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // Serial GC: G1 cannot even start the VM in 2 MB ("GC triggered before VM initialization completed").
        String[] r = run(List.of(java, "-Xint", "-Xmx2m", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path") + File.pathSeparator + Path.of("target", "classes"),
                Main.class.getName(), "demo"));
        assertEquals("0", r[2], r[0] + r[1]);
        assertEquals(demo(), r[0], "-Xint -Xmx2m prints what the default VM prints");
    }
}
