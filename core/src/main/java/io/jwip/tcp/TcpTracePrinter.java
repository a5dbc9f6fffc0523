package io.jwip.tcp;

import io.jwip.wire.Ip4Addr;
import io.jwip.wire.TcpFlags;
import io.jwip.wire.TcpHeader;

/**
 * A {@link TcpTrace} that appends one line per event to a {@link StringBuilder}, for tests, tools and
 * people. It allocates (it builds text); use it for debugging, not on a production packet path.
 *
 * <pre>
 *   &gt; 10.0.0.1:49152 &gt; 10.0.0.2:80 S seq=1000 ack=0 wnd=8760 len=0
 *   * 10.0.0.1:49152 10.0.0.2:80 CLOSED -&gt; SYN_SENT (active open)
 * </pre>
 */
public final class TcpTracePrinter implements TcpTrace {
    private final StringBuilder out;

    public TcpTracePrinter(StringBuilder out) {
        this.out = out;
    }

    @Override
    public void segment(boolean isOut, int src, int srcPort, int dst, int dstPort, int flags, int seq, int ack,
            int wnd, int len) {
        out.append(isOut ? "> " : "< ");
        Ip4Addr.append(out, src).append(':').append(srcPort).append(" > ");
        Ip4Addr.append(out, dst).append(':').append(dstPort).append(' ');
        TcpFlags.append(out, flags);
        out.append(" seq=").append(seq & 0xffffffffL).append(" ack=").append(ack & 0xffffffffL)
                .append(" wnd=").append(wnd).append(" len=").append(len).append('\n');
    }

    @Override
    public void transition(int localAddr, int localPort, int remoteAddr, int remotePort, int oldState,
            int newState, String cause) {
        out.append("* ");
        Ip4Addr.append(out, localAddr).append(':').append(localPort).append(' ');
        Ip4Addr.append(out, remoteAddr).append(':').append(remotePort).append(' ');
        out.append(TcpState.name(oldState)).append(" -").append("> ").append(TcpState.name(newState))
                .append(" (").append(cause).append(")\n");
    }
}
