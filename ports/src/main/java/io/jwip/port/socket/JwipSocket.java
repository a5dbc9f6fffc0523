package io.jwip.port.socket;

import io.jwip.Err;
import io.jwip.stack.Stack;
import io.jwip.buf.Pbuf;
import io.jwip.buf.PbufPool;
import io.jwip.port.threaded.Call;
import io.jwip.port.threaded.StackThread;
import io.jwip.tcp.Tcp;
import io.jwip.tcp.TcpConnected;
import io.jwip.tcp.TcpErr;
import io.jwip.tcp.TcpPcb;
import io.jwip.tcp.TcpRecv;
import io.jwip.tcp.TcpSent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketException;

/**
 * A blocking TCP stream socket on the threaded port, after {@code java.net.Socket}: connect (with a
 * timeout), an {@link InputStream} and an {@link OutputStream}, {@code shutdownInput}/{@code
 * shutdownOutput} half-close, {@code SO_TIMEOUT} on reads, and close. Failures are {@link IOException}s
 * that carry the reason: reset, refused, timed out, no buffers.
 *
 * <h2>Data path</h2>
 * Every operation is a {@link Call} made once with the socket and run on the stack thread while the caller
 * waits. A write copies the caller's bytes straight into the connection's pool buffers ({@code
 * Tcp.write}); a read copies straight out of the received pool buffers into the caller's array. One copy
 * each way, nothing allocated per read or write. Received buffers wait on this socket (their window space
 * is returned with {@code Tcp.recved} as the application reads), linked through {@code Pbuf.nextPacket}.
 *
 * <h2>Threads</h2>
 * Fields marked "stack thread" are touched only by the stack thread; the application thread sees results
 * only through completed calls.
 */
public final class JwipSocket extends StackSocket {
    private static final String KIND = "socket";
    /** Read result at end of stream; not an Err code. */
    static final int EOF = Integer.MIN_VALUE + 2;

    private final Stack stack;
    private final Tcp tcp;

    // ---- stack thread
    private TcpPcb pcb;
    /** Received packets in order (linked by nextPacket); this socket owns them. */
    private Pbuf rxHead;
    private Pbuf rxTail;
    /** Bytes of rxHead already read. */
    private int rxOff;
    private boolean rxFin;
    private boolean inputShut;
    private boolean outputShut;
    /** Sticky error once the connection died (Err.RST, Err.TIMEOUT...), else Err.OK. */
    private int error = Err.OK;
    private ReadCall parkedRead;
    private WriteCall parkedWrite;
    private ConnectCall parkedConnect;
    private int remoteAddr;
    private int remotePort;
    private int localPort;

    // ---- application thread
    private volatile boolean connected;
    private final ConnectCall connectCall = new ConnectCall();
    private final ReadCall readCall = new ReadCall();
    private final WriteCall writeCall = new WriteCall();
    private final ShutdownCall shutdownCall = new ShutdownCall();
    private final CloseCall closeCall = new CloseCall();
    private final AbortCall abortCall = new AbortCall();
    private final Input in = new Input();
    private final Output out = new Output();

    /** An unconnected socket; {@link #connect} it. */
    public JwipSocket(StackThread st) {
        this(st, st.stack());
    }

    /** An unconnected socket on {@code stack}, one of the stacks {@code st} owns ({@link StackThread#addStack}). */
    public JwipSocket(StackThread st, Stack stack) {
        super(st, KIND);
        if (!st.owns(stack)) {
            throw new IllegalArgumentException("the stack thread does not own that stack (StackThread.addStack)");
        }
        this.stack = stack;
        this.tcp = Tcp.of(stack);
    }

    /** Connects to {@code addr:port} at once (no timeout beyond TCP's own SYN retries). */
    public JwipSocket(StackThread st, int addr, int port) throws IOException {
        this(st);
        connect(addr, port, 0);
    }

    /** Wraps a connection accepted by a listener; runs on the stack thread. */
    JwipSocket(StackThread st, Stack stack, TcpPcb accepted) {
        this(st, stack);
        adopt(accepted);
        connected = true;
    }

    private void adopt(TcpPcb p) {
        pcb = p;
        tcp.arg(p, this);
        tcp.recv(p, onRecv);
        tcp.sent(p, onSent);
        tcp.err(p, onErr);
        remoteAddr = p.remoteAddr();
        remotePort = p.remotePort();
        localPort = p.localPort();
    }

    // ================================================================ application API

    /**
     * Connects to {@code addr:port}.
     *
     * @param timeoutMs 0 waits as long as TCP retries its SYN
     * @throws java.net.ConnectException when refused, {@link java.net.SocketTimeoutException} on timeout
     */
    public void connect(int addr, int port, long timeoutMs) throws IOException {
        ensureOpen();
        if (connected) {
            throw new SocketException("already connected");
        }
        connectCall.addr = addr;
        connectCall.port = port;
        int r = run(connectCall, timeoutMs);
        if (r == Call.TIMED_OUT) {
            run(abortCall, 0);
            throw SocketErrors.timeout("connect", timeoutMs);
        }
        check(r, "connect");
        connected = true;
    }

    /**
     * Reads up to {@code len} bytes, waiting for at least one.
     *
     * @return bytes read, or -1 at end of stream
     */
    public int read(byte[] b, int off, int len) throws IOException {
        if (off < 0 || len < 0 || len > b.length - off) {
            throw new IndexOutOfBoundsException();
        }
        ensureOpen();
        if (len == 0) {
            return 0;
        }
        readCall.b = b;
        readCall.off = off;
        readCall.len = len;
        int r = run(readCall, soTimeout);
        readCall.b = null;
        if (r == Call.TIMED_OUT) {
            throw SocketErrors.timeout("read", soTimeout);
        }
        if (r == EOF) {
            return -1;
        }
        if (r < 0) {
            throw SocketErrors.of(r, "read");
        }
        return r;
    }

    /** Writes all {@code len} bytes, waiting for room in the send buffer as needed. */
    public void write(byte[] b, int off, int len) throws IOException {
        if (off < 0 || len < 0 || len > b.length - off) {
            throw new IndexOutOfBoundsException();
        }
        ensureOpen();
        if (len == 0) {
            return;
        }
        writeCall.b = b;
        writeCall.off = off;
        writeCall.len = len;
        writeCall.done = 0;
        int r = run(writeCall, 0);
        writeCall.b = null;
        check(r, "write");
    }

    public InputStream getInputStream() {
        return in;
    }

    public OutputStream getOutputStream() {
        return out;
    }

    /** Half-close: sends FIN after the queued data; reading goes on until the peer's FIN. */
    public void shutdownOutput() throws IOException {
        ensureOpen();
        shutdownCall.input = false;
        check(run(shutdownCall, 0), "shutdownOutput");
    }

    /** Discards what arrives from now on; reads return end of stream. */
    public void shutdownInput() throws IOException {
        ensureOpen();
        shutdownCall.input = true;
        check(run(shutdownCall, 0), "shutdownInput");
    }

    /** Closes at once with a RST (as {@code SO_LINGER} 0). */
    public void abort() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        run(abortCall, 0);
    }

    public boolean isConnected() { return connected; }
    /** Remote IPv4 address as an int ({@code Ip4Addr}). */
    public int getRemoteAddress() { return remoteAddr; }
    public int getPort() { return remotePort; }
    public int getLocalPort() { return localPort; }

    private final class Input extends InputStream {
        private final byte[] one = new byte[1];

        @Override
        public int read() throws IOException {
            int n = JwipSocket.this.read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return JwipSocket.this.read(b, off, len);
        }

        @Override
        public void close() throws IOException {
            JwipSocket.this.close();
        }
    }

    private final class Output extends OutputStream {
        private final byte[] one = new byte[1];

        @Override
        public void write(int b) throws IOException {
            one[0] = (byte) b;
            JwipSocket.this.write(one, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            JwipSocket.this.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            JwipSocket.this.close();
        }
    }

    @Override
    Call closer() {
        return closeCall;
    }

    // ================================================================ stack thread

    private final TcpRecv onRecv = new TcpRecv() {
        @Override
        public void recv(TcpPcb p, Pbuf data) {
            if (data == null) {
                rxFin = true;
            } else if (inputShut) {
                tcp.recved(p, data.totalLength());
                PbufPool.free(data);
                return;
            } else {
                data.nextPacket = null;
                if (rxTail == null) {
                    rxHead = data;
                } else {
                    rxTail.nextPacket = data;
                }
                rxTail = data;
            }
            if (parkedRead != null) {
                ReadCall c = parkedRead;
                parkedRead = null;
                c.attempt();
            }
        }
    };

    private final TcpSent onSent = new TcpSent() {
        @Override
        public void sent(TcpPcb p, int len) {
            if (parkedWrite != null) {
                WriteCall c = parkedWrite;
                parkedWrite = null;
                c.attempt();
            }
        }
    };

    private final TcpErr onErr = new TcpErr() {
        @Override
        public void err(Object arg, int err) {
            pcb = null;
            error = err;
            if (parkedConnect != null) {
                parkedConnect.complete(err);
                parkedConnect = null;
            }
            if (parkedWrite != null) {
                parkedWrite.complete(err);
                parkedWrite = null;
            }
            if (parkedRead != null) {
                ReadCall c = parkedRead;
                parkedRead = null;
                c.attempt();
            }
        }
    };

    private final TcpConnected onConnected = new TcpConnected() {
        @Override
        public void connected(TcpPcb p) {
            localPort = p.localPort();
            if (parkedConnect != null) {
                parkedConnect.complete(Err.OK);
                parkedConnect = null;
            }
        }
    };

    private void freeReceived() {
        while (rxHead != null) {
            Pbuf next = rxHead.nextPacket;
            rxHead.nextPacket = null;
            PbufPool.free(rxHead);
            rxHead = next;
        }
        rxTail = null;
        rxOff = 0;
    }

    private final class ConnectCall extends Call {
        int addr;
        int port;

        @Override
        protected void execute() {
            TcpPcb p = tcp.newPcb();
            if (p == null) {
                complete(Err.MEM);
                return;
            }
            adopt(p);
            remoteAddr = addr;
            remotePort = port;
            int e = tcp.connect(p, addr, port, onConnected);
            if (e != Err.OK) {
                tcp.abort(p);
                pcb = null;
                complete(e);
                return;
            }
            localPort = p.localPort();
            parkedConnect = this;
        }
    }

    private final class ReadCall extends Call implements Call.Action {
        byte[] b;
        int off;
        int len;
        int got;

        @Override
        protected void execute() {
            attempt();
        }

        void attempt() {
            if (rxHead != null) {
                if (completeWith(this) && pcb != null && got > 0) {
                    tcp.recved(pcb, got);
                }
            } else if (rxFin || inputShut) {
                complete(EOF);
            } else if (error != Err.OK) {
                complete(error);
            } else if (pcb == null) {
                complete(Err.CLSD);
            } else {
                parkedRead = this;
            }
        }

        /** Copies queued bytes into the caller's array (under the call's lock). */
        @Override
        public int run() {
            int n = 0;
            while (n < len && rxHead != null) {
                int avail = rxHead.totalLength() - rxOff;
                int c = avail < len - n ? avail : len - n;
                rxHead.copyOut(rxOff, b, off + n, c);
                n += c;
                rxOff += c;
                if (rxOff == rxHead.totalLength()) {
                    Pbuf next = rxHead.nextPacket;
                    rxHead.nextPacket = null;
                    PbufPool.free(rxHead);
                    rxHead = next;
                    rxOff = 0;
                    if (next == null) {
                        rxTail = null;
                    }
                }
            }
            got = n;
            return n;
        }
    }

    private final class WriteCall extends Call implements Call.Action {
        byte[] b;
        int off;
        int len;
        int done;
        private static final int MORE = Integer.MIN_VALUE + 3;

        @Override
        protected void execute() {
            attempt();
        }

        void attempt() {
            if (error != Err.OK) {
                complete(error);
                return;
            }
            if (pcb == null || outputShut) {
                complete(Err.CLSD);
                return;
            }
            int r = runIfWanted(this);
            if (r == Call.CANCELLED) {
                return;
            }
            tcp.output(pcb);
            if (r == MORE) {
                parkedWrite = this;
            } else {
                complete(r);
            }
        }

        /** Copies as much as the send buffer takes now (under the call's lock). */
        @Override
        public int run() {
            int chunkMax = 4 * pcb.mss();
            while (done < len) {
                int room = tcp.sndBuf(pcb);
                if (room <= 0) {
                    return MORE;
                }
                int c = len - done;
                if (c > room) {
                    c = room;
                }
                if (c > chunkMax) {
                    c = chunkMax;
                }
                int e = tcp.write(pcb, b, off + done, c);
                if (e == Err.MEM) {
                    // No segment or buffer now: wait for acknowledgements to free some, unless nothing is
                    // in flight that could ever free them.
                    return pcb.sendQueued() > 0 ? MORE : Err.MEM;
                }
                if (e != Err.OK) {
                    return e;
                }
                done += c;
            }
            return Err.OK;
        }
    }

    private final class ShutdownCall extends Call {
        boolean input;

        @Override
        protected void execute() {
            if (input) {
                inputShut = true;
                int n = 0;
                for (Pbuf q = rxHead; q != null; q = q.nextPacket) {
                    n += q.totalLength();
                }
                n -= rxOff;
                freeReceived();
                if (pcb != null) {
                    if (n > 0) {
                        tcp.recved(pcb, n);
                    }
                    tcp.shutdown(pcb, true, false);
                }
                if (parkedRead != null) {
                    parkedRead.complete(EOF);
                    parkedRead = null;
                }
                complete(Err.OK);
            } else {
                outputShut = true;
                complete(pcb == null ? (error != Err.OK ? error : Err.CLSD) : tcp.shutdown(pcb, false, true));
            }
        }
    }

    private final class CloseCall extends Call {
        @Override
        protected void execute() {
            finish(false);
            complete(Err.OK);
        }
    }

    private final class AbortCall extends Call {
        @Override
        protected void execute() {
            finish(true);
            complete(Err.OK);
        }
    }

    private void finish(boolean abort) {
        freeReceived();
        if (parkedRead != null) {
            parkedRead.complete(Err.CLSD);
            parkedRead = null;
        }
        if (parkedWrite != null) {
            parkedWrite.complete(Err.CLSD);
            parkedWrite = null;
        }
        if (parkedConnect != null) {
            parkedConnect.complete(Err.CLSD);
            parkedConnect = null;
        }
        if (pcb != null) {
            if (abort || tcp.close(pcb) != Err.OK) {
                tcp.abort(pcb);
            }
            pcb = null;
        }
    }

    /** Called by the server socket (stack thread) when it closes before this socket was accepted. */
    void abortUnaccepted() {
        closed = true;
        finish(true);
    }
}
