package io.jwip.examples;

import io.jwip.port.Clock;
import io.jwip.tcp.TcpState;
import io.jwip.tcp.TcpTrace;
import io.jwip.wire.Ip4Addr;
import io.jwip.wire.TcpFlags;
import io.jwip.wire.TcpHeader;

import java.io.PrintStream;

/**
 * Prints a TCP exchange between two stacks as the textbooks draw it: a client column, a server column,
 * each segment once as an arrow from its sender (with flags, relative seq and ack, window and length),
 * and each side's state changes under its own column, named from the state table.
 *
 * <pre>
 *  time ms  client 10.0.0.1                                                  server 10.0.0.2
 *        0  CLOSED -> SYN_SENT (active open)
 *        0  |-- SYN seq=0 ack=0 win=8760 len=0 ---------------------------------->|
 * </pre>
 */
final class Ladder {
    private static final int WIDTH = 76;
    private final PrintStream out;
    private final Clock clock;
    private final int clientAddr;
    /** First sequence number seen from each side, to print relative numbers as Wireshark does. */
    private long clientIsn = -1;
    private long serverIsn = -1;

    Ladder(PrintStream out, Clock clock, int clientAddr, int serverAddr) {
        this.out = out;
        this.clock = clock;
        this.clientAddr = clientAddr;
        StringBuilder h = new StringBuilder();
        String left = "client " + Ip4Addr.toString(clientAddr);
        String right = "server " + Ip4Addr.toString(serverAddr);
        h.append(" time ms  ").append(left);
        pad(h, 10 + WIDTH - right.length());
        h.append(right);
        out.println(h);
        out.println(" " + "-".repeat(9 + WIDTH));
    }

    /** The trace listener for one side; only that side's transitions and sent segments are drawn. */
    TcpTrace side(boolean client) {
        return new TcpTrace() {
            @Override
            public void segment(boolean isOut, int src, int srcPort, int dst, int dstPort, int flags, int seq,
                    int ack, int wnd, int len) {
                if (isOut) {
                    arrow(client, flags, seq, ack, wnd, len);
                }
            }

            @Override
            public void transition(int la, int lp, int ra, int rp, int oldState, int newState, String cause) {
                state(client, la, lp, oldState, newState, cause);
            }
        };
    }

    private void arrow(boolean fromClient, int flags, int seq, int ack, int wnd, int len) {
        long s = seq & 0xffffffffL;
        long a = ack & 0xffffffffL;
        if ((flags & TcpFlags.SYN) != 0) {
            if (fromClient && clientIsn < 0) {
                clientIsn = s;
            } else if (!fromClient && serverIsn < 0) {
                serverIsn = s;
            }
        }
        long mine = fromClient ? clientIsn : serverIsn;
        long theirs = fromClient ? serverIsn : clientIsn;
        StringBuilder label = new StringBuilder(" ");
        label.append(flagNames(flags));
        label.append(" seq=").append(mine < 0 ? s : (s - mine) & 0xffffffffL);
        label.append(" ack=").append((flags & TcpFlags.ACK) == 0 ? 0 : theirs < 0 ? a : (a - theirs) & 0xffffffffL);
        label.append(" win=").append(wnd).append(" len=").append(len).append(' ');
        StringBuilder line = time();
        int inner = WIDTH - 4;
        if (fromClient) {
            line.append("|--").append(label);
            while (line.length() < 10 + WIDTH - 2) {
                line.append('-');
            }
            line.append(">|");
        } else {
            line.append("|<");
            int dashes = inner - label.length();
            for (int i = 0; i < dashes; i++) {
                line.append('-');
            }
            line.append(label).append("--|");
        }
        out.println(line);
    }

    private void state(boolean client, int la, int lp, int oldState, int newState, String cause) {
        String text = TcpState.name(oldState) + " -> " + TcpState.name(newState) + " (" + cause + ")";
        StringBuilder line = time();
        if (client) {
            line.append(text);
        } else {
            pad(line, 10 + WIDTH - text.length());
            line.append(text);
        }
        out.println(line);
    }

    /** Prints a note across the ladder (e.g. what the demo does next). */
    void note(String text) {
        StringBuilder line = time();
        line.append("   ... ").append(text);
        out.println(line);
    }

    private StringBuilder time() {
        StringBuilder sb = new StringBuilder();
        String t = Long.toString(clock.nowMillis());
        for (int i = t.length(); i < 8; i++) {
            sb.append(' ');
        }
        return sb.append(t).append("  ");
    }

    static String flagNames(int flags) {
        StringBuilder sb = new StringBuilder();
        append(sb, flags, TcpFlags.SYN, "SYN");
        append(sb, flags, TcpFlags.FIN, "FIN");
        append(sb, flags, TcpFlags.RST, "RST");
        append(sb, flags, TcpFlags.PSH, "PSH");
        append(sb, flags, TcpFlags.ACK, "ACK");
        return sb.toString();
    }

    private static void append(StringBuilder sb, int flags, int bit, String name) {
        if ((flags & bit) != 0) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(name);
        }
    }

    private static void pad(StringBuilder sb, int col) {
        while (sb.length() < col) {
            sb.append(' ');
        }
    }
}
