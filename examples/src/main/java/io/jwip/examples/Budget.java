package io.jwip.examples;

import io.jwip.JwipOptions;
import io.jwip.stack.Stack;
import io.jwip.mem.Pool;
import io.jwip.mem.PoolEntry;
import io.jwip.tcp.Tcp;
import io.jwip.tcp.TcpBounds;
import org.openjdk.jol.info.GraphLayout;

import java.util.ArrayList;
import java.util.List;

/**
 * The memory budget of one configuration: per pool, entries x retained size of one entry (measured with
 * JOL on a live entry), and the retained heap of the whole stack. Used by {@code budget} and benchmarks.
 */
public final class Budget {
    /** One pool's line. */
    public record Line(String pool, int count, long bytesPerEntry, long total) {}

    public final List<Line> lines = new ArrayList<>();
    public long computedPools;
    public long measuredStack;
    public JwipOptions options;
    /** Retained bytes of one TCP control block (the TCP_PCB pool's entry). */
    public long perConnection;
    /** Marginal retained bytes of one more TIME_WAIT table entry. */
    public long perTimeWait;

    /** Builds a stack with TCP from {@code o} and measures it. */
    public static Budget of(JwipOptions o) {
        return of(o, false);
    }

    /**
     * As {@link #of(JwipOptions)}; with {@code lan} the stack also has what a device on a LAN has: one
     * Ethernet netif (its ARP cache and queue), a DHCP client and a DNS resolver (its queries and cache).
     */
    public static Budget of(JwipOptions o, boolean lan) {
        Stack s = lanStack(o, lan);
        Budget b = of(s);
        // The TIME_WAIT table is parallel arrays, not a pool: its entry cost is the difference between
        // two stacks that differ only in its capacity.
        JwipOptions more = o.copy();
        more.tcpTimeWait = o.tcpTimeWait + 1024;
        Stack bigger = lanStack(more, lan);
        b.perTimeWait = (GraphLayout.parseInstance(bigger).totalSize() - b.measuredStack) / 1024;
        b.lines.add(new Line("TIME_WAIT table", o.tcpTimeWait, b.perTimeWait, b.perTimeWait * o.tcpTimeWait));
        b.computedPools += b.perTimeWait * o.tcpTimeWait;
        for (Line l : b.lines) {
            if (l.pool.equals("TCP_PCB")) {
                b.perConnection = l.bytesPerEntry;
            }
        }
        return b;
    }

    private static Stack lanStack(JwipOptions o, boolean lan) {
        if (lan && o.linkHeadroom < io.jwip.wire.EthernetHeader.HEADER_LENGTH) {
            o = o.copy();
            o.linkHeadroom = io.jwip.wire.EthernetHeader.HEADER_LENGTH;
        }
        Stack s = new Stack(o);
        Tcp.install(s);
        if (lan) {
            io.jwip.netif.Link frames = new io.jwip.netif.Link() {
                @Override
                public void attach(io.jwip.netif.LinkUpper upper) {
                }

                @Override
                public int output(io.jwip.buf.Pbuf p) {
                    return io.jwip.Err.OK;
                }
            };
            io.jwip.eth.EthernetLink eth = new io.jwip.eth.EthernetLink(o, 0x020000000001L, frames);
            io.jwip.netif.Netif n = new io.jwip.netif.Netif("eth0", 1500, eth);
            s.addNetif(n);
            new io.jwip.dns.DnsResolver(s);
            new io.jwip.dhcp.DhcpClient(s, n, eth);
        }
        return s;
    }

    public static Budget of(Stack s) {
        Budget b = new Budget();
        b.options = s.options();
        for (int i = 0; i < s.stats().poolCount(); i++) {
            Pool p = s.stats().pool(i);
            long per = p.capacity() == 0 ? 0 : entrySize(p);
            b.lines.add(new Line(p.name(), p.capacity(), per, per * p.capacity()));
            b.computedPools += per * p.capacity();
        }
        b.measuredStack = GraphLayout.parseInstance(s).totalSize();
        return b;
    }

    /**
     * Retained bytes of one entry of {@code p}: the entry and what it alone references (its buffer),
     * excluding objects shared with the rest of the stack (the pool, other entries).
     */
    static long entrySize(Pool p) {
        PoolEntry e = p.take();
        if (e == null) {
            return 0;
        }
        try {
            // The entry's graph reaches the pool (and through its free list every free entry); what the
            // taken entry retains alone is its graph minus the pool's.
            return GraphLayout.parseInstance(e).subtract(GraphLayout.parseInstance(p)).totalSize();
        } finally {
            p.give(e);
        }
    }

    /** The budget as a table. */
    public String table() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-18s %8s %12s %12s%n", "POOL", "entries", "bytes/entry", "total"));
        for (Line l : lines) {
            sb.append(String.format("%-18s %8d %12d %12d%n", l.pool, l.count, l.bytesPerEntry, l.total));
        }
        sb.append(String.format("%-18s %8s %12s %12d%n", "computed (pools)", "", "", computedPools));
        sb.append(String.format("%-18s %8s %12s %12d%n", "measured (JOL)", "", "", measuredStack));
        double ratio = computedPools == 0 ? 0 : (double) measuredStack / computedPools;
        sb.append(String.format("measured / computed = %.3f (the rest is the stack's fixed part: tables, views, netifs)%n", ratio));
        if (perConnection > 0) {
            int mss = Math.min(options.tcpMss, 1460);
            long bufs = (options.tcpSndBuf + mss - 1) / mss + (options.tcpWnd + mss - 1) / mss;
            long pbuf = 0;
            for (Line l : lines) {
                if (l.pool.equals("PBUF_POOL")) {
                    pbuf = l.bytesPerEntry;
                }
            }
            sb.append(String.format("per TCP connection: %d bytes of control block; with a full send buffer and "
                    + "receive window about %d more in %d packet buffers%n", perConnection, bufs * pbuf, bufs));
            sb.append(String.format("per TIME_WAIT entry: %d bytes (no control block, no buffers)%n", perTimeWait));
            sb.append('\n');
            TcpBounds.table(options, sb);
        }
        return sb.toString();
    }

    /**
     * What one PPP link (MRU 1500) retains beyond the stack it joined, with {@link
     * io.jwip.ppp.PppSession#DEFAULT_VJ_SLOTS} VJ slots each way and without VJ ({@code vj=0}).
     */
    public static String ppp(JwipOptions o) {
        long[] size = new long[2];
        long bare = GraphLayout.parseInstance(new Stack(o)).totalSize();
        for (int k = 0; k < 2; k++) {
            Stack s = new Stack(o); // the link and its netif are what a stack with one more netif holds more
            io.jwip.ppp.PppSession ppp = new io.jwip.ppp.PppSession((b, off, n) -> true, 1500);
            ppp.setVj(k == 0 ? io.jwip.ppp.PppSession.DEFAULT_VJ_SLOTS : 0);
            s.addNetif(new io.jwip.netif.Netif("ppp0", 1500, ppp));
            size[k] = GraphLayout.parseInstance(s).totalSize() - bare;
        }
        return String.format("%nPPP link and its netif (MRU 1500): %d bytes with VJ (%d slots each way, %d bytes of them), %d without%n",
                size[0], io.jwip.ppp.PppSession.DEFAULT_VJ_SLOTS, size[0] - size[1], size[1]);
    }
}
