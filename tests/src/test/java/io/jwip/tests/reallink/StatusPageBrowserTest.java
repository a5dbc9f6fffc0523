package io.jwip.tests.reallink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live {@code /status} page in a real browser: {@code serve --http} on a TUN link, Debian's Chromium
 * (headless) in the namespace on the Linux side loads the page, runs its JavaScript and writes a
 * screenshot to {@code tests/target/status-page.png}. The page's DOM must show the netif, the pools and
 * both charts, and its numbers must match {@code /status.json}: the same netif address and MTU, the same
 * pool capacities, and for every sample the page draws, the same values the JSON gives for that sample's
 * sequence number (a sample never changes once taken).
 */
class StatusPageBrowserTest {
    static final String LINUX = "10.97.0.1";
    static final String JWIP = "10.97.0.2";
    static final Path SCREENSHOT = Path.of("target", "status-page.png");

    @TempDir
    Path dir;

    @Test
    void statusPageLoadsInChromiumAndItsChartMatchesStatusJson() throws Exception {
        RealPeer.requireTunAndNetns();
        RealPeer.requireTools("chromium", "curl");
        try (Netns ns = new Netns()) {
            String tun = Netns.tunName();
            try (CliRealLinkTest.Running served = new CliRealLinkTest.Running("serve", "--netif",
                    "tun:" + tun + ",netns=" + ns.name + ",host=" + LINUX + "/24", "--addr", JWIP + "/24",
                    "--http", "80", "--echo", "7", "--http-status-every", "200", "--http-status-samples", "20", "--duration", "120")) {
                served.await("http (/status only) on port 80");
                // Some traffic for the charts, then wait (on the page's own data) for a few samples.
                for (int i = 0; i < 3; i++) {
                    RealPeer.Result r = ns.exec(30, "curl", "-sS", "--max-time", "20", "http://" + JWIP + "/");
                    assertTrue(r.out.contains("href=\"/status\""), "/ links to /status: " + r);
                }
                String json = "";
                long until = System.currentTimeMillis() + 30_000;
                while (System.currentTimeMillis() < until) {
                    json = curl(ns, "/status.json");
                    if (number(json, "\"next\":(\\d+)") >= 20) { // the ring is full: the lines span the charts
                        break;
                    }
                    Thread.sleep(100);
                }
                assertTrue(number(json, "\"next\":(\\d+)") >= 20, "samples are taken every 200 ms: " + json);

                Path profile = Files.createDirectories(dir.resolve("chromium"));
                Path shot = SCREENSHOT.toAbsolutePath();
                Files.createDirectories(shot.getParent());
                Files.deleteIfExists(shot);
                RealPeer.Result s = ns.exec(90, chromium(profile, "--screenshot=" + shot, "--window-size=1000,1400",
                        "http://" + JWIP + "/status"));
                assertTrue(Files.size(shot) > 10_000, "chromium wrote a screenshot: " + s);

                long before = number(curl(ns, "/status.json"), "\"httpRequests\":(\\d+)");
                // --virtual-time-budget lets the page's timers run: it fetches /status again and swaps itself in.
                RealPeer.Result dom = ns.exec(90, chromium(profile, "--dump-dom", "--virtual-time-budget=1500",
                        "http://" + JWIP + "/status"));
                json = curl(ns, "/status.json");
                assertTrue(dom.out.contains("<h1>jwip status</h1>"), "the page loaded: " + dom);
                long after = number(json, "\"httpRequests\":(\\d+)");
                assertTrue(after - before >= 3, "the page refreshed itself (requests " + before + " -> " + after + ")");

                checkNetifs(dom.out, json, tun);
                checkPools(dom.out, json);
                int drawn = checkCharts(dom.out, json);
                System.out.println("[status page] " + drawn + " sample values drawn match /status.json; screenshot "
                        + shot + " (" + Files.size(shot) + " bytes)");
                checkScreenshotShowsTheChart(shot);
            }
        }
    }

    private static String[] chromium(Path profile, String... args) {
        List<String> cmd = new ArrayList<>(List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--hide-scrollbars", "--user-data-dir=" + profile));
        cmd.addAll(List.of(args));
        return cmd.toArray(new String[0]);
    }

    private static String curl(Netns ns, String path) throws Exception {
        RealPeer.Result r = ns.exec(30, "curl", "-sS", "--max-time", "20", "http://" + JWIP + path);
        assertEquals(0, r.rc, "curl " + path + ": " + r);
        return r.out;
    }

    private static long number(String s, String regex) {
        Matcher m = Pattern.compile(regex).matcher(s);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** The netif row: the TUN device's name, address and MTU as /status.json gives them. */
    private static void checkNetifs(String dom, String json, String tun) {
        Matcher j = Pattern.compile("\\{\"name\":\"([^\"]+)\",\"address\":\"([^\"]+)\",\"mtu\":(\\d+),\"up\":true")
                .matcher(json);
        int rows = 0;
        while (j.find()) {
            String row = "<tr><td>" + j.group(1) + "</td><td>" + j.group(2) + "</td><td></td><td class=\"n\">" + j.group(3)
                    + "</td><td>up</td>";
            assertTrue(dom.contains(row), "page shows netif " + row);
            rows++;
        }
        assertTrue(rows >= 1 && json.contains("\"address\":\"" + JWIP + "/24\""), json);
    }

    /** Every pool's name and capacity on the page equal the JSON's. */
    private static void checkPools(String dom, String json) {
        Matcher j = Pattern.compile("\\{\"name\":\"([^\"]+)\",\"capacity\":(\\d+),").matcher(json);
        int n = 0;
        while (j.find()) {
            assertTrue(dom.contains("<tr><td>" + j.group(1) + "</td><td class=\"n\">" + j.group(2) + "</td>"),
                    "page shows pool " + j.group(1) + " with capacity " + j.group(2));
            n++;
        }
        assertTrue(n >= 3, "pools in the JSON: " + n);
    }

    /** Each polyline's data-values against the JSON's samples of the same sequence numbers. */
    private static int checkCharts(String dom, String json) {
        assertTrue(dom.contains("<svg id=\"chart-pools\""), "pool chart drawn");
        assertTrue(dom.contains("<svg id=\"chart-tcp\""), "TCP state chart drawn");
        long jFirst = number(json, "\"first\":(\\d+)");
        long jNext = number(json, "\"next\":(\\d+)");
        String samples = json.substring(json.indexOf("\"samples\":"));
        Matcher line = Pattern.compile("data-series=\"([^\"]+)\" data-first=\"(\\d+)\" data-values=\"([0-9 ]*)\"").matcher(dom);
        int compared = 0;
        int series = 0;
        while (line.find()) {
            series++;
            String name = line.group(1);
            long first = Long.parseLong(line.group(2));
            String[] page = line.group(3).trim().split(" ");
            Matcher arr = Pattern.compile("\"" + Pattern.quote(name) + "\":\\[([0-9,]*)\\]").matcher(samples);
            if (!arr.find()) {
                fail("series " + name + " drawn on the page is not in /status.json");
            }
            String[] js = arr.group(1).split(",");
            for (int i = 0; i < page.length; i++) {
                long seq = first + i;
                if (seq >= jFirst && seq < jNext) {
                    assertEquals(js[(int) (seq - jFirst)], page[i], name + " at sample " + seq);
                    compared++;
                }
            }
        }
        assertTrue(series >= 4, "pools and TCP states drawn: " + series);
        assertTrue(compared >= 20 * 4, "samples compared: " + compared);
        assertTrue(dom.contains("data-series=\"LISTEN\""), "the listeners are on the TCP chart");
        return compared;
    }

    /** The chart's lines are on the screenshot: the listeners' line (#ff7f0e) spans the TCP chart. */
    private static void checkScreenshotShowsTheChart(Path shot) throws Exception {
        BufferedImage img = ImageIO.read(shot.toFile());
        int orange = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                int r = (rgb >> 16) & 0xff, g = (rgb >> 8) & 0xff, b = rgb & 0xff;
                // Orange, or orange blended with the white page by anti-aliasing.
                if (r > 200 && r - b > 90 && g < r - 40) {
                    orange++;
                }
            }
        }
        System.out.println("[status page] " + orange + " orange pixels (the LISTEN line) on the screenshot");
        assertTrue(orange > 300, "the LISTEN line shows on the screenshot: " + orange + " orange pixels");
    }
}
