package io.jwip.bench;

import io.jwip.JwipOptions;
import io.jwip.examples.Budget;

import java.util.Properties;

/**
 * The memory part: {@link Budget} (computed pool budget and JOL-measured retained heap of a whole stack
 * with TCP, per connection and per TIME_WAIT entry) for three reference configurations.
 */
final class BudgetPart {
    static final String[] CONFIGS = {"tiny", "lwip", "server"};
    /** lwIP 2.2's static RAM for its opt.h defaults on x86-64, in bytes (15.9 KB). */
    static final long LWIP_RAM = 15_900;

    private BudgetPart() {}

    static JwipOptions config(String name) {
        JwipOptions o = new JwipOptions();
        switch (name) {
            case "tiny" -> {
                o.tcpPcbs = 2;
                o.tcpListeners = 2;
                o.tcpTimeWait = 4;
                o.pbufs = 8;
                o.pbufSize = 592;
                o.tcpSegs = 8;
                o.tcpMss = 536;
                o.tcpWnd = 2 * 536;
                o.tcpSndBuf = 2 * 536;
                o.tcpOooMaxBytes = 2 * 536;
                o.tcpOooMaxSegs = 2;
                o.udpPcbs = 2;
                o.ipReassDatagrams = 1;
                o.ipReassMaxPbufs = 4;
                o.tcpBacklog = 2;
            }
            case "lwip" -> {
                // lwIP 2.2 opt.h: MEMP_NUM_TCP_PCB 5, MEMP_NUM_TCP_PCB_LISTEN 8, MEMP_NUM_TCP_SEG 16,
                // PBUF_POOL_SIZE 16, PBUF_POOL_BUFSIZE 592 (TCP_MSS 536 + headers), TCP_WND 4*MSS,
                // TCP_SND_BUF 2*MSS, MEMP_NUM_UDP_PCB 4, MEMP_NUM_REASSDATA 5, IP_REASS_MAX_PBUFS 10.
                // lwIP keeps TIME_WAIT in its 5 pcbs; jwip's table gets the same 5 entries.
                o.tcpPcbs = 5;
                o.tcpListeners = 8;
                o.tcpSegs = 16;
                o.pbufs = 16;
                o.pbufSize = 592;
                o.tcpMss = 536;
                o.tcpWnd = 4 * 536;
                o.tcpSndBuf = 2 * 536;
                o.tcpOooMaxBytes = 4 * 536;
                o.tcpOooMaxSegs = 4;
                o.udpPcbs = 4;
                o.ipReassDatagrams = 5;
                o.ipReassMaxPbufs = 10;
                o.tcpTimeWait = 5;
            }
            case "server" -> {
                o.tcpPcbs = 64;
                o.tcpTimeWait = 256;
                o.pbufs = 256;
                o.tcpSegs = 256;
                o.tcpMss = 1460;
            }
            default -> throw new IllegalArgumentException(name);
        }
        return o;
    }

    static String title(String name) {
        return switch (name) {
            case "tiny" -> "tiny";
            case "lwip" -> "lwIP default";
            default -> "server";
        };
    }

    static String describe(JwipOptions o) {
        return o.tcpPcbs + " TCP pcbs, " + o.tcpListeners + " listeners, " + o.tcpTimeWait + " TIME_WAIT, " + o.tcpSegs
                + " TCP segs, " + o.pbufs + " x " + o.pbufSize + " B buffers, " + o.udpPcbs + " UDP pcbs, MSS " + o.tcpMss
                + ", wnd " + o.tcpWnd + ", snd-buf " + o.tcpSndBuf;
    }

    static void run(Properties r) {
        for (String c : CONFIGS) {
            JwipOptions o = config(c);
            String bad = o.validate();
            if (bad != null) {
                throw new IllegalStateException("configuration " + c + ": " + bad);
            }
            Budget b = Budget.of(o);
            Log.line("budget " + title(c) + ": " + describe(o));
            Log.line(b.table());
            r.setProperty(c + ".config", describe(o));
            r.setProperty(c + ".computed", String.valueOf(b.computedPools));
            r.setProperty(c + ".measured", String.valueOf(b.measuredStack));
            r.setProperty(c + ".perConnection", String.valueOf(b.perConnection));
            r.setProperty(c + ".perTimeWait", String.valueOf(b.perTimeWait));
            StringBuilder lines = new StringBuilder();
            for (Budget.Line l : b.lines) {
                lines.append(l.pool()).append(':').append(l.count()).append(':').append(l.bytesPerEntry()).append(':')
                        .append(l.total()).append(';');
            }
            r.setProperty(c + ".lines", lines.toString());
        }
    }
}
