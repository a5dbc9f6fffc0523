package io.jwip.tcp;

import io.jwip.buf.Pbuf;

/** Receives in-order data (lwIP's {@code tcp_recv_fn}). */
public interface TcpRecv {
    /**
     * In-order data arrived, or the peer closed its side.
     *
     * @param p the data, or null when the peer's FIN arrived (end of stream). The callee <b>takes</b>
     *          {@code p}: it must free it ({@code PbufPool.free}) when done, and call
     *          {@link Tcp#recved(TcpPcb, int)} with the bytes it consumed so the window opens again.
     */
    void recv(TcpPcb pcb, Pbuf p);
}
