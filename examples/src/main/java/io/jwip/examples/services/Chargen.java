package io.jwip.examples.services;

import io.jwip.Err;
import io.jwip.stack.Stack;
import io.jwip.buf.Pbuf;
import io.jwip.buf.PbufPool;
import io.jwip.tcp.TcpErr;
import io.jwip.tcp.TcpPcb;
import io.jwip.tcp.TcpRecv;
import io.jwip.tcp.TcpSent;

/**
 * TCP character generator (RFC 864, port 19): sends lines of 72 printable characters, each starting one
 * character later than the last, for as long as the client reads; discards what it receives; closes when
 * the client does. The whole 95-line cycle is built once; sending copies from it.
 */
public final class Chargen extends TcpService {
    public static final int PORT = 19;
    /** One full cycle of the RFC 864 pattern: 95 lines of 72 characters and CRLF. */
    static final byte[] CYCLE = buildCycle();
    private long bytes;

    public Chargen(Stack stack) {
        super(stack);
    }

    static byte[] buildCycle() {
        byte[] b = new byte[95 * 74];
        int i = 0;
        for (int line = 0; line < 95; line++) {
            for (int c = 0; c < 72; c++) {
                b[i++] = (byte) (32 + (line + c) % 95);
            }
            b[i++] = '\r';
            b[i++] = '\n';
        }
        return b;
    }

    /** Bytes sent so far. */
    public long bytes() {
        return bytes;
    }

    private final class ChargenConn extends Conn implements TcpRecv, TcpSent, TcpErr {
        int pos;

        @Override
        public void recv(TcpPcb p, Pbuf data) {
            if (data == null) {
                closeConn(this);
                return;
            }
            tcp.recved(p, data.totalLength());
            PbufPool.free(data);
        }

        @Override
        public void sent(TcpPcb p, int len) {
            fill();
            poll(); // the acknowledgement freed memory: a connection waiting for some may go on
        }

        @Override
        public void err(Object arg, int err) {
            release(this);
        }

        void fill() {
            TcpPcb p = pcb;
            if (p == null || closing(this)) {
                return;
            }
            while (true) {
                int room = tcp.sndBuf(p);
                int n = Math.min(room, CYCLE.length - pos);
                if (n <= 0) {
                    break; // send buffer full: the sent callback resumes
                }
                int e = tcp.write(p, CYCLE, pos, n);
                if (e != Err.OK) {
                    if (e == Err.MEM) {
                        waitForMemory(this);
                    }
                    break;
                }
                bytes += n;
                pos = (pos + n) % CYCLE.length;
            }
            tcp.output(p);
        }
    }

    @Override
    protected Conn newConn() {
        return new ChargenConn();
    }

    @Override
    protected void resume(Conn c) {
        ((ChargenConn) c).fill();
    }

    @Override
    protected void opened(Conn c) {
        ChargenConn g = (ChargenConn) c;
        g.pos = 0;
        tcp.recv(c.pcb(), g);
        tcp.sent(c.pcb(), g);
        tcp.err(c.pcb(), g);
        g.fill();
    }
}
