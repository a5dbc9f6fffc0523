package io.jwip.tests.adversary;

import io.jwip.wire.Bytes;
import io.jwip.wire.Checksum;
import io.jwip.wire.TcpFlags;
import io.jwip.wire.TcpHeader;

/**
 * A hostile host that speaks TCP by hand: it builds segments byte by byte (as scapy would) and records
 * the server's answers. One connection per instance (one local port); {@link #onSegment} decides what it
 * answers, so each scenario scripts its own misbehaviour.
 */
class RawPeer implements Lan.Host {
    static final int S = TcpFlags.SYN;
    static final int A = TcpFlags.ACK;
    static final int F = TcpFlags.FIN;
    static final int R = TcpFlags.RST;

    final Lan lan;
    final int addr;
    final int port;
    final int serverPort;
    /** Our next sequence number, and what we acknowledge of the server's. */
    int seq = 1000;
    int ack;
    /** The window we announce. */
    int wnd = 8760;
    boolean established;
    boolean serverFin;
    boolean reset;
    long segmentsIn;
    long dataIn;

    RawPeer(Lan lan, int addr, int port, int serverPort) {
        this.lan = lan;
        this.addr = addr;
        this.port = port;
        this.serverPort = serverPort;
        lan.add(addr, this);
    }

    /** Sends a segment with our current numbers. */
    void send(int flags, byte[] data) {
        sendRaw(addr, port, flags, seq, ack, wnd, data);
        if ((flags & (S | F)) != 0) {
            seq++;
        }
        seq += data.length;
    }

    void send(int flags) {
        send(flags, new byte[0]);
    }

    /** Sends any segment from {@code src:sport} to the server, e.g. spoofed. */
    void sendRaw(int src, int sport, int flags, int s, int a, int w, byte[] data) {
        lan.send(segment(src, sport, Lan.SERVER, serverPort, flags, s, a, w, data, (flags & S) != 0 ? 1460 : -1));
    }

    void connect() {
        send(S);
    }

    @Override
    public void receive(byte[] ip) {
        int hl = (ip[0] & 0x0f) * 4;
        if (ip[9] != 6) {
            return;
        }
        TcpHeader h = new TcpHeader().wrap(ip, hl);
        if (h.destinationPort() != port) {
            return;
        }
        segmentsIn++;
        int flags = h.flags();
        int len = ip.length - hl - h.headerLength();
        if ((flags & R) != 0) {
            reset = true;
            return;
        }
        if ((flags & S) != 0 && (flags & A) != 0 && !established) {
            ack = h.seq() + 1;
            established = true;
            onEstablished();
            return;
        }
        dataIn += len;
        if ((flags & F) != 0) {
            serverFin = true;
        }
        onSegment(flags, h.seq(), h.ack(), h.window(), len);
    }

    /** The handshake completed (the SYN,ACK came); by default: ACK it. */
    void onEstablished() {
        send(A);
    }

    /**
     * A segment from the server; by default a well-behaved receiver: acknowledge data and FIN as they
     * arrive in order.
     */
    void onSegment(int flags, int sseq, int sack, int swnd, int len) {
        int end = sseq + len + ((flags & F) != 0 ? 1 : 0);
        if (len > 0 || (flags & F) != 0) {
            if (sseq == ack) {
                ack = end;
            }
            send(A);
        }
    }

    /** An IPv4 + TCP packet, checksums filled. */
    static byte[] segment(int src, int sport, int dst, int dport, int flags, int seq, int ack, int wnd,
            byte[] data, int mss) {
        int thl = mss > 0 ? 24 : 20;
        int tot = 20 + thl + data.length;
        byte[] b = new byte[tot];
        b[0] = 0x45;
        Bytes.put16(b, 2, tot);
        b[8] = 64;
        b[9] = 6;
        Bytes.put32(b, 12, src);
        Bytes.put32(b, 16, dst);
        Bytes.put16(b, 10, Checksum.of(b, 0, 20));
        TcpHeader h = new TcpHeader().wrap(b, 20);
        h.sourcePort(sport).destinationPort(dport).seq(seq).ack(ack).headerLength(thl).flags(flags).window(wnd);
        if (mss > 0) {
            h.mssOption(mss);
        }
        System.arraycopy(data, 0, b, 20 + thl, data.length);
        long sum = Checksum.addPseudoHeader(0, src, dst, 6, thl + data.length);
        h.checksum(Checksum.finish(Checksum.add(sum, b, 20, thl + data.length)));
        return b;
    }
}
