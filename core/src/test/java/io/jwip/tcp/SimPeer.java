package io.jwip.tcp;

import io.jwip.Err;
import io.jwip.buf.Pbuf;
import io.jwip.buf.PbufPool;

/**
 * A bulk-transfer application for the simulated-link tests: writes {@code toSend} bytes of a pattern as
 * fast as the send buffer allows, then shuts down its sending side; checks every byte received against
 * the peer's pattern; closes when the peer's FIN arrives. Allocation-free after construction.
 */
final class SimPeer implements TcpAccept, TcpConnected, TcpRecv, TcpSent, TcpErr {
    static final int PATTERN = 65521; // a prime: a misplaced block cannot match by accident
    final Tcp tcp;
    final byte[] out;
    final byte[] expectIn;
    final byte[] scratch = new byte[4096];
    TcpPcb pcb;
    long toSend;
    long written;
    long received;
    long mismatches;
    boolean shutDown;
    boolean eof;
    boolean closed;
    boolean connected;
    int err = Err.OK;
    /** Close when the peer's FIN arrives (else the test closes later). */
    boolean closeOnEof = true;
    /** Shut down sending after everything is written. */
    boolean shutdownWhenDone = true;

    SimPeer(Tcp tcp, int myDir, long toSend) {
        this.tcp = tcp;
        this.toSend = toSend;
        out = pattern(myDir);
        expectIn = pattern(1 - myDir);
    }

    static byte[] pattern(int dir) {
        byte[] p = new byte[PATTERN];
        long x = 0x1234567L + dir * 0x9E3779B9L;
        for (int i = 0; i < p.length; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            p[i] = (byte) (x >>> 56);
        }
        return p;
    }

    void attach(TcpPcb p) {
        pcb = p;
        tcp.recv(p, this);
        tcp.sent(p, this);
        tcp.err(p, this);
    }

    /** Writes as much as fits; after the last byte shuts down the sending side. */
    void pump() {
        if (pcb == null || closed || !connected) {
            return;
        }
        while (written < toSend) {
            int room = tcp.sndBuf(pcb);
            int off = (int) (written % PATTERN);
            long n = toSend - written;
            if (n > room) {
                n = room;
            }
            if (n > 2920) {
                n = 2920;
            }
            if (n > PATTERN - off) {
                n = PATTERN - off;
            }
            if (n <= 0) {
                return;
            }
            int e = tcp.write(pcb, out, off, (int) n);
            if (e != Err.OK) {
                return;
            }
            written += n;
        }
        if (!shutDown && shutdownWhenDone) {
            if (tcp.shutdown(pcb, false, true) == Err.OK) {
                shutDown = true;
            }
        }
        if (eof && closeOnEof && written == toSend) {
            close();
        }
    }

    @Override
    public int accept(TcpPcb listener, TcpPcb p) {
        attach(p);
        connected = true;
        pump();
        return Err.OK;
    }

    @Override
    public void connected(TcpPcb p) {
        connected = true;
        pump();
    }

    @Override
    public void recv(TcpPcb p, Pbuf data) {
        if (data == null) {
            eof = true;
            if (closeOnEof && written == toSend) {
                close(); // else pump() closes once everything is written
            }
            return;
        }
        int n = data.totalLength();
        int done = 0;
        while (done < n) {
            int c = n - done < scratch.length ? n - done : scratch.length;
            data.copyOut(done, scratch, 0, c);
            for (int i = 0; i < c; i++) {
                if (scratch[i] != expectIn[(int) ((received + i) % PATTERN)]) {
                    mismatches++;
                }
            }
            received += c;
            done += c;
        }
        PbufPool.free(data);
        tcp.recved(p, n);
    }

    void close() {
        if (!closed && pcb != null) {
            if (tcp.close(pcb) == Err.OK) {
                closed = true;
            }
        }
    }

    @Override
    public void sent(TcpPcb p, int len) {
        pump();
    }

    @Override
    public void err(Object arg, int e) {
        err = e;
        pcb = null;
    }
}
