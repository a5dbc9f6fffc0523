package io.jwip.bench;

import io.jwip.Err;
import io.jwip.JwipOptions;
import io.jwip.stack.Stack;
import io.jwip.buf.Pbuf;
import io.jwip.buf.PbufPool;
import io.jwip.netif.Netif;
import io.jwip.netif.mem.InMemoryLink;
import io.jwip.tcp.Tcp;
import io.jwip.tcp.TcpAccept;
import io.jwip.tcp.TcpConnected;
import io.jwip.tcp.TcpErr;
import io.jwip.tcp.TcpPcb;
import io.jwip.tcp.TcpRecv;
import io.jwip.tcp.TcpSent;
import io.jwip.wire.Ip4Addr;

/**
 * An endless TCP stream between two stacks in one JVM over the lossless in-memory wire, on the calling
 * thread with a virtual protocol clock: the JMH bulk benchmark moves a fixed number of bytes per operation
 * with {@link #move(long)}. Either side can be the sender: the client (the active opener on stack a) or the
 * server (the connection stack b accepted), so both the active and the passive pcb's send path are measured.
 *
 * <p>Nothing here allocates after {@link #BulkPair}: the callbacks are fields, the data comes from one
 * pattern array, and received pbufs are freed at once.
 */
public final class BulkPair {
    /** The stream repeats every {@link #PERIOD} bytes. */
    static final int PERIOD = 65536;
    /**
     * Two periods back to back, so that a write of up to one period never has to be split at the wrap: with
     * split writes jwip's send queue (which does not merge a write into the last unsent segment) fills with
     * ever more short segments until the pool is out of buffers, and the sender can no longer receive ACKs.
     */
    static final byte[] PATTERN = new byte[2 * PERIOD];

    static {
        for (int i = 0; i < PATTERN.length; i++) {
            PATTERN[i] = (byte) (i * 31 + (i >>> 8));
        }
    }

    public final Stack a;
    public final Stack b;
    final Tcp ta;
    final Tcp tb;
    final InMemoryLink wire;
    private long now;

    /** The sending side's Tcp and pcb, fixed once the connection is up. */
    private Tcp sendTcp;
    private TcpPcb sendPcb;
    private Tcp recvTcp;
    private long received;
    private int pos;
    private int error = Err.OK;
    private final boolean serverSends;
    private TcpPcb clientPcb;
    private TcpPcb serverPcb;
    private boolean connected;

    /**
     * @param o           options for both stacks
     * @param serverSends true: the accepted connection on b sends to the client on a; false: a sends to b
     */
    public BulkPair(JwipOptions o, boolean serverSends) {
        this.serverSends = serverSends;
        int mtu = Math.max(576, Math.min(65535, o.tcpMss + 40));
        if (o.pbufSize < mtu + o.linkHeadroom + 64) {
            o.pbufSize = Math.min(65535, mtu + o.linkHeadroom + 64);
        }
        a = new Stack(o);
        b = new Stack(o);
        ta = Tcp.install(a);
        tb = Tcp.install(b);
        ta.setIsnSecret(1, 2);
        tb.setIsnSecret(3, 4);
        wire = new InMemoryLink(Math.max(64, o.pbufs), mtu);
        a.addNetif(new Netif("mem0", mtu, wire.a()).configure(Ip4Addr.of(10, 0, 0, 1), Ip4Addr.maskOf(24), 0));
        b.addNetif(new Netif("mem0", mtu, wire.b()).configure(Ip4Addr.of(10, 0, 0, 2), Ip4Addr.maskOf(24), 0));
        TcpPcb l = tb.newListener();
        tb.bind(l, 0, 9);
        tb.listen(l, 1);
        tb.accept(l, onAccept);
        clientPcb = ta.newPcb();
        ta.err(clientPcb, onErr);
        if (ta.connect(clientPcb, Ip4Addr.of(10, 0, 0, 2), 9, onConnected) != Err.OK) {
            throw new IllegalStateException("connect failed");
        }
        for (int i = 0; i < 1000 && !(connected && serverPcb != null); i++) {
            step();
        }
        if (!connected || serverPcb == null) {
            throw new IllegalStateException("no connection between the two stacks");
        }
        if (serverSends) {
            sendTcp = tb;
            sendPcb = serverPcb;
            recvTcp = ta;
            ta.recv(clientPcb, onRecv);
            tb.sent(serverPcb, onSent);
        } else {
            sendTcp = ta;
            sendPcb = clientPcb;
            recvTcp = tb;
            tb.recv(serverPcb, onRecv);
            ta.sent(clientPcb, onSent);
        }
    }

    private final TcpConnected onConnected = new TcpConnected() {
        @Override
        public void connected(TcpPcb p) {
            connected = true;
        }
    };

    private final TcpAccept onAccept = new TcpAccept() {
        @Override
        public int accept(TcpPcb l, TcpPcb pcb) {
            serverPcb = pcb;
            tb.err(pcb, onErr);
            return Err.OK;
        }
    };

    private final TcpErr onErr = new TcpErr() {
        @Override
        public void err(Object arg, int e) {
            error = e;
        }
    };

    private final TcpSent onSent = new TcpSent() {
        @Override
        public void sent(TcpPcb p, int len) {
            fill();
        }
    };

    private final TcpRecv onRecv = new TcpRecv() {
        @Override
        public void recv(TcpPcb p, Pbuf data) {
            if (data == null) {
                error = Err.CONN;
                return;
            }
            int n = data.totalLength();
            received += n;
            recvTcp.recved(p, n);
            PbufPool.free(data);
        }
    };

    private void fill() {
        TcpPcb p = sendPcb;
        for (;;) {
            int room = sendTcp.sndBuf(p);
            if (room <= 0) {
                break;
            }
            int n = Math.min(room, PERIOD);
            if (sendTcp.write(p, PATTERN, pos, n) != Err.OK) {
                break;
            }
            pos = (pos + n) & (PERIOD - 1);
        }
        sendTcp.output(p);
    }

    /** One round: deliver what is on the wire, run timers; jumps the virtual clock when idle. */
    private int step() {
        int moved = wire.pump(now);
        long da = a.timers(now);
        long db = b.timers(now);
        if (moved == 0) {
            long next = Math.min(wire.nextDeadline(), Math.min(da, db));
            if (next != Stack.NO_DEADLINE && next > now) {
                now = next;
            }
        }
        return moved;
    }

    /**
     * Streams {@code bytes} more from the sender to the receiver.
     *
     * @return segments both stacks sent meanwhile (data and ACKs)
     */
    public long move(long bytes) {
        long target = received + bytes;
        long segs = a.stats().tcp.xmit + b.stats().tcp.xmit;
        int idle = 0;
        fill();
        while (received < target) {
            if (step() == 0) {
                fill();
                if (++idle > 10_000) {
                    throw new IllegalStateException("stream stalled: " + Err.text(error) + " after " + received + " bytes");
                }
            } else {
                idle = 0;
            }
        }
        return a.stats().tcp.xmit + b.stats().tcp.xmit - segs;
    }

    /** Bytes received so far. */
    public long received() {
        return received;
    }

    public boolean serverSends() {
        return serverSends;
    }

    public int error() {
        return error;
    }
}
