package io.jwip.examples;

import io.jwip.JwipOptions;
import io.jwip.examples.cli.Args;
import io.jwip.examples.cli.Command;
import io.jwip.examples.cli.StackConfig;
import io.jwip.examples.cli.UsageException;
import io.jwip.netif.pcap.PcapLink;
import io.jwip.netif.pcap.PcapWriter;

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
        PcapWriter[] pcap = {null};
        DemoExchange.LinkWrap wrap = null;
        if (args.has("pcap")) {
            wrap = (link, clock) -> {
                pcap[0] = PcapWriter.create(Path.of(args.get("pcap", "")), () -> clock.nowMillis() * 1000);
                return new PcapLink(link, pcap[0]);
            };
        }
        int rc = DemoExchange.run(out, o, message, wrap);
        if (pcap[0] != null) {
            pcap[0].close();
            out.println("capture: " + pcap[0].packets() + " packets in " + args.get("pcap", ""));
        }
        return rc;
    }

}
