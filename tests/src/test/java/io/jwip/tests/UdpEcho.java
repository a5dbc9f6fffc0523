package io.jwip.tests;

import io.jwip.Err;
import io.jwip.stack.Stack;
import io.jwip.buf.Pbuf;
import io.jwip.buf.PbufPool;
import io.jwip.udp.UdpPcb;
import io.jwip.udp.UdpRecv;

/**
 * A UDP echo service (RFC 862) on the raw API: every datagram is sent back to where it came from, in the
 * very buffer it arrived in, then freed. Allocates nothing.
 */
final class UdpEcho implements UdpRecv {
    final Stack stack;
    final UdpPcb pcb;
    long echoed;
    long failed;

    UdpEcho(Stack stack, int port) {
        this.stack = stack;
        this.pcb = stack.udp().newPcb();
        if (stack.udp().bind(pcb, 0, port) != Err.OK) {
            throw new IllegalStateException("cannot bind UDP port " + port);
        }
        pcb.recv(this);
    }

    @Override
    public void recv(UdpPcb pcb, Pbuf p, int srcAddr, int srcPort) {
        if (stack.udp().sendTo(pcb, p, srcAddr, srcPort) == Err.OK) {
            echoed++;
        } else {
            failed++;
        }
        PbufPool.free(p);
    }

    void close() {
        stack.udp().remove(pcb);
    }
}
