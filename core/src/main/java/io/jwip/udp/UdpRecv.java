package io.jwip.udp;

import io.jwip.buf.Pbuf;

/** The raw API's receive callback for UDP (lwIP's {@code udp_recv_fn}). */
public interface UdpRecv {
    /**
     * A datagram arrived for {@code pcb}. {@code p} starts at the UDP payload; the callback <b>takes</b>
     * it: it must free it (or keep it and free it later). Nothing was copied.
     */
    void recv(UdpPcb pcb, Pbuf p, int srcAddr, int srcPort);
}
