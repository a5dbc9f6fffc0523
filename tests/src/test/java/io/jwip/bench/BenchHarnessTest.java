package io.jwip.bench;

import io.jwip.Err;
import io.jwip.JwipOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keeps {@code make bench} working while the stack changes: the bulk stream still flows both ways, the
 * reference configurations are still valid, and the report is written even with no figures at all.
 * (Quick: no JMH, no TUN; those run only under {@code make bench}.)
 */
class BenchHarnessTest {
    @Test
    void bulkStreamFlowsInBothDirections() {
        for (boolean serverSends : new boolean[] {false, true}) {
            BulkPair p = new BulkPair(BenchOptions.bulk(), serverSends);
            long segs = 0;
            while (p.received() < 20_000_000L) {
                segs += p.move(1);
            }
            assertEquals(Err.OK, p.error(), "serverSends=" + serverSends);
            assertTrue(segs > 20_000_000L / 1460, "segments counted: " + segs);
        }
    }

    @Test
    void referenceConfigurationsAreValid() {
        for (String c : BudgetPart.CONFIGS) {
            JwipOptions o = BudgetPart.config(c);
            assertNull(o.validate(), c);
        }
    }

    @Test
    void reportAndChartsWithoutFigures(@TempDir Path dir) throws Exception {
        System.setProperty("java.awt.headless", "true");
        Report.write(dir, Set.of(), 0);
        String md = Files.readString(dir.resolve("report.md"));
        assertTrue(md.contains("not run"), md);
        for (String png : new String[] {"throughput.png", "memory.png", "memory-small.png"}) {
            assertTrue(Files.size(dir.resolve(png)) > 1000, png);
        }
    }

    @Test
    void reportJudgesGoalsFromFigures(@TempDir Path dir) throws Exception {
        System.setProperty("java.awt.headless", "true");
        Properties b = new Properties();
        b.setProperty("status", "ok");
        for (String c : BudgetPart.CONFIGS) {
            b.setProperty(c + ".measured", "20000");
            b.setProperty(c + ".computed", "18000");
        }
        BenchMain.save(dir.resolve("budget.properties"), b);
        Report.write(dir, Set.of("budget"), 1);
        String md = Files.readString(dir.resolve("report.md"));
        assertTrue(md.contains("20,000 B (1.26 x lwIP) | PASS"), md);
    }
}
