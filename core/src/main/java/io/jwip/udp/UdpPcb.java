package io.jwip.udp;

import io.jwip.mem.PoolEntry;

/**
 * A UDP control block (lwIP's {@code udp_pcb}), from the {@code UDP_PCB} pool. Obtain one with
 * {@link Udp#newPcb()}, give it back with {@link Udp#remove(UdpPcb)}.
 */
public final class UdpPcb extends PoolEntry {
    /** Local address ({@code 0} = any), valid once bound. */
    int localAddr;
    /** Local port, 0 until bound. */
    int localPort;
    /** Remote address and port, valid while {@link #connected}. */
    int remoteAddr;
    int remotePort;
    boolean connected;
    /** In the active list (bound). */
    boolean bound;
    int ttl;
    int tos;
    UdpRecv recv;
    /** Next bound pcb. */
    UdpPcb next;
    /** Free for the application's use (lwIP's {@code recv_arg}). */
    public Object arg;

    public int localAddr() { return localAddr; }
    public int localPort() { return localPort; }
    public int remoteAddr() { return remoteAddr; }
    public int remotePort() { return remotePort; }
    public boolean isConnected() { return connected; }

    /** Sets the receive callback (null: datagrams for this pcb are counted and dropped). */
    public void recv(UdpRecv cb) { this.recv = cb; }

    public void setTtl(int ttl) { this.ttl = ttl; }
}
