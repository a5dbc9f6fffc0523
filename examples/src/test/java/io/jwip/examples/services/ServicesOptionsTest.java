package io.jwip.examples.services;

import io.jwip.JwipOptions;
import io.jwip.stack.Stack;
import io.jwip.examples.cli.Args;
import io.jwip.examples.cli.UsageException;
import io.jwip.tcp.Tcp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How {@code serve}'s service options start services on a stack, and the errors they give. */
class ServicesOptionsTest {
    @TempDir
    Path dir;
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    Services start(Stack stack, String... argv) throws UsageException {
        return Services.start(stack, Services.declare(new Args()).parse(argv, 0), out);
    }

    @Test
    void everyServiceStartsAndTcpIsInstalled() throws Exception {
        Stack stack = new Stack(new JwipOptions());
        assertNull(Tcp.of(stack));
        Services s = start(stack, "--echo", "7", "--discard", "9", "--chargen", "19", "--http", "80",
                "--http-root", dir.toString(), "--udp-echo", "7");
        assertEquals(5, s.count());
        assertNotNull(Tcp.of(stack), "TCP installed for the TCP services");
        assertNotNull(s.echo);
        assertNotNull(s.discard);
        assertNotNull(s.chargen);
        assertNotNull(s.http);
        assertNotNull(s.udpEcho);
        String o = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(o.contains("tcp echo on port 7") && o.contains("http serving " + dir.toAbsolutePath()), o);
        assertEquals(4, Tcp.of(stack).stats().count(io.jwip.tcp.TcpState.LISTEN));
    }

    @Test
    void noServiceNoTcp() throws Exception {
        Stack stack = new Stack(new JwipOptions());
        assertEquals(0, start(stack).count());
        assertNull(Tcp.of(stack), "ping-only serve leaves TCP out");
    }

    @Test
    void clearErrors() {
        Stack stack = new Stack(new JwipOptions());
        assertEquals("--http-root needs --http PORT",
                assertThrows(UsageException.class, () -> start(stack, "--http-root", dir.toString())).getMessage());
        assertTrue(assertThrows(UsageException.class, () -> start(stack, "--http", "80", "--http-root",
                dir.resolve("missing").toString())).getMessage().contains("no such directory"));
        assertEquals("--echo and --http both want TCP port 80", assertThrows(UsageException.class,
                () -> start(stack, "--echo", "80", "--http", "80")).getMessage());
        assertTrue(assertThrows(UsageException.class, () -> start(stack, "--chargen", "0")).getMessage()
                .contains("--chargen"));
        JwipOptions o = new JwipOptions();
        o.tcpListeners = 1;
        Stack small = new Stack(o);
        String m = assertThrows(UsageException.class, () -> start(small, "--echo", "7", "--discard", "9")).getMessage();
        assertTrue(m.startsWith("--discard 9: ") && m.contains("--tcp-listeners"), m);
    }
}
