package io.jwip.examples.services;

import io.jwip.port.socket.JwipSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The example services over the in-memory link, used through the blocking socket API. */
class ServicesTest {

    static byte[] readAll(JwipSocket s) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] b = new byte[65536];
        InputStream in = s.getInputStream();
        int n;
        while ((n = in.read(b, 0, b.length)) > 0) {
            out.write(b, 0, n);
        }
        return out.toByteArray();
    }

    @Test
    void tcpEchoEchoesAndClosesAfterTheClient() throws Exception {
        try (ThreadedTwoStacks t = new ThreadedTwoStacks()) {
            TcpEcho echo = new TcpEcho(t.server);
            assertEquals(0, echo.start(7));
            t.start();
            byte[] data = new byte[1_000_000];
            new Random(3).nextBytes(data);
            try (JwipSocket s = new JwipSocket(t.st, ThreadedTwoStacks.SERVER, 7)) {
                CompletableFuture<Void> w = CompletableFuture.runAsync(() -> {
                    try {
                        s.getOutputStream().write(data);
                        s.shutdownOutput();
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                byte[] back = readAll(s);
                w.get(30, TimeUnit.SECONDS);
                assertArrayEquals(data, back);
            }
            assertEquals(1_000_000, echo.bytes());
        }
    }

    @Test
    void discardAndChargen() throws Exception {
        try (ThreadedTwoStacks t = new ThreadedTwoStacks()) {
            Discard discard = new Discard(t.server);
            Chargen chargen = new Chargen(t.server);
            assertEquals(0, discard.start(9));
            assertEquals(0, chargen.start(19));
            t.start();
            try (JwipSocket s = new JwipSocket(t.st, ThreadedTwoStacks.SERVER, 9)) {
                s.getOutputStream().write(new byte[100_000]);
                s.shutdownOutput();
                assertEquals(0, readAll(s).length, "discard closes after the client, sending nothing");
            }
            assertEquals(100_000, discard.bytes());
            try (JwipSocket s = new JwipSocket(t.st, ThreadedTwoStacks.SERVER, 19)) {
                byte[] b = new byte[74 * 3];
                int n = 0;
                while (n < b.length) {
                    n += s.getInputStream().read(b, n, b.length - n);
                }
                String text = new String(b, StandardCharsets.US_ASCII);
                String[] lines = text.split("\r\n");
                assertEquals(72, lines[0].length());
                assertTrue(lines[0].startsWith(" !\"#$%&"), lines[0]);
                assertEquals(lines[0].substring(1), lines[1].substring(0, 71), "each line starts one later");
            }
        }
    }

    @Test
    void httpServesFilesHeadNotFoundAndStatus(@TempDir Path root) throws Exception {
        byte[] file = new byte[3_000_000];
        new Random(5).nextBytes(file);
        Files.write(root.resolve("big.bin"), file);
        Files.writeString(root.resolve("index.html"), "<h1>hello from jwip</h1>\n");
        try (ThreadedTwoStacks t = new ThreadedTwoStacks()) {
            HttpServer http = new HttpServer(t.server, root);
            assertEquals(0, http.start(80));
            t.start();

            Response r = get(t, "GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("HTTP/1.1 200 OK", r.status);
            assertTrue(r.headers.contains("Content-Length: 3000000"), r.headers);
            assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(file),
                    MessageDigest.getInstance("SHA-256").digest(r.body));

            r = get(t, "GET / HTTP/1.1\r\n\r\n");
            assertEquals("<h1>hello from jwip</h1>\n", new String(r.body, StandardCharsets.UTF_8));
            assertTrue(r.headers.contains("Content-Type: text/html"), r.headers);

            r = get(t, "HEAD /big.bin HTTP/1.1\r\n\r\n");
            assertEquals("HTTP/1.1 200 OK", r.status);
            assertTrue(r.headers.contains("Content-Length: 3000000"));
            assertEquals(0, r.body.length, "HEAD has no body");

            assertEquals("HTTP/1.1 404 Not Found", get(t, "GET /nope HTTP/1.1\r\n\r\n").status);
            assertEquals("HTTP/1.1 404 Not Found", get(t, "GET /../../etc/passwd HTTP/1.1\r\n\r\n").status);
            assertEquals("HTTP/1.1 405 Method Not Allowed", get(t, "POST / HTTP/1.1\r\n\r\n").status);
            assertEquals("HTTP/1.1 400 Bad Request", get(t, "nonsense\r\n\r\n").status);

            r = get(t, "GET /status HTTP/1.1\r\n\r\n");
            String page = new String(r.body, StandardCharsets.UTF_8);
            assertTrue(page.contains("<table id=\"netifs\">"), page);
            assertTrue(page.contains("<td>10.0.0.2/24</td><td></td><td class=\"n\">1500</td><td>up</td>"), page);
            assertTrue(page.contains("LISTEN"), page);
            assertTrue(page.contains("ESTABLISHED"), "the status request's own connection is listed");
            assertTrue(page.contains("PBUF_POOL"), page);
            assertTrue(page.contains("<svg id=\"chart-pools\""), page);
            assertTrue(page.contains("data-series=\"LISTEN\""), "the TCP chart draws the listener");
            assertTrue(page.contains("<script>"), "the page refreshes itself");

            r = get(t, "GET /status.json HTTP/1.1\r\n\r\n");
            assertTrue(r.headers.contains("Content-Type: application/json"), r.headers);
            String json = new String(r.body, StandardCharsets.UTF_8);
            assertTrue(json.contains("\"address\":\"10.0.0.2/24\",\"mtu\":1500,\"up\":true"), json);
            assertTrue(json.contains("\"state\":\"ESTABLISHED\""), json);
            assertTrue(json.contains("\"samples\":{\"intervalMs\":5000"), json);
            assertEquals(9, http.requests());
        }
    }

    @Test
    void slashLinksToTheStatusPageWhenThereIsNoIndex() throws Exception {
        try (ThreadedTwoStacks t = new ThreadedTwoStacks()) {
            HttpServer http = new HttpServer(t.server, null);
            assertEquals(0, http.start(80));
            t.start();
            Response r = get(t, "GET / HTTP/1.1\r\n\r\n");
            assertEquals("HTTP/1.1 200 OK", r.status);
            assertTrue(new String(r.body, StandardCharsets.UTF_8).contains("<a href=\"/status\">status</a>"));
        }
    }

    record Response(String status, String headers, byte[] body) {}

    static Response get(ThreadedTwoStacks t, String request) throws Exception {
        try (JwipSocket s = new JwipSocket(t.st, ThreadedTwoStacks.SERVER, 80)) {
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            byte[] all = readAll(s);
            int end = 0;
            for (int i = 3; i < all.length; i++) {
                if (all[i - 3] == '\r' && all[i - 2] == '\n' && all[i - 1] == '\r' && all[i] == '\n') {
                    end = i + 1;
                    break;
                }
            }
            String head = new String(all, 0, end, StandardCharsets.ISO_8859_1);
            return new Response(head.substring(0, head.indexOf("\r\n")), head, Arrays.copyOfRange(all, end, all.length));
        }
    }
}
