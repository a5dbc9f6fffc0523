package io.jwip.examples.services;

import io.jwip.stack.Stack;
import io.jwip.buf.Pbuf;
import io.jwip.buf.PbufPool;
import io.jwip.tcp.TcpErr;
import io.jwip.tcp.TcpPcb;
import io.jwip.tcp.TcpRecv;

/** TCP discard (RFC 863, port 9): reads and throws away everything; closes when the client does. */
public final class Discard extends TcpService {
    public static final int PORT = 9;
    private long bytes;

    public Discard(Stack stack) {
        super(stack);
    }

    /** Bytes discarded so far. */
    public long bytes() {
        return bytes;
    }

    private final class DiscardConn extends Conn implements TcpRecv, TcpErr {
        @Override
        public void recv(TcpPcb p, Pbuf data) {
            if (data == null) {
                closeConn(this);
                return;
            }
            int n = data.totalLength();
            bytes += n;
            tcp.recved(p, n);
            PbufPool.free(data);
        }

        @Override
        public void err(Object arg, int err) {
            release(this);
        }
    }

    @Override
    protected Conn newConn() {
        return new DiscardConn();
    }

    @Override
    protected void resume(Conn c) {
        // discard never writes
    }

    @Override
    protected void opened(Conn c) {
        DiscardConn d = (DiscardConn) c;
        tcp.recv(c.pcb(), d);
        tcp.err(c.pcb(), d);
    }
}
