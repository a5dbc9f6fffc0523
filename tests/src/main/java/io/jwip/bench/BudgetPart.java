package io.jwip.bench;

import io.jwip.JwipOptions;
import io.jwip.examples.Budget;
import io.jwip.examples.cli.Profile;
import io.jwip.examples.cli.UsageException;

import java.util.Properties;

/**
 * The memory part: {@link Budget} (computed pool budget and JOL-measured retained heap of a whole stack
 * with TCP, per connection and per TIME_WAIT entry) for the three profiles ({@code --profile tiny|lwip|server}).
 */
final class BudgetPart {
    static final String[] CONFIGS = {"tiny", "lwip", "server"};
    /** lwIP 2.2's static RAM for its opt.h defaults on x86-64, in bytes (15.9 KB). */
    static final long LWIP_RAM = 15_900;

    private BudgetPart() {}

    /** The profile of that name ({@code --profile}), so the bench measures what a user selects. */
    static JwipOptions config(String name) {
        try {
            return Profile.of(name);
        } catch (UsageException e) {
            throw new IllegalArgumentException(name, e);
        }
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
