package io.jwip.netif.slip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwip.JwipOptions;
import io.jwip.stack.Stack;
import io.jwip.netif.Netif;
import io.jwip.netif.pcap.PcapClock;
import io.jwip.netif.pcap.PcapLink;
import io.jwip.netif.pcap.PcapWriter;
import io.jwip.stats.Drop;
import io.jwip.wire.Ip4Addr;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SLIP link behind a capture decorator (the command line's {@code --pcap}) reports to the stack through
 * the decorator: its drops are counted and a hang-up takes the netif down with the reason. The links used
 * to find the netif by downcasting their upper layer, which behind a {@code PcapLink} is not a netif.
 */
class SlipBehindCaptureTest {
    @TempDir
    Path dir;

    @Test
    void linksBehindACapture_countTheirDrops_andAHangUpTakesTheNetifDown() throws Exception {
        Stack stack = new Stack(new JwipOptions());
        MemorySlipLine[] line = MemorySlipLine.pair(8192);
        SlipLink slip = new SlipLink(line[0], 1006, 4096);
        PcapWriter pcap = PcapWriter.create(dir.resolve("sl0.pcap"), PcapClock.of(stack));
        Netif n = new Netif("sl0", 1006, new PcapLink(slip, pcap)).configure(Ip4Addr.of(10, 0, 0, 1),
                Ip4Addr.maskOf(24), 0);
        stack.addNetif(n);
        // A modem's text probe on the line, framed: not IPv4, dropped and counted by the stack.
        byte[] at = "\u00c0AT\r\n\u00c0".getBytes(StandardCharsets.ISO_8859_1);
        line[1].write(at, 0, at.length);
        assertTrue(slip.poll());
        assertEquals(1, stack.stats().drops(Drop.LINK_NOT_IP), "counted through the capture link");
        // The line goes away: the netif goes down, with the reason.
        line[0].close();
        assertFalse(slip.poll());
        assertFalse(n.isUp(), "the netif behind the capture went down");
        assertEquals("closed", n.downReason());
        pcap.close();
    }
}
