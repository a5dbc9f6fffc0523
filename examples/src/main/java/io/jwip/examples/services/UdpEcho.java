package io.jwip.examples.services;

import io.jwip.Err;
import io.jwip.stack.Stack;
import io.jwip.buf.Pbuf;
import io.jwip.buf.PbufPool;
import io.jwip.udp.UdpPcb;
import io.jwip.udp.UdpRecv;

/**
 * UDP echo (RFC 862, port 7) on the raw API: each datagram is sent back from the very buffer it arrived
 * in, so the service copies and allocates nothing. Runs on the stack's thread.
 */
public final class UdpEcho implements UdpRecv {
    public static final int PORT = 7;

    private final Stack stack;
    private UdpPcb pcb;
    private long echoed;

    public UdpEcho(Stack stack) {
        this.stack = stack;
    }

    /** Binds to {@code port} on any address. */
    public int start(int port) {
        pcb = stack.udp().newPcb();
        if (pcb == null) {
            return Err.MEM;
        }
        int err = stack.udp().bind(pcb, 0, port);
        if (err != Err.OK) {
            stack.udp().remove(pcb);
            pcb = null;
            return err;
        }
        pcb.recv(this);
        return Err.OK;
    }

    @Override
    public void recv(UdpPcb pc, Pbuf p, int srcAddr, int srcPort) {
        if (stack.udp().sendTo(pc, p, srcAddr, srcPort) == Err.OK) {
            echoed++;
        }
        PbufPool.free(p);
    }

    /** Datagrams echoed so far. */
    public long echoed() {
        return echoed;
    }

    public void stop() {
        if (pcb != null) {
            stack.udp().remove(pcb);
            pcb = null;
        }
    }
}
