package io.jwip.examples;

import io.jwip.JwipOptions;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line's contract: --help everywhere, one-line errors naming the option, exit code 2. */
class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... argv) {
        out.reset();
        err.reset();
        return Main.run(argv, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpOnTheJarAndEveryCommand() {
        assertEquals(0, run("--help"));
        assertTrue(out().contains("commands:"));
        for (String c : Main.commands().keySet()) {
            assertEquals(0, run(c, "--help"), c);
            assertTrue(out().startsWith("usage: java -jar jwip.jar " + c), c);
        }
    }

    @Test
    void badOptionsAreOneLineAndExitTwo() {
        assertEquals(2, run("budget", "--no-such-option"));
        assertEquals("jwip budget: unknown option --no-such-option (see --help)\n", err());
        assertEquals(2, run("budget", "--pbufs", "lots"));
        assertTrue(err().contains("--pbufs"));
        assertEquals(1, err().split("\n").length);
        assertEquals(2, run("budget", "--pbufs"));
        assertEquals(2, run("budget", "--pbuf-size", "64"));
        assertEquals(2, run("no-such-command"));
    }

    @Test
    void demoDrawsTheWholeLifeOfAConnection() {
        assertEquals(0, run("demo"), err());
        String o = out();
        for (String t : new String[]{"CLOSED -> SYN_SENT", "LISTEN -> SYN_RCVD", "SYN_SENT -> ESTABLISHED",
                "SYN_RCVD -> ESTABLISHED", "ESTABLISHED -> FIN_WAIT_1", "ESTABLISHED -> CLOSE_WAIT",
                // the echo service closes in its FIN callback: its ACK rides on its FIN (output waits
                // for the end of input, as in lwIP), so the client goes from FIN_WAIT_1 to TIME_WAIT
                "CLOSE_WAIT -> LAST_ACK", "FIN_WAIT_1 -> TIME_WAIT",
                "LAST_ACK -> CLOSED", "TIME_WAIT -> CLOSED", "|-- SYN seq=0", "SYN,ACK seq=0 ack=1",
                "echoed: \"hello, jwip\" (11 bytes, identical)", "every pool is back to full on both stacks."}) {
            assertTrue(o.contains(t), "missing '" + t + "' in\n" + o);
        }
        assertTrue(o.indexOf("FIN_WAIT_1 -> TIME_WAIT") < o.indexOf("TIME_WAIT -> CLOSED"));
        assertTrue(o.contains("  120000  TIME_WAIT -> CLOSED"), "TIME_WAIT lasts 2*MSL of virtual time");
    }

    @Test
    void transferOverALossyLinkIsByteExact() {
        assertEquals(0, run("transfer", "--bytes", "5M", "--loss", "0.05", "--seed", "7", "--quiet"), out() + err());
        assertTrue(out().contains("verified: yes, byte-exact"), out());
        assertTrue(out().contains("pools back to full: yes"), out());
        assertTrue(out().matches("(?s).*retransmissions: [1-9].*"), "5% loss must cause retransmissions: " + out());
    }

    @Test
    void transferReportsZeroBytesPerSegment() {
        assertEquals(0, run("transfer", "--bytes", "300M", "--quiet"), out() + err());
        assertTrue(out().contains("bytes allocated per segment: 0 (median window)"), out());
    }

    @Test
    void budgetMeasuredWithinTenPercentOfComputed() {
        assertEquals(0, run("budget"));
        assertTrue(out().contains("PBUF_POOL"));
        Budget b = Budget.of(new JwipOptions());
        double ratio = (double) b.measuredStack / b.computedPools;
        assertTrue(ratio >= 0.9 && ratio <= 1.1, "measured/computed = " + ratio + "\n" + b.table());
    }
}
