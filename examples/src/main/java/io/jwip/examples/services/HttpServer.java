package io.jwip.examples.services;

import io.jwip.Err;
import io.jwip.stack.Stack;
import io.jwip.buf.Pbuf;
import io.jwip.buf.PbufPool;
import io.jwip.tcp.Tcp;
import io.jwip.tcp.TcpErr;
import io.jwip.tcp.TcpPcb;
import io.jwip.tcp.TcpRecv;
import io.jwip.tcp.TcpSent;
import io.jwip.tcp.TcpState;
import io.jwip.wire.Ip4Addr;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A small HTTP/1.1 server on the raw API: serves files from a directory (GET and HEAD, Content-Length,
 * Content-Type by extension, 404, one request per connection with {@code Connection: close}) and a
 * live {@code /status} page (netifs, connections, pools, charts of the last minutes, counters) with its
 * {@code /status.json}, to watch the stack in a browser; {@code /} links to it when there is no index.html.
 *
 * <p>File bodies stream through a chunk buffer made once per connection object; the TCP send buffer is
 * refilled from the {@code sent} callback, so a 10 MB download allocates nothing per segment. Request
 * parsing and the status page build strings (per request, not per segment).
 */
public final class HttpServer extends TcpService {
    public static final int PORT = 80;
    private static final int MAX_REQUEST = 4096;
    private static final int CHUNK = 16384;

    private final Path root;
    private long requests;
    private final StatusSamples samples;
    private final StatusPage page;

    /** Default time a client has to send its request header (slowloris). */
    public static final long HEADER_TIMEOUT_MS = 10_000;
    /** Default time the response may wait for the client to take data. */
    public static final long IDLE_TIMEOUT_MS = 30_000;

    /**
     * A server with the default defences against hostile clients: the request header must arrive within
     * {@link #HEADER_TIMEOUT_MS}, the client must take data at least every {@link #IDLE_TIMEOUT_MS}, and one
     * client address may hold half the control blocks (see {@link TcpService}).
     *
     * @param root directory to serve files from, or null for {@code /status} only
     */
    public HttpServer(Stack stack, Path root) {
        this(stack, root, StatusSamples.INTERVAL_MS, StatusSamples.CAPACITY);
    }

    /**
     * Like {@link #HttpServer(Stack, Path)}, with the status page's charts sampled every {@code sampleMs}
     * of the stack's clock and the last {@code sampleCount} of them kept (the ring is allocated now).
     */
    public HttpServer(Stack stack, Path root, long sampleMs, int sampleCount) {
        super(stack);
        this.root = root == null ? null : root.toAbsolutePath().normalize();
        setTimeouts(HEADER_TIMEOUT_MS, IDLE_TIMEOUT_MS);
        setMaxPerClient(Math.max(1, stack.options().tcpPcbs / 2));
        this.samples = new StatusSamples(stack, sampleMs, sampleCount);
        page = new StatusPage(stack, samples);
    }

    public long requests() {
        return requests;
    }

    private final class HttpConn extends Conn implements TcpRecv, TcpSent, TcpErr {
        final byte[] req = new byte[MAX_REQUEST];
        final byte[] chunk = new byte[CHUNK];
        int reqLen;
        boolean responding;
        byte[] head;
        int headPos;
        /** Generated body (status page, errors), or null. */
        byte[] body;
        int bodyPos;
        RandomAccessFile file;
        long fileLeft;
        int chunkLen;
        int chunkPos;

        void reset() {
            reqLen = 0;
            responding = false;
            head = null;
            headPos = 0;
            body = null;
            bodyPos = 0;
            closeFile();
            fileLeft = 0;
            chunkLen = chunkPos = 0;
        }

        @Override
        public void recv(TcpPcb p, Pbuf data) {
            if (data == null) {
                if (!responding) {
                    finish();
                }
                return;
            }
            int n = data.totalLength();
            if (!responding) {
                int c = Math.min(n, req.length - reqLen);
                data.copyOut(0, req, reqLen, c);
                reqLen += c;
            }
            tcp.recved(p, n);
            PbufPool.free(data);
            if (!responding) {
                int end = headerEnd();
                if (end >= 0) {
                    respond(end);
                } else if (reqLen == req.length) {
                    error(431, "Request Header Fields Too Large", true);
                }
            }
        }

        @Override
        public void sent(TcpPcb p, int len) {
            progress(this);
            if (responding) {
                pump();
            }
            poll(); // the acknowledgement freed memory: a connection waiting for some may go on
        }

        @Override
        public void err(Object arg, int err) {
            closeFile();
            release(this);
        }

        private int headerEnd() {
            for (int i = 3; i < reqLen; i++) {
                if (req[i] == '\n' && req[i - 1] == '\r' && req[i - 2] == '\n' && req[i - 3] == '\r') {
                    return i + 1;
                }
            }
            return -1;
        }

        private void respond(int end) {
            requests++;
            responding = true;
            requestStarted(this);
            String text = new String(req, 0, end, StandardCharsets.ISO_8859_1);
            int eol = text.indexOf("\r\n");
            String[] line = text.substring(0, eol).split(" ");
            if (line.length != 3 || !line[2].startsWith("HTTP/1.")) {
                error(400, "Bad Request", true);
                return;
            }
            boolean headOnly = line[0].equals("HEAD");
            if (!headOnly && !line[0].equals("GET")) {
                error(405, "Method Not Allowed", !headOnly);
                return;
            }
            String target = line[1];
            int q = target.indexOf('?');
            String path = q < 0 ? target : target.substring(0, q);
            try {
                path = URLDecoder.decode(path, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                error(400, "Bad Request", !headOnly);
                return;
            }
            if (path.equals("/status") || path.equals("/status.json")) {
                boolean json = path.endsWith(".json");
                byte[] body = (json ? statusJson() : statusPage()).getBytes(StandardCharsets.UTF_8);
                send(200, "OK", json ? "application/json" : "text/html; charset=utf-8", body.length,
                        headOnly ? null : body);
                return;
            }
            if (path.equals("/") && (root == null || !Files.isRegularFile(root.resolve("index.html")))) {
                byte[] body = StatusPage.index().getBytes(StandardCharsets.UTF_8);
                send(200, "OK", "text/html; charset=utf-8", body.length, headOnly ? null : body);
                return;
            }
            if (root == null || !path.startsWith("/") || path.contains("\0")) {
                error(404, "Not Found", !headOnly);
                return;
            }
            Path f = root.resolve(path.substring(1)).normalize();
            if (!f.startsWith(root)) {
                error(404, "Not Found", !headOnly);
                return;
            }
            if (Files.isDirectory(f)) {
                f = f.resolve("index.html");
            }
            if (!Files.isRegularFile(f) || !Files.isReadable(f)) {
                error(404, "Not Found", !headOnly);
                return;
            }
            try {
                RandomAccessFile raf = new RandomAccessFile(f.toFile(), "r");
                long len = raf.length();
                if (headOnly) {
                    raf.close();
                } else {
                    file = raf;
                    fileLeft = len;
                }
                head = header(200, "OK", contentType(f.getFileName().toString()), len);
                pump();
            } catch (IOException e) {
                error(500, "Internal Server Error", !headOnly);
            }
        }

        private void error(int code, String reason, boolean withBody) {
            responding = true;
            requestStarted(this);
            byte[] page = ("<html><body><h1>" + code + " " + reason + "</h1></body></html>\n")
                    .getBytes(StandardCharsets.UTF_8);
            send(code, reason, "text/html; charset=utf-8", page.length, withBody ? page : null);
        }

        private void send(int code, String reason, String type, long length, byte[] content) {
            head = header(code, reason, type, length);
            body = content;
            pump();
        }

        /** Writes as much of header, body or file as the send buffer takes; closes when done. */
        void pump() {
            TcpPcb p = pcb;
            if (p == null) {
                return;
            }
            if (head != null && headPos < head.length) {
                headPos += writeSome(p, head, headPos, head.length - headPos);
                if (headPos < head.length) {
                    tcp.output(p);
                    return;
                }
            }
            if (body != null) {
                bodyPos += writeSome(p, body, bodyPos, body.length - bodyPos);
                if (bodyPos < body.length) {
                    tcp.output(p);
                    return;
                }
            }
            while (file != null) {
                if (chunkPos == chunkLen) {
                    if (fileLeft == 0) {
                        closeFile();
                        break;
                    }
                    try {
                        chunkLen = file.read(chunk, 0, (int) Math.min(chunk.length, fileLeft));
                    } catch (IOException e) {
                        chunkLen = -1;
                    }
                    if (chunkLen <= 0) {
                        // The file shrank or failed under us: the response cannot be completed.
                        closeFile();
                        tcp.abort(p);
                        release(this);
                        return;
                    }
                    fileLeft -= chunkLen;
                    chunkPos = 0;
                }
                int w = writeSome(p, chunk, chunkPos, chunkLen - chunkPos);
                chunkPos += w;
                if (chunkPos < chunkLen) {
                    tcp.output(p);
                    return;
                }
            }
            tcp.output(p);
            finish();
        }

        private int writeSome(TcpPcb p, byte[] b, int off, int len) {
            int done = 0;
            while (done < len) {
                int room = tcp.sndBuf(p);
                int n = Math.min(room, len - done);
                if (n <= 0) {
                    break; // send buffer full: the sent callback resumes
                }
                int e = tcp.write(p, b, off + done, n);
                if (e != Err.OK) {
                    if (e == Err.MEM) {
                        waitForMemory(this);
                    }
                    break;
                }
                done += n;
            }
            return done;
        }

        private void finish() {
            closeFile();
            closeConn(this);
        }

        private void closeFile() {
            if (file != null) {
                try {
                    file.close();
                } catch (IOException ignored) {
                    // read-only file: nothing to lose
                }
                file = null;
            }
        }
    }

    static byte[] header(int code, String reason, String type, long length) {
        return ("HTTP/1.1 " + code + " " + reason + "\r\n"
                + "Server: jwip\r\n"
                + "Content-Type: " + type + "\r\n"
                + "Content-Length: " + length + "\r\n"
                + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    static String contentType(String name) {
        String n = name.toLowerCase();
        if (n.endsWith(".html") || n.endsWith(".htm")) {
            return "text/html; charset=utf-8";
        }
        if (n.endsWith(".txt")) {
            return "text/plain; charset=utf-8";
        }
        if (n.endsWith(".css")) {
            return "text/css";
        }
        if (n.endsWith(".js")) {
            return "application/javascript";
        }
        if (n.endsWith(".json")) {
            return "application/json";
        }
        if (n.endsWith(".png")) {
            return "image/png";
        }
        if (n.endsWith(".jpg") || n.endsWith(".jpeg")) {
            return "image/jpeg";
        }
        if (n.endsWith(".svg")) {
            return "image/svg+xml";
        }
        return "application/octet-stream";
    }

    /** The {@code /status} page (HTML). */
    String statusPage() {
        samples.poll();
        return page.html(requests);
    }

    /** {@code /status.json}: everything the page shows. */
    String statusJson() {
        samples.poll();
        return page.json(requests);
    }

    /**
     * The ring of samples behind the page's charts; the loop that runs the stack calls its
     * {@link StatusSamples#poll()} after every turn and wakes for its {@link StatusSamples#nextDeadline()}.
     */
    public StatusSamples samples() {
        return samples;
    }

    /** Shows this DHCP client's lease on the status page and in its JSON. */
    public void setDhcp(io.jwip.dhcp.DhcpClient dhcp) {
        page.dhcp = dhcp;
    }

    @Override
    protected Conn newConn() {
        return new HttpConn();
    }

    @Override
    protected void timedOut(Conn c) {
        ((HttpConn) c).closeFile();
    }

    @Override
    protected void resume(Conn c) {
        HttpConn h = (HttpConn) c;
        if (h.responding) {
            h.pump();
        }
    }

    @Override
    protected void opened(Conn c) {
        HttpConn h = (HttpConn) c;
        h.reset();
        tcp.recv(c.pcb(), h);
        tcp.sent(c.pcb(), h);
        tcp.err(c.pcb(), h);
    }
}
