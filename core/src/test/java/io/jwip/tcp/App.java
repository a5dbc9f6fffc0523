package io.jwip.tcp;

import io.jwip.Err;
import io.jwip.buf.Pbuf;
import io.jwip.buf.PbufPool;
import java.io.ByteArrayOutputStream;

/** A test application: records what it receives, consumes at once, remembers errors. */
class App implements TcpAccept, TcpConnected, TcpRecv, TcpSent, TcpErr {
    Tcp tcp;
    TcpPcb pcb;
    final ByteArrayOutputStream received = new ByteArrayOutputStream();
    boolean eof;
    boolean connected;
    int err = Err.OK;
    int sentBytes;
    int accepts;
    final java.util.List<TcpPcb> accepted = new java.util.ArrayList<>();
    /** Close as soon as the peer's FIN arrives. */
    boolean closeOnEof;
    /** Call recved (open the window) at once. */
    boolean autoRecved = true;

    void attach(Tcp t, TcpPcb p) {
        tcp = t;
        pcb = p;
        t.recv(p, this);
        t.sent(p, this);
        t.err(p, this);
    }

    @Override
    public int accept(TcpPcb listener, TcpPcb p) {
        accepts++;
        accepted.add(p);
        attach(tcp, p);
        return Err.OK;
    }

    @Override
    public void connected(TcpPcb p) {
        connected = true;
    }

    @Override
    public void recv(TcpPcb p, Pbuf data) {
        if (data == null) {
            eof = true;
            if (closeOnEof) {
                tcp.close(p);
            }
            return;
        }
        int n = data.totalLength();
        byte[] b = new byte[n];
        data.copyOut(0, b, 0, n);
        received.write(b, 0, n);
        PbufPool.free(data);
        if (autoRecved) {
            tcp.recved(p, n);
        }
    }

    @Override
    public void sent(TcpPcb p, int len) {
        sentBytes += len;
    }

    @Override
    public void err(Object arg, int e) {
        err = e;
        pcb = null;
    }
}
