package io.jwip.ppp;

import io.jwip.JwipOptions;
import io.jwip.netif.Netif;
import io.jwip.stack.Stack;
import io.jwip.wire.Ip4Addr;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Two jwip stacks joined by PPP over an in-memory byte pipe on a virtual clock: {@link #server} assigns
 * {@link #CLIENT} to {@link #client}; {@link #run} advances both clocks and carries the bytes.
 */
class PppPair {
    static final int SERVER = Ip4Addr.of(10, 0, 2, 2);
    static final int CLIENT = Ip4Addr.of(10, 0, 2, 15);
    static final int DNS = Ip4Addr.of(10, 0, 2, 3);

    static final class End implements PppSession.Listener, io.jwip.icmp.EchoListener {
        final Stack stack = new Stack(new JwipOptions());
        final io.jwip.tcp.Tcp tcp = io.jwip.tcp.Tcp.install(stack);
        /** Bytes written to the line, and writes (one frame each). */
        long lineBytes;
        long lineFrames;
        final ArrayDeque<byte[]> out = new ArrayDeque<>();
        /** With {@code flat}: writes append here instead of to {@link #out} (no allocation: the alloc test). */
        boolean flat;
        final byte[] flatBuf = new byte[1 << 16];
        int flatLen;
        final PppSession ppp;
        final Netif netif;
        String downReason;
        int ups;
        int replies;
        int dns1;

        End(long seed, int vjSlots) {
            stack.random().setSecret(seed, ~seed); // two ends with one sequence would pick one Magic-Number: a "loop"
            ppp = new PppSession((b, off, n) -> {
                lineBytes += n;
                lineFrames++;
                if (flat) {
                    System.arraycopy(b, off, flatBuf, flatLen, n);
                    flatLen += n;
                } else {
                    out.add(Arrays.copyOfRange(b, off, off + n));
                }
                return true;
            }, 1500);
            ppp.setVj(vjSlots);
            netif = new Netif("ppp0", 1500, ppp);
            stack.addNetif(netif);
            ppp.setListener(this);
            stack.icmp().setEchoListener(this);
        }

        @Override
        public void up(int ours, int peer, int d1, int d2) {
            ups++;
            dns1 = d1;
            netif.configure(ours, 0xffffffff, peer);
            netif.setUp(true);
        }

        @Override
        public void down(String reason) {
            downReason = reason;
        }

        @Override
        public void echoReply(int src, int identifier, int sequence, int dataLength, long now) {
            replies++;
        }
    }

    final End server;
    final End client;
    long now;
    /** Bytes from client to server are corrupted at this index (-1: never). */
    int corruptAt = -1;
    /** Every this many frames from client to server one byte is corrupted (0: never). */
    int corruptEvery;
    private long clientFrames;
    boolean serverSilent;
    /** Frames of this protocol from the server are lost on the line (0: none). */
    int dropFromServer;
    private final HdlcFraming serverFrames = new HdlcFraming(1600);
    private int lastServerProtocol;

    PppPair() {
        this(PppSession.DEFAULT_VJ_SLOTS);
    }

    /** Two ends offering {@code vjSlots} VJ slots each (0: no VJ compression). */
    PppPair(int vjSlots) {
        this(vjSlots, vjSlots);
    }

    PppPair(int serverVj, int clientVj) {
        this(serverVj, clientVj, true);
    }

    /** With {@code start} false the ends are configured but LCP waits for {@link #start()} (to set credentials first). */
    PppPair(int serverVj, int clientVj, boolean start) {
        server = new End(1, serverVj);
        client = new End(2, clientVj);
        server.ppp.server(SERVER, CLIENT, DNS, 0);
        server.stack.timers(0);
        client.stack.timers(0);
        if (start) {
            start();
        }
    }

    /** The PPP protocol of one framed write of the server's (-1 if it does not decode). */
    private int protocolOf(byte[] b) {
        lastServerProtocol = -1;
        serverFrames.setRxAccm(0);
        serverFrames.setReceiver(new HdlcFraming.Receiver() {
            @Override
            public void frame(int protocol, byte[] frame, int off, int len) {
                lastServerProtocol = protocol;
            }

            @Override
            public void dropped(int reason) {
            }
        });
        serverFrames.decode(b, 0, b.length);
        return lastServerProtocol;
    }

    void start() {
        server.ppp.start();
        client.ppp.start();
    }

    void run(long ms) {
        for (long end = now + ms; now < end; now += 10) {
            server.stack.timers(now);
            client.stack.timers(now);
            pump();
        }
    }

    void pump() {
        for (int i = 0; i < 50 && (client.flatLen > 0 || server.flatLen > 0); i++) {
            if (client.flatLen > 0) {
                int n = client.flatLen;
                client.flatLen = 0;
                server.ppp.received(client.flatBuf, 0, n);
            }
            if (server.flatLen > 0) {
                int n = server.flatLen;
                server.flatLen = 0;
                client.ppp.received(server.flatBuf, 0, n);
            }
        }
        for (int i = 0; i < 50 && (!server.out.isEmpty() || !client.out.isEmpty()); i++) {
            while (!client.out.isEmpty()) {
                byte[] b = client.out.poll();
                if (corruptAt >= 0 && corruptAt < b.length) {
                    b[corruptAt] ^= 0x40;
                }
                if (corruptEvery > 0 && ++clientFrames % corruptEvery == 0) {
                    b[b.length / 2] ^= 0x01;
                }
                server.ppp.received(b, 0, b.length);
            }
            while (!server.out.isEmpty()) {
                byte[] b = server.out.poll();
                if (dropFromServer != 0 && protocolOf(b) == dropFromServer) {
                    continue;
                }
                if (!serverSilent) {
                    client.ppp.received(b, 0, b.length);
                }
            }
        }
    }
}
