package io.jwip.bench;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** PNG charts (XChart): throughput per direction, in-process vs TUN vs goals; memory per configuration. */
final class Charts {
    private Charts() {}

    static void write(Path dir, Properties jmh, Properties budget, Properties tun) throws IOException {
        throughput(dir, jmh, tun);
        memory(dir, budget);
    }

    /** Gbit/s from MB/s, or null (no bar, no label) when the figure is missing. */
    private static Double gbit(Properties p, String key) {
        double v = Report.d(p, key);
        return Double.isNaN(v) ? null : round(v * 8 / 1000);
    }

    /** A chart for a part that did not run: its title says so, and there are no bars to misread. */
    private static void notRun(Path file, String title, String part) throws IOException {
        CategoryChart c = new CategoryChartBuilder().width(900).height(300)
                .title(title + ": not run (make bench BENCH=" + part + ")").build();
        style(c);
        c.getStyler().setLabelsVisible(false);
        c.getStyler().setLegendVisible(false);
        c.getStyler().setYAxisTicksVisible(false);
        c.addSeries("not run", List.of("not run"), List.of(0.0));
        BitmapEncoder.saveBitmap(c, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static void throughput(Path dir, Properties jmh, Properties tun) throws IOException {
        if (!Report.ok(tun)) {
            notRun(dir.resolve("throughput.png"), "TCP over TUN, Linux as peer", "tun");
            return;
        }
        CategoryChart c = new CategoryChartBuilder().width(1200).height(560)
                .title("TCP over TUN, Linux as peer (Gbit/s; same run)").xAxisTitle("direction").yAxisTitle("Gbit/s").build();
        style(c);
        List<String> cats = List.of("Linux -> stack", "stack -> Linux");
        c.addSeries("relay (C, two TUNs)", cats, java.util.Arrays.asList(gbit(tun, "relay.rx.mbps"), gbit(tun, "relay.tx.mbps")));
        for (String m : tun.getProperty("configs", "").split(",")) {
            if (!m.isEmpty()) {
                c.addSeries(tun.getProperty(m + ".title", m), cats, java.util.Arrays.asList(gbit(tun, m + ".rx.mbps"), gbit(tun, m + ".tx.mbps")));
            }
        }
        List<Double> all = new ArrayList<>();
        for (var series : c.getSeriesMap().values()) {
            for (Number n : series.getYData()) {
                all.add(n == null ? null : n.doubleValue());
            }
        }
        headroom(c, all);
        BitmapEncoder.saveBitmap(c, dir.resolve("throughput.png").toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static void memory(Path dir, Properties budget) throws IOException {
        if (!Report.ok(budget)) {
            notRun(dir.resolve("memory.png"), "jwip memory budget per configuration", "budget");
            notRun(dir.resolve("memory-small.png"), "small configurations beside lwIP 2.2", "budget");
            return;
        }
        // All three configurations, and (since "server" dwarfs the others) the two small ones beside lwIP.
        memoryChart(dir.resolve("memory.png"), budget, List.of(BudgetPart.CONFIGS), "jwip memory budget per configuration (KB of heap)");
        memoryChart(dir.resolve("memory-small.png"), budget, List.of("tiny", "lwip"),
                "small configurations beside lwIP 2.2 (KB; goal: lwIP default <= 1.5 x lwIP)");
    }

    private static void memoryChart(Path file, Properties budget, List<String> configs, String title) throws IOException {
        CategoryChart c = new CategoryChartBuilder().width(900).height(520).title(title)
                .xAxisTitle("configuration").yAxisTitle("KB").build();
        style(c);
        List<String> cats = new ArrayList<>();
        List<Double> computed = new ArrayList<>();
        List<Double> measured = new ArrayList<>();
        // lwIP's figures exist for the "lwip" configuration only; elsewhere null draws no bar and no "0" label.
        List<Double> lwip = new ArrayList<>();
        List<Double> limit = new ArrayList<>();
        for (String k : configs) {
            cats.add(BudgetPart.title(k));
            computed.add(round(Math.max(0, Report.l(budget, k + ".computed") / 1000.0)));
            measured.add(round(Math.max(0, Report.l(budget, k + ".measured") / 1000.0)));
            lwip.add(k.equals("lwip") ? BudgetPart.LWIP_RAM / 1000.0 : null);
            limit.add(k.equals("lwip") ? round(Report.GOAL_BUDGET_FACTOR * BudgetPart.LWIP_RAM / 1000.0) : null);
        }
        c.addSeries("computed (pools)", cats, computed);
        c.addSeries("measured retained heap (JOL)", cats, measured);
        c.addSeries("lwIP 2.2 static RAM", cats, lwip);
        c.addSeries("goal: 1.5 x lwIP", cats, limit);
        headroom(c, computed, measured, limit);
        BitmapEncoder.saveBitmap(c, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /** Room above the tallest bar for its upright label. */
    @SafeVarargs
    private static void headroom(CategoryChart c, List<Double>... series) {
        double max = 0;
        for (List<Double> l : series) {
            for (Double v : l) {
                max = v == null ? max : Math.max(max, v);
            }
        }
        if (max > 0) {
            c.getStyler().setYAxisMax(max * 1.15);
        }
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static void style(CategoryChart c) {
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        c.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        c.getStyler().setLabelsVisible(true);
        // Labels stand upright above their bars: a thin bar cannot hold a horizontal number.
        c.getStyler().setLabelsRotation(90);
        c.getStyler().setLabelsPosition(1.0);
        c.getStyler().setLabelsFontColorAutomaticEnabled(false);
        c.getStyler().setLabelsFontColor(java.awt.Color.DARK_GRAY);
        c.getStyler().setLabelsFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 11));
        c.getStyler().setPlotGridVerticalLinesVisible(false);
    }
}
