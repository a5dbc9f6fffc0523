package io.jwip.tcp;

import io.jwip.Err;
import io.jwip.buf.Pbuf;
import io.jwip.buf.PbufPool;

/**
 * The application callbacks that one segment gives rise to, collected while the segment is processed and
 * fired once, at the end (as lwIP's {@code tcp_input} collects RECV, SENT and CLOSED): the connection is
 * complete (accept, or connected), bytes were acknowledged (sent), in-order data arrived (recv, all of it as
 * one chain - the segment's and what it released from the out-of-order queue), the stream ended (recv with
 * null). Segment processing never calls the application, so it never has to ask whether the connection
 * survived a callback; {@link #fire} asks once, before each callback. Deaths (RST, refused) go through the
 * connection table's deferred errors and are told after these.
 */
final class TcpEvents {
    private final Tcp tcp;
    private TcpPcb pcb;
    private int gen;
    /** The connection became ESTABLISHED; for a passive open, the listener that accepts it. */
    private boolean established;
    private TcpPcb listener;
    private int acked;
    private Pbuf data;
    private boolean eof;

    TcpEvents(Tcp tcp) {
        this.tcp = tcp;
    }

    /** A segment of {@code p} is about to be processed. */
    void begin(TcpPcb p) {
        pcb = p;
        gen = p.gen;
        established = false;
        listener = null;
        acked = 0;
        data = null;
        eof = false;
    }

    /** The handshake completed; {@code l} is the listener of a passive open (null for an active one). */
    void established(TcpPcb l) {
        established = true;
        listener = l;
    }

    /** {@code n} bytes of ours were acknowledged. */
    void acked(int n) {
        acked += n;
    }

    /** In-order data for the application; the events take {@code p}. */
    void data(Pbuf p) {
        if (data == null) {
            data = p;
        } else {
            data.cat(p);
        }
    }

    /** The peer's FIN: the end of the stream. */
    void eof() {
        eof = true;
    }

    /** The connection is still the one the segment was for. */
    private boolean alive() {
        return pcb.isAllocated() && pcb.gen == gen;
    }

    /** Fires what was collected, in order: accept or connected, sent, recv (data), recv (end of stream). */
    void fire() {
        if (established) {
            if (listener != null) {
                TcpAccept a = listener.isAllocated() && listener.state == TcpState.LISTEN ? listener.accept : null;
                int r = a == null ? Err.ABRT : a.accept(listener, pcb);
                if (alive() && r != Err.OK) {
                    tcp.abort(pcb);
                }
            } else if (pcb.connected != null) {
                pcb.connected.connected(pcb);
            }
        }
        if (acked > 0 && alive() && pcb.sent != null && !pcb.appClosed) {
            pcb.sent.sent(pcb, acked);
        }
        if (data != null) {
            Pbuf d = data;
            data = null;
            if (alive() && pcb.recv != null && !pcb.appClosed && !pcb.shutRx) {
                pcb.recv.recv(pcb, d);
            } else {
                // No reader: consumed at once (lwIP's tcp_recv_null), so that the window stays open.
                int n = d.totalLength();
                PbufPool.free(d);
                if (alive()) {
                    pcb.rcvWnd += n;
                }
            }
        }
        if (eof && alive() && pcb.recv != null && !pcb.appClosed && !pcb.shutRx) {
            pcb.recv.recv(pcb, null);
        }
        pcb = null;
        listener = null;
    }
}
