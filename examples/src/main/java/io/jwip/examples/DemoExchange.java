package io.jwip.examples;

import io.jwip.Err;
import io.jwip.JwipOptions;
import io.jwip.buf.Pbuf;
import io.jwip.buf.PbufPool;
import io.jwip.examples.cli.StackConfig;
import io.jwip.examples.services.TcpEcho;
import io.jwip.netif.Link;
import io.jwip.netif.Netif;
import io.jwip.netif.slip.MemorySlipLine;
import io.jwip.netif.slip.SlipLink;
import io.jwip.port.Clock;
import io.jwip.port.VirtualClock;
import io.jwip.stack.Stack;
import io.jwip.tcp.Tcp;
import io.jwip.tcp.TcpPcb;
import io.jwip.tcp.TcpState;
import io.jwip.wire.Ip4Addr;

import java.io.IOException;
import java.io.PrintStream;

/**
 * The {@code demo}'s exchange: two stacks joined by an in-memory serial line with SLIP framing, a client
 * that connects to the server's echo service, sends a message, reads the echo and closes, drawn as a
 * ladder; then both stacks' stats. It runs its own loop on a virtual clock (poll both links, run both
 * stacks' timers, jump to the next deadline when idle), with no thread, no native code and no real clock:
 * the same code runs on HotSpot ({@code jwip demo}) and, compiled by TeaVM, on Node.js, and both print the
 * same lines (see the README's "A second runtime").
 */
public final class DemoExchange {
    static final int CLIENT = Ip4Addr.of(10, 0, 0, 1);
    static final int SERVER = Ip4Addr.of(10, 0, 0, 2);
    static final int MTU = 1006;
    /** Virtual time beyond TIME_WAIT (2*MSL) after which the exchange counts as stuck. */
    static final long LIMIT_MS = 100_000;

    private DemoExchange() {}

    /** Wraps the client's link (e.g. in a capture) once the clock exists. */
    public interface LinkWrap {
        Link wrap(Link link, Clock clock) throws IOException;
    }

    /** Runs the demo with its defaults ({@code demo} without options). */
    public static int run(PrintStream out) throws IOException {
        return run(out, new JwipOptions(), "hello, jwip".getBytes(java.nio.charset.StandardCharsets.UTF_8), null);
    }

    /** Runs the exchange and prints it; returns the exit code (0: echoed intact, every pool back to full). */
    public static int run(PrintStream out, JwipOptions o, byte[] message, LinkWrap wrap) throws IOException {
        VirtualClock clock = new VirtualClock();
        MemorySlipLine[] line = MemorySlipLine.pair(64 * 1024);
        SlipLink clientLink = new SlipLink(line[0], MTU, 4096);
        SlipLink serverLink = new SlipLink(line[1], MTU, 4096);
        Link cl = wrap == null ? clientLink : wrap.wrap(clientLink, clock);

        Stack client = new Stack(o);
        Stack server = new Stack(o);
        Tcp ctcp = Tcp.install(client);
        Tcp stcp = Tcp.install(server);
        client.addNetif(new Netif("sl0", MTU, cl).configure(CLIENT, Ip4Addr.maskOf(24), 0));
        server.addNetif(new Netif("sl0", MTU, serverLink).configure(SERVER, Ip4Addr.maskOf(24), 0));
        ctcp.setIsnSecret(0x6a776970L, 0x64656d6fL);
        stcp.setIsnSecret(0x73657276L, 0x65720000L);

        out.println("jwip demo: two stacks joined by an in-memory serial line with SLIP framing (RFC 1055),");
        out.println("MTU " + MTU + ", client " + Ip4Addr.toString(CLIENT) + ", server " + Ip4Addr.toString(SERVER)
                + " running TCP echo on port 7; time is virtual (2*MSL = " + 2L * o.tcpMslMs + " ms).");
        out.println("Sequence numbers are relative to each side's initial sequence number.");
        out.println();
        Ladder ladder = new Ladder(out, clock, CLIENT, SERVER);
        ctcp.setTrace(ladder.side(true));
        stcp.setTrace(ladder.side(false));

        TcpEcho echo = new TcpEcho(server);
        if (echo.start(7) != Err.OK) {
            out.println("could not start the echo service");
            return 1;
        }
        EchoClient c = new EchoClient(ctcp, message, ladder);
        int err = c.start(SERVER, 7);
        if (err != Err.OK) {
            out.println("connect failed: " + Err.text(err));
            return 1;
        }
        boolean done = false;
        long until = clock.nowMillis() + 2L * o.tcpMslMs + LIMIT_MS;
        while (true) {
            boolean work = clientLink.poll() | serverLink.poll();
            long now = clock.nowMillis();
            long next = Math.min(client.timers(now), server.timers(now));
            if (c.finished && ctcp.stats().timeWaitCount() == 0 && stcp.stats().count(TcpState.LAST_ACK) == 0
                    && stcp.stats().count(TcpState.ESTABLISHED) == 0 && stcp.stats().count(TcpState.CLOSE_WAIT) == 0) {
                done = true;
                break;
            }
            if (now >= until) {
                break;
            }
            if (!work) {
                clock.advanceTo(Math.min(until, Math.max(now, next == Stack.NO_DEADLINE ? until : next)));
            }
        }
        echo.stop();
        clientLink.poll();
        serverLink.poll();
        client.timers(clock.nowMillis());
        server.timers(clock.nowMillis());
        out.println();
        if (!done || c.error != Err.OK) {
            out.println("the exchange did not complete: " + (c.error != Err.OK ? Err.text(c.error) : "timed out")
                    + StackConfig.shortages(client, "client") + StackConfig.shortages(server, "server"));
            return 1;
        }
        boolean same = c.got == message.length;
        for (int i = 0; same && i < message.length; i++) {
            same = message[i] == c.received[i];
        }
        out.println("echoed: \"" + new String(c.received, 0, c.got, java.nio.charset.StandardCharsets.UTF_8) + "\" ("
                + c.got + " bytes, " + (same ? "identical" : "DIFFERENT") + ")");
        out.println();
        out.println("=== client stack stats ===");
        out.print(client.stats().dump(new StringBuilder(), false));
        out.println();
        out.println("=== server stack stats ===");
        out.print(server.stats().dump(new StringBuilder(), false));
        out.println();
        boolean full = client.stats().allPoolsFull() && server.stats().allPoolsFull();
        out.println(full ? "every pool is back to full on both stacks."
                : "pools not full: client [" + client.stats().poolsNotFull() + "] server [" + server.stats().poolsNotFull() + "]");
        return full && same ? 0 : 1;
    }

    /** The client side on the raw API: connect, send, read the echo, close. */
    static final class EchoClient implements io.jwip.tcp.TcpConnected, io.jwip.tcp.TcpRecv, io.jwip.tcp.TcpErr {
        private final Tcp tcp;
        private final byte[] message;
        private final Ladder ladder;
        final byte[] received;
        int got;
        int error = Err.OK;
        boolean finished;
        private TcpPcb pcb;

        EchoClient(Tcp tcp, byte[] message, Ladder ladder) {
            this.tcp = tcp;
            this.message = message;
            this.ladder = ladder;
            this.received = new byte[message.length];
        }

        int start(int addr, int port) {
            pcb = tcp.newPcb();
            if (pcb == null) {
                return Err.MEM;
            }
            tcp.recv(pcb, this);
            tcp.err(pcb, this);
            return tcp.connect(pcb, addr, port, this);
        }

        @Override
        public void connected(TcpPcb p) {
            ladder.note("client sends " + message.length + " bytes");
            tcp.write(p, message, 0, message.length);
            tcp.output(p);
        }

        @Override
        public void recv(TcpPcb p, Pbuf data) {
            if (data == null) {
                finished = true;
                return;
            }
            int n = Math.min(data.totalLength(), received.length - got);
            data.copyOut(0, received, got, n);
            got += n;
            tcp.recved(p, data.totalLength());
            PbufPool.free(data);
            if (got == message.length) {
                ladder.note("client has its echo and closes");
                tcp.close(p);
                pcb = null;
                finished = true;
            }
        }

        @Override
        public void err(Object arg, int e) {
            error = e;
            finished = true;
        }
    }
}
