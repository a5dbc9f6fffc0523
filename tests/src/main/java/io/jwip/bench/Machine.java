package io.jwip.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Properties;

/** The machine a figure came from: CPU model, cores, JDK, OS; stamped into every part's results. */
final class Machine {
    private Machine() {}

    static void stamp(Properties p) {
        p.setProperty("machine.cpu", cpu());
        p.setProperty("machine.cores", String.valueOf(Runtime.getRuntime().availableProcessors()));
        p.setProperty("machine.jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        p.setProperty("machine.os", os() + ", kernel " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        p.setProperty("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    }

    static String cpu() {
        try {
            for (String l : Files.readAllLines(Paths.get("/proc/cpuinfo"))) {
                if (l.startsWith("model name")) {
                    return l.substring(l.indexOf(':') + 1).trim().replaceAll("\\s+", " ");
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return System.getProperty("os.arch") + " (no /proc/cpuinfo)";
    }

    static String os() {
        Path f = Paths.get("/etc/os-release");
        try {
            for (String l : Files.readAllLines(f)) {
                if (l.startsWith("PRETTY_NAME=")) {
                    return l.substring(12).replace("\"", "");
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return System.getProperty("os.name");
    }

    /** One line for a report: "CPU, N cores, JDK, OS". */
    static String describe(Properties p) {
        if (p.getProperty("machine.cpu") == null) {
            return "?";
        }
        return p.getProperty("machine.cpu") + ", " + p.getProperty("machine.cores") + " cores, "
                + p.getProperty("machine.jdk") + ", " + p.getProperty("machine.os");
    }
}
