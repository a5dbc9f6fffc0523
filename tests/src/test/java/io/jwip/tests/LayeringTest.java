package io.jwip.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layering rules of the architecture section of the README, checked on every build: core's packages
 * form no import cycle (as {@code jdeps -verbose:package} sees the bytecode), and no code outside core
 * downcasts a link's upper layer to {@code Netif} (links get what they need from {@code LinkUpper}).
 */
class LayeringTest {

    /** core's package graph from jdeps: package -> packages of core it uses. */
    static TreeMap<String, TreeSet<String>> corePackageGraph() throws Exception {
        // -Djwip.layering.core=<jar or classes dir> checks another build (e.g. an old commit's core).
        String other = System.getProperty("jwip.layering.core");
        Path core = other != null ? Paths.get(other)
                : Paths.get(io.jwip.stack.Stack.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String out = BuildRulesTest.jdeps("-verbose:package", core.toString());
        // "   io.jwip.tcp                -> io.jwip.ip                 classes"
        Pattern dep = Pattern.compile("^\\s+(\\S+)\\s+->\\s+(\\S+)\\s+(\\S+)\\s*$");
        TreeMap<String, TreeSet<String>> graph = new TreeMap<>();
        for (String line : out.split("\\R")) {
            Matcher m = dep.matcher(line);
            if (m.matches() && isCore(m.group(1)) && isCore(m.group(2)) && !m.group(1).equals(m.group(2))) {
                graph.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(m.group(2));
                graph.computeIfAbsent(m.group(2), k -> new TreeSet<>());
            }
        }
        return graph;
    }

    static boolean isCore(String pkg) {
        return pkg.equals("io.jwip") || pkg.startsWith("io.jwip.");
    }

    /** Strongly connected components with more than one package (Tarjan), each sorted. */
    static List<List<String>> cycles(Map<String, TreeSet<String>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        List<List<String>> out = new ArrayList<>();
        int[] counter = {0};
        for (String v : graph.keySet()) {
            if (!index.containsKey(v)) {
                strongConnect(v, graph, index, low, stack, out, counter);
            }
        }
        return out;
    }

    private static void strongConnect(String v, Map<String, TreeSet<String>> graph, Map<String, Integer> index,
            Map<String, Integer> low, Deque<String> stack, List<List<String>> out, int[] counter) {
        index.put(v, counter[0]);
        low.put(v, counter[0]);
        counter[0]++;
        stack.push(v);
        for (String w : graph.get(v)) {
            if (!index.containsKey(w)) {
                strongConnect(w, graph, index, low, stack, out, counter);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (stack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            List<String> scc = new ArrayList<>();
            String w;
            do {
                w = stack.pop();
                scc.add(w);
            } while (!w.equals(v));
            if (scc.size() > 1) {
                scc.sort(null);
                out.add(scc);
            }
        }
    }

    @Test
    void corePackagesHaveNoImportCycle() throws Exception {
        TreeMap<String, TreeSet<String>> graph = corePackageGraph();
        assertTrue(graph.size() > 10, "jdeps found core's packages: " + graph.keySet());
        int edges = graph.values().stream().mapToInt(TreeSet::size).sum();
        List<List<String>> cycles = cycles(graph);
        System.out.println("[layering] core: " + graph.size() + " packages, " + edges + " package dependencies, cycles "
                + cycles);
        StringBuilder why = new StringBuilder();
        for (List<String> c : cycles) {
            why.append("\n  cycle among ").append(c).append(':');
            for (String p : c) {
                TreeSet<String> inCycle = new TreeSet<>(graph.get(p));
                inCycle.retainAll(c);
                why.append("\n    ").append(p).append(" -> ").append(inCycle);
            }
        }
        assertTrue(cycles.isEmpty(), "core's packages import each other in a cycle (jdeps -verbose:package):" + why);
    }

    @Test
    void cycleFinderFindsACycle() {
        // The check above is only as good as the cycle finder: a -> b -> c -> a is one cycle, d stays out.
        TreeMap<String, TreeSet<String>> g = new TreeMap<>();
        g.put("a", new TreeSet<>(List.of("b")));
        g.put("b", new TreeSet<>(List.of("c")));
        g.put("c", new TreeSet<>(List.of("a", "d")));
        g.put("d", new TreeSet<>());
        assertTrue(cycles(g).equals(List.of(List.of("a", "b", "c"))), "found " + cycles(g));
    }

    @Test
    void nothingOutsideCoreDowncastsToNetif() throws IOException {
        Path root = Paths.get(System.getProperty("user.dir")).toAbsolutePath();
        if (!Files.isDirectory(root.resolve("core"))) {
            root = root.getParent();
        }
        Pattern downcast = Pattern.compile("instanceof\\s+(io\\.jwip\\.netif\\.)?Netif\\b|\\(\\s*(io\\.jwip\\.netif\\.)?Netif\\s*\\)\\s*\\w");
        List<String> found = new ArrayList<>();
        int files = 0;
        for (String module : new String[] {"netif", "ports", "examples", "tests"}) {
            Path src = root.resolve(module).resolve("src");
            assertTrue(Files.isDirectory(src), "module sources at " + src);
            List<Path> java;
            try (Stream<Path> s = Files.walk(src)) {
                java = s.filter(p -> p.toString().endsWith(".java")).collect(Collectors.toList());
            }
            for (Path f : java) {
                if (f.getFileName().toString().equals("LayeringTest.java")) {
                    continue;
                }
                files++;
                List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    if (downcast.matcher(lines.get(i)).find()) {
                        found.add(root.relativize(f) + ":" + (i + 1) + ": " + lines.get(i).trim());
                    }
                }
            }
        }
        System.out.println("[layering] " + files + " source files outside core, downcasts to Netif: " + found.size());
        assertTrue(files > 50, "scanned the modules' sources: " + files);
        assertTrue(found.isEmpty(), "links must not downcast to Netif (use LinkUpper):\n" + String.join("\n", found));
    }
}
