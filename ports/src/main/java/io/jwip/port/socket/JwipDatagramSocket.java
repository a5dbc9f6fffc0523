package io.jwip.port.socket;

import io.jwip.Err;
import io.jwip.stack.Stack;
import io.jwip.buf.Pbuf;
import io.jwip.buf.PbufPool;
import io.jwip.port.threaded.Call;
import io.jwip.port.threaded.StackThread;
import io.jwip.udp.UdpPcb;
import io.jwip.udp.UdpRecv;

import java.io.IOException;

/**
 * A blocking UDP socket on the threaded port, after {@code java.net.DatagramSocket}: bind, connect, send,
 * receive with an optional timeout ({@code SO_TIMEOUT}), close.
 *
 * <p>Received datagrams wait, as the stack's own buffers, in a small fixed ring owned by this socket
 * (when it is full, new ones are dropped and counted in {@link #dropped()}). {@link #receive} copies one
 * into the caller's {@link Datagram} on the stack thread; {@link #send} copies the caller's bytes into a
 * pool buffer there. Neither allocates after the socket is made.
 */
public final class JwipDatagramSocket extends StackSocket {
    private static final String KIND = "datagram socket";
    private final Stack stack;
    private UdpPcb pcb;
    private final Pbuf[] rxRing;
    private final int[] rxAddr;
    private final int[] rxPort;
    private int rxHead;
    private int rxCount;
    private long dropped;

    private final OpenCall openCall = new OpenCall();
    private final BindCall bindCall = new BindCall();
    private final SendCall sendCall = new SendCall();
    private final ReceiveCall receiveCall = new ReceiveCall();
    private final CloseCall closeCall = new CloseCall();
    /** The parked receive (stack thread only), or null. */
    private ReceiveCall parked;

    /** Opens an unbound socket with room for {@code queue} received datagrams. */
    public JwipDatagramSocket(StackThread st, int queue) throws IOException {
        super(st, KIND);
        this.stack = st.stack();
        this.rxRing = new Pbuf[queue];
        this.rxAddr = new int[queue];
        this.rxPort = new int[queue];
        check(run(openCall, 0), "open");
    }

    public JwipDatagramSocket(StackThread st) throws IOException {
        this(st, 8);
    }

    /** Binds to a local address (0 = any) and port (0 = ephemeral). */
    public void bind(int addr, int port) throws IOException {
        bindCall.connect = false;
        bindCall.addr = addr;
        bindCall.port = port;
        check(run(bindCall, 0), "bind");
    }

    /** Fixes the remote end: {@link #send(byte[], int, int)} goes there and only its datagrams arrive. */
    public void connect(int addr, int port) throws IOException {
        bindCall.connect = true;
        bindCall.addr = addr;
        bindCall.port = port;
        check(run(bindCall, 0), "connect");
    }

    /** Sends to the connected remote end. */
    public void send(byte[] b, int off, int len) throws IOException {
        send(b, off, len, 0, 0);
    }

    /** Sends one datagram to {@code addr:port} (0:0 = the connected end). */
    public void send(byte[] b, int off, int len, int addr, int port) throws IOException {
        ensureOpen();
        sendCall.b = b;
        sendCall.off = off;
        sendCall.len = len;
        sendCall.addr = addr;
        sendCall.port = port;
        int r = run(sendCall, 0);
        sendCall.b = null;
        check(r, "send");
    }

    /** Waits for a datagram and copies it into {@code d} (honouring {@link #setSoTimeout}). */
    public void receive(Datagram d) throws IOException {
        ensureOpen();
        receiveCall.d = d;
        int r = run(receiveCall, soTimeout);
        if (r == Call.TIMED_OUT) {
            throw SocketErrors.timeout("receive", soTimeout);
        }
        check(r, "receive");
    }

    /** Local port, once bound. */
    public int getLocalPort() {
        return pcb == null ? -1 : pcb.localPort();
    }

    /** Datagrams dropped because the receive ring was full. */
    public long dropped() {
        return dropped;
    }

    @Override
    Call closer() {
        return closeCall;
    }

    // ---------------------------------------------------------------- stack-thread side

    private final UdpRecv onRecv = new UdpRecv() {
        @Override
        public void recv(UdpPcb pc, Pbuf p, int srcAddr, int srcPort) {
            if (rxCount == rxRing.length) {
                dropped++;
                PbufPool.free(p);
                return;
            }
            int i = (rxHead + rxCount) % rxRing.length;
            rxRing[i] = p;
            rxAddr[i] = srcAddr;
            rxPort[i] = srcPort;
            rxCount++;
            if (parked != null) {
                ReceiveCall c = parked;
                parked = null;
                deliver(c);
            }
        }
    };

    /** Copies the oldest queued datagram into the receive call's holder, if the call is still wanted. */
    private void deliver(ReceiveCall c) {
        final int i = rxHead;
        boolean taken = c.completeWith(c);
        if (taken) {
            PbufPool.free(rxRing[i]);
            rxRing[i] = null;
            rxHead = (rxHead + 1) % rxRing.length;
            rxCount--;
        }
    }

    private final class OpenCall extends Call {
        @Override
        protected void execute() {
            pcb = stack.udp().newPcb();
            if (pcb == null) {
                complete(Err.MEM);
                return;
            }
            pcb.recv(onRecv);
            complete(Err.OK);
        }
    }

    private final class BindCall extends Call {
        boolean connect;
        int addr;
        int port;

        @Override
        protected void execute() {
            complete(connect ? stack.udp().connect(pcb, addr, port) : stack.udp().bind(pcb, addr, port));
        }
    }

    private final class SendCall extends Call {
        byte[] b;
        int off;
        int len;
        int addr;
        int port;

        @Override
        protected void execute() {
            if (pcb == null) {
                complete(Err.CLSD);
                return;
            }
            Pbuf p = stack.allocTransport(8, len);
            if (p == null) {
                complete(Err.MEM);
                return;
            }
            p.copyIn(0, b, off, len);
            int r = addr == 0 && port == 0 ? stack.udp().send(pcb, p) : stack.udp().sendTo(pcb, p, addr, port);
            PbufPool.free(p);
            complete(r);
        }
    }

    private final class ReceiveCall extends Call implements Call.Action {
        Datagram d;

        @Override
        protected void execute() {
            if (pcb == null) {
                complete(Err.CLSD);
                return;
            }
            if (rxCount > 0) {
                deliver(this);
            } else {
                parked = this;
            }
        }

        @Override
        public int run() {
            Pbuf p = rxRing[rxHead];
            int n = p.totalLength();
            int cap = d.data.length - d.offset;
            d.truncated = n > cap;
            if (n > cap) {
                n = cap;
            }
            p.copyOut(0, d.data, d.offset, n);
            d.length = n;
            d.addr = rxAddr[rxHead];
            d.port = rxPort[rxHead];
            return Err.OK;
        }
    }

    private final class CloseCall extends Call {
        @Override
        protected void execute() {
            if (parked != null) {
                parked.complete(Err.CLSD);
                parked = null;
            }
            while (rxCount > 0) {
                PbufPool.free(rxRing[rxHead]);
                rxRing[rxHead] = null;
                rxHead = (rxHead + 1) % rxRing.length;
                rxCount--;
            }
            if (pcb != null) {
                stack.udp().remove(pcb);
                pcb = null;
            }
            complete(Err.OK);
        }
    }
}
