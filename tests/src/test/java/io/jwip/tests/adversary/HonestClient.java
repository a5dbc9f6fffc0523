package io.jwip.tests.adversary;

import io.jwip.Err;
import io.jwip.buf.Pbuf;
import io.jwip.buf.PbufPool;
import io.jwip.tcp.TcpConnected;
import io.jwip.tcp.TcpErr;
import io.jwip.tcp.TcpPcb;
import io.jwip.tcp.TcpRecv;
import io.jwip.tcp.TcpSent;

/**
 * The honest client of the adversary suite, on the client stack's raw API: connects to the server's echo
 * service, sends {@code n} bytes, reads them back, closes. A connection that dies is tried again, as a
 * real client would. {@link #ms()} is the virtual time from the first SYN to the last echoed byte.
 */
final class HonestClient implements TcpConnected, TcpRecv, TcpErr, TcpSent {
    private final Lan lan;
    private final byte[] msg;
    private int got;
    private int written;
    private boolean mismatch;
    private TcpPcb pcb;
    long startedAt = -1;
    long doneAt = -1;
    int tries;

    HonestClient(Lan lan, int n) {
        this.lan = lan;
        this.msg = new byte[n];
        for (int i = 0; i < n; i++) {
            msg[i] = (byte) (i * 7 + 3);
        }
    }

    void start() {
        startedAt = lan.now;
        open();
    }

    private void open() {
        tries++;
        got = 0;
        written = 0;
        pcb = lan.clientTcp.newPcb();
        lan.clientTcp.recv(pcb, this);
        lan.clientTcp.sent(pcb, this);
        lan.clientTcp.err(pcb, this);
        if (lan.clientTcp.connect(pcb, Lan.SERVER, 7, this) != Err.OK) {
            throw new IllegalStateException("connect failed");
        }
    }

    @Override
    public void connected(TcpPcb p) {
        writeMore(p);
    }

    @Override
    public void sent(TcpPcb p, int len) {
        writeMore(p);
    }

    private void writeMore(TcpPcb p) {
        int n = Math.min(lan.clientTcp.sndBuf(p), msg.length - written);
        if (n > 0 && lan.clientTcp.write(p, msg, written, n) == Err.OK) {
            written += n;
        }
    }

    @Override
    public void recv(TcpPcb p, Pbuf data) {
        if (data == null) {
            return;
        }
        int n = data.totalLength();
        for (int i = 0; i < n; i++) {
            if (got + i >= msg.length || (byte) data.getByte(i) != msg[got + i]) {
                mismatch = true;
            }
        }
        got += n;
        lan.clientTcp.recved(p, n);
        PbufPool.free(data);
        if (got >= msg.length && doneAt < 0) {
            doneAt = lan.now;
            lan.clientTcp.close(p);
            pcb = null;
        }
    }

    @Override
    public void err(Object arg, int err) {
        pcb = null;
        if (doneAt < 0 && tries < 20) {
            open();
        }
    }

    boolean done() {
        return doneAt >= 0;
    }

    boolean intact() {
        return done() && !mismatch && got == msg.length;
    }

    long ms() {
        return doneAt - startedAt;
    }
}
