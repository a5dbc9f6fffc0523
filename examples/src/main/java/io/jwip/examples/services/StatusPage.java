package io.jwip.examples.services;

import io.jwip.eth.ArpState;
import io.jwip.eth.EthernetLink;
import io.jwip.mem.Pool;
import io.jwip.netif.Netif;
import io.jwip.stack.Stack;
import io.jwip.stats.Drop;
import io.jwip.stats.ProtoStats;
import io.jwip.stats.Stats;
import io.jwip.tcp.Tcp;
import io.jwip.tcp.TcpState;
import io.jwip.wire.Ip4Addr;
import io.jwip.wire.Mac;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The HTTP server's {@code /status} page and {@code /status.json}: uptime, netifs with their counters, TCP
 * connections, pools, a chart of each pool's use and of the TCP state counts over the samples kept by
 * {@link StatusSamples}, and the stack's counters. The page refreshes itself every sample interval with a
 * few lines of plain JavaScript (it reads {@code /status} again and swaps the page body; without JavaScript
 * it is a static page).
 *
 * <p>Both are built as strings per request (not per segment); the JSON holds everything the page shows,
 * and the chart's polylines carry the sample values they draw ({@code data-values}) so that a test can
 * check the picture against the JSON.
 */
final class StatusPage {
    private static final String[] COLOURS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
            "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#000000", "#aec7e8"};
    private static final int W = 600, H = 140, PAD = 30;

    private final Stack stack;
    private final StatusSamples samples;
    private final long startedAt;
    /** The DHCP client whose lease the page shows, or null. */
    io.jwip.dhcp.DhcpClient dhcp;

    StatusPage(Stack stack, StatusSamples samples) {
        this.stack = stack;
        this.samples = samples;
        this.startedAt = stack.now();
    }

    long uptimeMs() {
        return stack.now() - startedAt;
    }

    /** The page shown for {@code /} when there is no index.html to serve. */
    static String index() {
        return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>jwip</title></head><body>\n"
                + "<h1>jwip</h1>\n<p>A TCP/IP stack in Java answers here. See its <a href=\"/status\">status</a>"
                + " (or <a href=\"/status.json\">status.json</a>).</p>\n</body></html>\n";
    }

    // ================================================================ HTML

    String html(long requests) {
        StringBuilder sb = new StringBuilder(16384);
        sb.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>jwip status</title>\n")
                .append("<style>body{font-family:sans-serif}table{border-collapse:collapse;margin-bottom:1em}")
                .append("td,th{border:1px solid #999;padding:2px 8px;text-align:left}th{background:#eee}")
                .append(".n{text-align:right}svg{border:1px solid #ccc;margin:0 1em 1em 0}</style></head><body>\n")
                .append("<div id=\"page\">\n<h1>jwip status</h1>\n<p>up <span id=\"uptime\">");
        duration(sb, uptimeMs());
        sb.append("</span> &middot; page of <span id=\"time\">").append(Instant.now().truncatedTo(ChronoUnit.SECONDS))
                .append("</span> &middot; ").append(requests).append(" HTTP requests &middot; refreshes every ")
                .append(samples.intervalMs() / 1000.0).append(" s &middot; <a href=\"/status.json\">status.json</a></p>\n");

        sb.append("<h2>Netifs</h2>\n<table id=\"netifs\"><tr><th>name</th><th>address</th><th>MAC</th><th class=\"n\">MTU</th>")
                .append("<th>link</th><th class=\"n\">rx packets</th><th class=\"n\">rx bytes</th>")
                .append("<th class=\"n\">tx packets</th><th class=\"n\">tx bytes</th><th class=\"n\">rx dropped</th>")
                .append("<th class=\"n\">tx errors</th></tr>\n");
        for (int i = 0; i < stack.netifCount(); i++) {
            Netif n = stack.netif(i);
            sb.append("<tr><td>").append(esc(n.name())).append("</td><td>");
            address(sb, n);
            sb.append("</td><td>");
            if (n.link() instanceof EthernetLink e) {
                Mac.append(sb, e.mac());
            }
            sb.append("</td><td class=\"n\">").append(n.mtu()).append("</td><td>")
                    .append(n.isUp() ? "up" : esc("down: " + n.downReason())).append("</td>");
            cell(sb, n.rxPackets());
            cell(sb, n.rxBytes());
            cell(sb, n.txPackets());
            cell(sb, n.txBytes());
            cell(sb, n.rxDropped());
            cell(sb, n.txErrors());
            sb.append("</tr>\n");
        }

        sb.append("</table>\n");
        dhcpHtml(sb);
        arpHtml(sb);
        Stats st = stack.stats();
        long first = samples.first(), next = samples.next();
        sb.append("<h2>The last ");
        duration(sb, samples.capacity() * samples.intervalMs());
        sb.append(" (").append(next - first).append(" samples, one every ").append(samples.intervalMs() / 1000.0)
                .append(" s)</h2>\n");
        chartPools(sb, st, first, next);
        chartTcp(sb, first, next);

        sb.append("<h2>Pools</h2>\n<table id=\"pools\"><tr><th>pool</th><th class=\"n\">capacity</th>")
                .append("<th class=\"n\">used</th><th class=\"n\">max used</th><th class=\"n\">err</th></tr>\n");
        for (int i = 0; i < st.poolCount(); i++) {
            Pool p = st.pool(i);
            sb.append("<tr><td>").append(esc(p.name())).append("</td>");
            cell(sb, p.capacity());
            cell(sb, p.used());
            cell(sb, p.max());
            cell(sb, p.err());
            sb.append("</tr>\n");
        }
        sb.append("</table>\n");

        sb.append("<h2>TCP connections</h2>\n<table id=\"connections\"><tr><th>local</th><th>remote</th>")
                .append("<th>state</th><th class=\"n\">send queue</th><th class=\"n\">receive queue</th></tr>\n");
        Tcp tcp = Tcp.of(stack);
        if (tcp != null) {
            tcp.forEachConnection((la, lp, ra, rp, state, sq, rq) -> {
                sb.append("<tr><td>");
                Ip4Addr.append(sb, la).append(':').append(lp).append("</td><td>");
                remote(sb, state, ra, rp);
                sb.append("</td><td>").append(TcpState.name(state)).append("</td>");
                cell(sb, sq);
                cell(sb, rq);
                sb.append("</tr>\n");
            });
        }

        sb.append("</table>\n");
        sb.append("\n<h2>Counters</h2>\n<pre>");
        sb.append(esc(st.dump(new StringBuilder(), false).toString()));
        sb.append("</pre>\n</div>\n<script>\n")
                .append("setInterval(function () {\n")
                .append("  fetch('/status', {cache: 'no-store'}).then(function (r) { return r.text(); }).then(function (t) {\n")
                .append("    var d = new DOMParser().parseFromString(t, 'text/html');\n")
                .append("    document.getElementById('page').replaceWith(d.getElementById('page'));\n")
                .append("  }).catch(function () {});\n")
                .append("}, ").append(samples.intervalMs()).append(");\n</script>\n</body></html>\n");
        return sb.toString();
    }

    /** The DHCP lease: state, address, server, router, DNS servers, and when it renews, rebinds, expires. */
    private void dhcpHtml(StringBuilder sb) {
        if (dhcp == null) {
            return;
        }
        long now = stack.now();
        sb.append("<h2>DHCP lease</h2>\n<table id=\"dhcp\"><tr><th>state</th><th>address</th><th>server</th>")
                .append("<th>router</th><th>DNS</th><th class=\"n\">lease (s)</th><th class=\"n\">renew in (s)</th>")
                .append("<th class=\"n\">rebind in (s)</th><th class=\"n\">expires in (s)</th></tr>\n<tr><td>")
                .append(io.jwip.dhcp.DhcpState.name(dhcp.state())).append("</td><td>");
        boolean lease = io.jwip.dhcp.DhcpState.hasLease(dhcp.state());
        if (lease) {
            Ip4Addr.append(sb, dhcp.address()).append('/').append(Integer.bitCount(dhcp.netmask()));
            sb.append("</td><td>");
            Ip4Addr.append(sb, dhcp.server()).append("</td><td>");
            if (dhcp.router() != 0) {
                Ip4Addr.append(sb, dhcp.router());
            }
            sb.append("</td><td>");
            for (int i = 0; i < dhcp.dnsCount(); i++) {
                Ip4Addr.append(sb.append(i == 0 ? "" : " "), dhcp.dns(i));
            }
            sb.append("</td>");
            cell(sb, dhcp.leaseSeconds());
            cell(sb, Math.max(0, dhcp.t1At() - now) / 1000);
            cell(sb, Math.max(0, dhcp.t2At() - now) / 1000);
            cell(sb, Math.max(0, dhcp.expiresAt() - now) / 1000);
        } else {
            sb.append("</td><td></td><td></td><td></td><td></td><td></td><td></td><td></td>");
        }
        sb.append("</tr>\n</table>\n");
    }

    private void dhcpJson(StringBuilder sb) {
        if (dhcp == null) {
            sb.append("null");
            return;
        }
        long now = stack.now();
        boolean lease = io.jwip.dhcp.DhcpState.hasLease(dhcp.state());
        sb.append("{\"state\":\"").append(io.jwip.dhcp.DhcpState.name(dhcp.state())).append("\"");
        if (lease) {
            Ip4Addr.append(sb.append(",\"address\":\""), dhcp.address()).append('/').append(Integer.bitCount(dhcp.netmask()));
            Ip4Addr.append(sb.append("\",\"server\":\""), dhcp.server());
            Ip4Addr.append(sb.append("\",\"router\":\""), dhcp.router()).append("\",\"dns\":[");
            for (int i = 0; i < dhcp.dnsCount(); i++) {
                Ip4Addr.append(sb.append(i == 0 ? "\"" : ",\""), dhcp.dns(i)).append('"');
            }
            sb.append("],\"leaseS\":").append(dhcp.leaseSeconds()).append(",\"renewInMs\":")
                    .append(dhcp.t1At() - now).append(",\"rebindInMs\":").append(dhcp.t2At() - now)
                    .append(",\"expiresInMs\":").append(dhcp.expiresAt() - now);
        }
        sb.append(",\"renewals\":").append(dhcp.renewals()).append(",\"rebinds\":").append(dhcp.rebinds())
                .append(",\"expiries\":").append(dhcp.expiries()).append(",\"naks\":").append(dhcp.naks())
                .append(",\"declines\":").append(dhcp.declines()).append('}');
    }

    /** The ARP cache of every Ethernet netif, with its conflict detection state. */
    private void arpHtml(StringBuilder sb) {
        boolean heading = false;
        for (int i = 0; i < stack.netifCount(); i++) {
            if (!(stack.netif(i).link() instanceof EthernetLink e)) {
                continue;
            }
            if (!heading) {
                sb.append("<h2>ARP cache</h2>\n<table id=\"arp\"><tr><th>netif</th><th>address</th><th>MAC</th>")
                        .append("<th>state</th><th class=\"n\">age (s)</th><th class=\"n\">waiting packets</th></tr>\n");
                heading = true;
            }
            String name = esc(stack.netif(i).name());
            e.cache().forEach((ip, mac, state, age, queued) -> {
                sb.append("<tr><td>").append(name).append("</td><td>");
                Ip4Addr.append(sb, ip).append("</td><td>");
                if (mac >= 0) {
                    Mac.append(sb, mac);
                }
                sb.append("</td><td>").append(ArpState.name(state)).append("</td>");
                cell(sb, age / 1000);
                cell(sb, queued);
                sb.append("</tr>\n");
            });
        }
        if (heading) {
            sb.append("</table>\n");
        }
    }

    private void chartPools(StringBuilder sb, Stats st, long first, long next) {
        svgStart(sb, "chart-pools", "pools: % of each pool in use", 100);
        for (int i = 0; i < samples.pools(); i++) {
            Pool p = st.pool(i);
            sb.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").append(COLOURS[i % COLOURS.length])
                    .append("\" data-series=\"").append(esc(p.name())).append("\" data-first=\"").append(first)
                    .append("\" data-values=\"");
            for (long s = first; s < next; s++) {
                sb.append(s == first ? "" : " ").append(samples.poolUsed(s, i));
            }
            sb.append("\" points=\"");
            for (long s = first; s < next; s++) {
                double pct = p.capacity() == 0 ? 0 : 100.0 * samples.poolUsed(s, i) / p.capacity();
                point(sb, next - 1 - s, pct, 100);
            }
            sb.append("\"/>\n");
        }
        legend(sb, true, st);
        sb.append("</svg>\n");
    }

    private void chartTcp(StringBuilder sb, long first, long next) {
        int max = 1;
        for (long s = first; s < next; s++) {
            for (int t = 0; t < TcpState.COUNT; t++) {
                max = Math.max(max, samples.tcpCount(s, t));
            }
        }
        svgStart(sb, "chart-tcp", "TCP connections per state", max);
        for (int t = 0; t < TcpState.COUNT; t++) {
            if (!seen(t, first, next)) {
                continue;
            }
            sb.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").append(COLOURS[t % COLOURS.length])
                    .append("\" data-series=\"").append(TcpState.name(t)).append("\" data-first=\"").append(first)
                    .append("\" data-values=\"");
            for (long s = first; s < next; s++) {
                sb.append(s == first ? "" : " ").append(samples.tcpCount(s, t));
            }
            sb.append("\" points=\"");
            for (long s = first; s < next; s++) {
                point(sb, next - 1 - s, samples.tcpCount(s, t), max);
            }
            sb.append("\"/>\n");
        }
        legend(sb, false, null);
        sb.append("</svg>\n");
    }

    private boolean seen(int state, long first, long next) {
        for (long s = first; s < next; s++) {
            if (samples.tcpCount(s, state) != 0) {
                return true;
            }
        }
        return false;
    }

    private void svgStart(StringBuilder sb, String id, String title, int top) {
        int legendRows = 3;
        sb.append("<svg id=\"").append(id).append("\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(W)
                .append("\" height=\"").append(H + PAD * 2 + legendRows * 14).append("\" font-size=\"11\">\n")
                .append("<text x=\"").append(PAD).append("\" y=\"14\" font-weight=\"bold\">").append(esc(title))
                .append("</text>\n")
                .append("<line x1=\"").append(PAD).append("\" y1=\"").append(PAD + H).append("\" x2=\"").append(W - 10)
                .append("\" y2=\"").append(PAD + H).append("\" stroke=\"#999\"/>\n")
                .append("<line x1=\"").append(PAD).append("\" y1=\"").append(PAD).append("\" x2=\"").append(PAD)
                .append("\" y2=\"").append(PAD + H).append("\" stroke=\"#999\"/>\n")
                .append("<text x=\"").append(PAD - 4).append("\" y=\"").append(PAD + 4).append("\" text-anchor=\"end\">")
                .append(top).append("</text>\n")
                .append("<text x=\"").append(PAD - 4).append("\" y=\"").append(PAD + H).append("\" text-anchor=\"end\">0</text>\n")
                .append("<text x=\"").append(W - 10).append("\" y=\"").append(PAD + H + 14)
                .append("\" text-anchor=\"end\">now</text>\n");
    }

    /** The sample {@code age} samples before the newest, at {@code v} on a scale of 0..top; the newest is at "now". */
    private void point(StringBuilder sb, long age, double v, int top) {
        double x = W - 10 - (W - 10 - PAD) * ((double) age / (samples.capacity() - 1));
        double y = PAD + H - H * Math.min(1.0, v / top);
        sb.append(Math.round(x * 10) / 10.0).append(',').append(Math.round(y * 10) / 10.0).append(' ');
    }

    private void legend(StringBuilder sb, boolean pools, Stats st) {
        int n = pools ? samples.pools() : TcpState.COUNT;
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (!pools && !seen(i, samples.first(), samples.next())) {
                continue;
            }
            int x = PAD + (k % 4) * 140, y = PAD + H + 30 + (k / 4) * 14;
            sb.append("<rect x=\"").append(x).append("\" y=\"").append(y - 8).append("\" width=\"10\" height=\"3\" fill=\"")
                    .append(COLOURS[i % COLOURS.length]).append("\"/><text x=\"").append(x + 14).append("\" y=\"")
                    .append(y).append("\">").append(esc(pools ? st.pool(i).name() : TcpState.name(i))).append("</text>\n");
            k++;
        }
    }

    // ================================================================ JSON

    String json(long requests) {
        StringBuilder sb = new StringBuilder(16384);
        Stats st = stack.stats();
        sb.append("{\"time\":\"").append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append("\",\"uptimeMs\":")
                .append(uptimeMs()).append(",\"stackTimeMs\":").append(stack.now()).append(",\"httpRequests\":")
                .append(requests).append(",\n\"netifs\":[");
        for (int i = 0; i < stack.netifCount(); i++) {
            Netif n = stack.netif(i);
            sb.append(i == 0 ? "\n" : ",\n").append("{\"name\":");
            str(sb, n.name());
            sb.append(",\"address\":\"");
            address(sb, n);
            sb.append("\",\"mtu\":").append(n.mtu()).append(",\"up\":").append(n.isUp()).append(",\"downReason\":");
            if (n.isUp()) {
                sb.append("null");
            } else {
                str(sb, n.downReason());
            }
            if (n.link() instanceof EthernetLink e) {
                sb.append(",\"mac\":\"");
                Mac.append(sb, e.mac()).append("\",\"addressConflicts\":").append(e.conflicts())
                        .append(",\"conflictDetection\":\"").append(e.acdState()).append("\",\"arp\":[");
                int[] k = {0};
                e.cache().forEach((ip, mac, state, age, queued) -> {
                    sb.append(k[0]++ == 0 ? "" : ",").append("{\"address\":\"");
                    Ip4Addr.append(sb, ip).append("\",\"mac\":");
                    if (mac >= 0) {
                        Mac.append(sb.append('"'), mac).append('"');
                    } else {
                        sb.append("null");
                    }
                    sb.append(",\"state\":\"").append(ArpState.name(state)).append("\",\"ageMs\":").append(age)
                            .append(",\"waiting\":").append(queued).append('}');
                });
                sb.append(']');
            }
            sb.append(",\"rxPackets\":").append(n.rxPackets()).append(",\"rxBytes\":").append(n.rxBytes())
                    .append(",\"txPackets\":").append(n.txPackets()).append(",\"txBytes\":").append(n.txBytes())
                    .append(",\"rxDropped\":").append(n.rxDropped()).append(",\"txErrors\":").append(n.txErrors())
                    .append('}');
        }
        sb.append("],\n\"dhcp\":");
        dhcpJson(sb);
        sb.append(",\n\"connections\":[");
        Tcp tcp = Tcp.of(stack);
        if (tcp != null) {
            int[] count = {0};
            tcp.forEachConnection((la, lp, ra, rp, state, sq, rq) -> {
                sb.append(count[0]++ == 0 ? "\n" : ",\n").append("{\"local\":\"");
                Ip4Addr.append(sb, la).append(':').append(lp).append("\",\"remote\":\"");
                remote(sb, state, ra, rp);
                sb.append("\",\"state\":\"").append(TcpState.name(state)).append("\",\"sendQueue\":").append(sq)
                        .append(",\"receiveQueue\":").append(rq).append('}');
            });
        }
        sb.append("],\n\"pools\":[");
        for (int i = 0; i < st.poolCount(); i++) {
            Pool p = st.pool(i);
            sb.append(i == 0 ? "\n" : ",\n").append("{\"name\":");
            str(sb, p.name());
            sb.append(",\"capacity\":").append(p.capacity()).append(",\"used\":").append(p.used()).append(",\"max\":")
                    .append(p.max()).append(",\"err\":").append(p.err()).append('}');
        }
        sb.append("],\n\"tcpStates\":{");
        for (int t = 0; t < TcpState.COUNT; t++) {
            sb.append(t == 0 ? "" : ",").append('"').append(TcpState.name(t)).append("\":")
                    .append(tcp == null ? 0 : tcp.stats().count(t));
        }
        sb.append("},\n\"protocols\":{");
        ProtoStats[] protos = {st.link, st.ip, st.frag, st.icmp, st.udp, st.tcp, st.eth, st.arp};
        for (int i = 0; i < protos.length; i++) {
            ProtoStats p = protos[i];
            sb.append(i == 0 ? "" : ",").append('"').append(p.name).append("\":{\"recv\":").append(p.recv)
                    .append(",\"xmit\":").append(p.xmit).append(",\"fwd\":").append(p.fwd).append(",\"drop\":")
                    .append(p.drop).append('}');
        }
        sb.append("},\n\"drops\":{");
        boolean any = false;
        for (int r = 0; r < Drop.COUNT; r++) {
            if (st.drops(r) != 0) {
                sb.append(any ? "," : "").append('"').append(Drop.name(r)).append("\":").append(st.drops(r));
                any = true;
            }
        }
        long first = samples.first(), next = samples.next();
        sb.append("},\n\"samples\":{\"intervalMs\":").append(samples.intervalMs()).append(",\"capacity\":")
                .append(samples.capacity()).append(",\"first\":").append(first).append(",\"next\":").append(next)
                .append(",\"stackTimeMs\":[");
        for (long s = first; s < next; s++) {
            sb.append(s == first ? "" : ",").append(samples.time(s));
        }
        sb.append("],\n\"pools\":{");
        for (int i = 0; i < samples.pools(); i++) {
            sb.append(i == 0 ? "" : ",\n");
            str(sb, st.pool(i).name());
            sb.append(":[");
            for (long s = first; s < next; s++) {
                sb.append(s == first ? "" : ",").append(samples.poolUsed(s, i));
            }
            sb.append(']');
        }
        sb.append("},\n\"tcpStates\":{");
        for (int t = 0; t < TcpState.COUNT; t++) {
            sb.append(t == 0 ? "" : ",\n").append('"').append(TcpState.name(t)).append("\":[");
            for (long s = first; s < next; s++) {
                sb.append(s == first ? "" : ",").append(samples.tcpCount(s, t));
            }
            sb.append(']');
        }
        sb.append("}},\n\"counters\":");
        str(sb, st.dump(new StringBuilder(), true).toString());
        sb.append("}\n");
        return sb.toString();
    }

    // ================================================================ helpers

    private static void address(StringBuilder sb, Netif n) {
        Ip4Addr.append(sb, n.address()).append('/').append(Integer.bitCount(n.netmask()));
    }

    private static void remote(StringBuilder sb, int state, int ra, int rp) {
        if (state == TcpState.LISTEN) {
            sb.append('*');
        } else {
            Ip4Addr.append(sb, ra).append(':').append(rp);
        }
    }

    private static void cell(StringBuilder sb, long v) {
        sb.append("<td class=\"n\">").append(v).append("</td>");
    }

    static void duration(StringBuilder sb, long ms) {
        long s = ms / 1000;
        if (s >= 86400) {
            sb.append(s / 86400).append("d ");
        }
        if (s >= 3600) {
            sb.append(s / 3600 % 24).append("h ");
        }
        if (s >= 60) {
            sb.append(s / 60 % 60).append("m ");
        }
        sb.append(s % 60).append('s');
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** Appends {@code s} as a JSON string. */
    static void str(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }
}
