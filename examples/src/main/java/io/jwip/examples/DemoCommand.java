package io.jwip.examples;

import io.jwip.Err;
import io.jwip.JwipOptions;
import io.jwip.stack.Stack;
import io.jwip.buf.Pbuf;
import io.jwip.buf.PbufPool;
import io.jwip.examples.cli.Args;
import io.jwip.examples.cli.Command;
import io.jwip.examples.cli.StackConfig;
import io.jwip.examples.cli.UsageException;
import io.jwip.examples.services.TcpEcho;
import io.jwip.netif.Link;
import io.jwip.netif.Netif;
import io.jwip.netif.pcap.PcapClock;
import io.jwip.netif.pcap.PcapLink;
import io.jwip.netif.pcap.PcapWriter;
import io.jwip.netif.slip.MemorySlipLine;
import io.jwip.netif.slip.SlipLink;
import io.jwip.port.Idler;
import io.jwip.port.PollLoop;
import io.jwip.port.VirtualClock;
import io.jwip.tcp.Tcp;
import io.jwip.tcp.TcpPcb;
import io.jwip.tcp.TcpState;
import io.jwip.wire.Ip4Addr;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * {@code demo}: what {@code make run} shows. Two stacks in one JVM joined by an in-memory serial line with
 * SLIP framing; a client connects to the server's TCP echo service, sends a message, gets it echoed, and
 * both close. The exchange is drawn as a ladder; TIME_WAIT then runs out on a virtual clock, and the
 * stats show every pool back to full.
 */
final class DemoCommand implements Command {
    static final int CLIENT = Ip4Addr.of(10, 0, 0, 1);
    static final int SERVER = Ip4Addr.of(10, 0, 0, 2);
    static final int MTU = 1006;

    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String summary() {
        return "two stacks over an in-memory SLIP line: handshake, echo, close, TIME_WAIT, drawn as a ladder";
    }

    @Override
    public Args options() {
        Args a = new Args();
        a.option("message", "TEXT", "what the client sends (default \"hello, jwip\")");
        a.option("pcap", "FILE", "also write the exchange to a pcap file");
        return StackConfig.declare(a);
    }

    @Override
    public int run(Args args, PrintStream out) throws Exception {
        if (!args.positional().isEmpty()) {
            throw new UsageException("unexpected argument " + args.positional().get(0));
        }
        JwipOptions o = StackConfig.apply(args, new JwipOptions());
        byte[] message = args.get("message", "hello, jwip").getBytes(StandardCharsets.UTF_8);
        if (message.length == 0 || message.length > 4096) {
            throw new UsageException("--message must be 1..4096 bytes");
        }
        VirtualClock clock = new VirtualClock();
        MemorySlipLine[] line = MemorySlipLine.pair(64 * 1024);
        SlipLink clientLink = new SlipLink(line[0], MTU, 4096);
        SlipLink serverLink = new SlipLink(line[1], MTU, 4096);
        PcapWriter pcap = args.has("pcap") ? PcapWriter.create(Path.of(args.get("pcap", "")), () -> clock.nowMillis() * 1000) : null;
        Link cl = pcap == null ? clientLink : new PcapLink(clientLink, pcap);

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
        PollLoop loop = new PollLoop(clock, Idler.virtual(clock), 2, 2)
                .addStack(client).addStack(server).addSource(clientLink).addSource(serverLink)
                .setMaxIdleMs(Long.MAX_VALUE);

        EchoClient c = new EchoClient(ctcp, message, ladder);
        int err = c.start(SERVER, 7);
        if (err != Err.OK) {
            out.println("connect failed: " + Err.text(err));
            return 1;
        }
        boolean done = loop.runUntil(() -> c.finished && ctcp.stats().timeWaitCount() == 0 && stcp.stats().count(TcpState.LAST_ACK) == 0
                && stcp.stats().count(TcpState.ESTABLISHED) == 0 && stcp.stats().count(TcpState.CLOSE_WAIT) == 0, 100_000);
        echo.stop();
        loop.turn();
        out.println();
        if (!done || c.error != Err.OK) {
            out.println("the exchange did not complete: " + (c.error != Err.OK ? Err.text(c.error) : "timed out"));
            return 1;
        }
        out.println("echoed: \"" + new String(c.received, 0, c.got, StandardCharsets.UTF_8) + "\" ("
                + c.got + " bytes, " + (java.util.Arrays.equals(message, java.util.Arrays.copyOf(c.received, c.got))
                ? "identical" : "DIFFERENT") + ")");
        out.println();
        out.println("=== client stack stats ===");
        out.print(client.stats().dump(new StringBuilder()));
        out.println();
        out.println("=== server stack stats ===");
        out.print(server.stats().dump(new StringBuilder()));
        out.println();
        boolean full = client.stats().allPoolsFull() && server.stats().allPoolsFull();
        out.println(full ? "every pool is back to full on both stacks."
                : "pools not full: client [" + client.stats().poolsNotFull() + "] server [" + server.stats().poolsNotFull() + "]");
        if (pcap != null) {
            pcap.close();
            out.println("capture: " + pcap.packets() + " packets in " + args.get("pcap", ""));
        }
        return full && c.got == message.length ? 0 : 1;
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
