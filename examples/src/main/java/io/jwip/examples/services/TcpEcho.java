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
 * TCP echo (RFC 862, port 7) on the raw API. Received data is written back as the send buffer allows;
 * window is returned to the peer ({@code recved}) only for bytes echoed, so a slow reader slows the
 * writer instead of filling memory. When the client has closed and everything is echoed, the service
 * closes its side.
 */
public final class TcpEcho extends TcpService {
    public static final int PORT = 7;
    private long bytes;

    public TcpEcho(Stack stack) {
        super(stack);
    }

    /** Bytes echoed so far. */
    public long bytes() {
        return bytes;
    }

    private final class EchoConn extends Conn implements TcpRecv, TcpSent, TcpErr {
        /** Data received and not yet echoed, linked by nextPacket; owned here. */
        Pbuf head;
        Pbuf tail;
        /** Bytes of head already echoed. */
        int headOff;
        boolean peerClosed;

        @Override
        public void recv(TcpPcb p, Pbuf data) {
            if (data == null) {
                peerClosed = true;
            } else {
                data.nextPacket = null;
                if (tail == null) {
                    head = data;
                } else {
                    tail.nextPacket = data;
                }
                tail = data;
            }
            pump();
        }

        @Override
        public void sent(TcpPcb p, int len) {
            pump();
            poll(); // the acknowledgement freed memory: a connection waiting for some may go on
        }

        @Override
        public void err(Object arg, int err) {
            drain();
            release(this);
        }

        void pump() {
            TcpPcb p = pcb;
            while (head != null) {
                int room = tcp.sndBuf(p);
                if (room <= 0) {
                    break;
                }
                // Find the buffer of the chain where echoing resumes.
                Pbuf q = head;
                int skip = headOff;
                while (skip >= q.length()) {
                    skip -= q.length();
                    q = q.next();
                }
                int n = q.length() - skip;
                if (n > room) {
                    n = room;
                }
                int e = tcp.write(p, q.buf, q.offset() + skip, n);
                if (e != Err.OK) {
                    if (e == Err.MEM) {
                        waitForMemory(this);
                    }
                    break;
                }
                headOff += n;
                bytes += n;
                tcp.recved(p, n);
                if (headOff == head.totalLength()) {
                    Pbuf next = head.nextPacket;
                    head.nextPacket = null;
                    PbufPool.free(head);
                    head = next;
                    headOff = 0;
                    if (next == null) {
                        tail = null;
                    }
                }
            }
            tcp.output(p);
            if (peerClosed && head == null) {
                closeConn(this);
            }
        }

        void drain() {
            while (head != null) {
                Pbuf next = head.nextPacket;
                head.nextPacket = null;
                PbufPool.free(head);
                head = next;
            }
            tail = null;
            headOff = 0;
        }
    }

    @Override
    protected Conn newConn() {
        return new EchoConn();
    }

    @Override
    protected void resume(Conn c) {
        ((EchoConn) c).pump();
    }

    @Override
    protected void opened(Conn c) {
        EchoConn e = (EchoConn) c;
        e.head = e.tail = null;
        e.headOff = 0;
        e.peerClosed = false;
        tcp.recv(c.pcb(), e);
        tcp.sent(c.pcb(), e);
        tcp.err(c.pcb(), e);
    }
}
