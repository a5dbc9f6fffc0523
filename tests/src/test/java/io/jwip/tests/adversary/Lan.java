package io.jwip.tests.adversary;

import io.jwip.JwipOptions;
import io.jwip.stack.Stack;
import io.jwip.buf.Pbuf;
import io.jwip.examples.services.HttpServer;
import io.jwip.examples.services.TcpEcho;
import io.jwip.netif.Link;
import io.jwip.netif.LinkUpper;
import io.jwip.netif.Netif;
import io.jwip.stats.Stats;
import io.jwip.tcp.Tcp;
import io.jwip.wire.Bytes;
import io.jwip.wire.Ip4Addr;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A small LAN on a virtual clock: the stack under attack (the "server", small pools, the echo and HTTP
 * services), an honest client stack, and any number of scripted hostile hosts ({@link Host}). Packets are
 * copied into a hub and delivered in order, {@link #DELAY_MS} after they were sent, by {@link #run};
 * nothing moves inside a call, so a reply never recurses into its sender. Packets to addresses nobody owns (the replies to spoofed sources) vanish.
 */
final class Lan {
    static final int SERVER = Ip4Addr.of(10, 0, 0, 1);
    static final int CLIENT = Ip4Addr.of(10, 0, 0, 2);
    static final int MASK = Ip4Addr.maskOf(16);

    /** The small pools of the suite: 4 control blocks, 32 buffers. */
    static JwipOptions smallPools() {
        JwipOptions o = new JwipOptions();
        o.tcpPcbs = 4;
        o.pbufs = 32;
        o.tcpSegs = 32;
        o.tcpListeners = 2;
        o.tcpBacklog = 2; // two listeners: the backlogs together fit the four control blocks
        o.tcpTimeWait = 8;
        return o;
    }

    /** A hostile host: gets the packets addressed to it, may act on the clock. */
    interface Host {
        void receive(byte[] ip);

        /** Called at every step; returns the next time it wants to act, or Long.MAX_VALUE. */
        default long tick(long now) {
            return Long.MAX_VALUE;
        }

        /** Called after every packet the LAN delivers (an attacker racing a transfer). */
        default void between() {
        }
    }

    final Stack server;
    final Stack client;
    final Tcp serverTcp;
    final Tcp clientTcp;
    final TcpEcho echo;
    final HttpServer http;
    long now = 1;
    /** One-way delay of the LAN, ms: every packet is delivered this long after it was sent. */
    static final long DELAY_MS = 1;
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private final ArrayDeque<Long> due = new ArrayDeque<>();
    /** Hosts by address; several may share one (a host with several connections, told apart by port). */
    private final Map<Integer, List<Host>> hosts = new HashMap<>();
    private final Port serverPort = new Port();
    private final Port clientPort = new Port();
    final Netif serverNetif;
    final Netif clientNetif;
    long delivered;

    Lan(JwipOptions serverOptions, Path httpRoot) {
        server = new Stack(serverOptions);
        client = new Stack(new JwipOptions());
        serverTcp = Tcp.install(server);
        clientTcp = Tcp.install(client);
        serverTcp.setIsnSecret(0x5eed, 1);
        clientTcp.setIsnSecret(0x5eed, 2);
        serverNetif = new Netif("lan0", 1500, serverPort).configure(SERVER, MASK, 0);
        clientNetif = new Netif("lan0", 1500, clientPort).configure(CLIENT, MASK, 0);
        server.addNetif(serverNetif);
        client.addNetif(clientNetif);
        echo = new TcpEcho(server);
        http = new HttpServer(server, httpRoot);
        check(echo.start(7));
        check(http.start(80));
        server.timers(now);
        client.timers(now);
    }

    private static void check(int err) {
        if (err != 0) {
            throw new IllegalStateException("service did not start: " + err);
        }
    }

    void add(int addr, Host h) {
        hosts.computeIfAbsent(addr, k -> new ArrayList<>()).add(h);
    }

    void remove(int addr) {
        hosts.remove(addr);
    }

    /** A hostile host sends {@code ip} (an IPv4 packet) towards the server. */
    void send(byte[] ip) {
        enqueue(ip.clone());
    }

    private void enqueue(byte[] b) {
        queue.add(b);
        due.add(now + DELAY_MS);
    }

    /**
     * Runs the LAN until {@code until} (virtual ms) or until {@code done} holds, delivering every packet
     * and running every timer on the way. Returns true if {@code done} became true.
     */
    boolean run(long until, java.util.function.BooleanSupplier done) {
        while (true) {
            deliverAll();
            if (done != null && done.getAsBoolean()) {
                return true;
            }
            long next = Math.min(server.timers(now), client.timers(now));
            next = Math.min(next, http.nextDeadline());
            next = Math.min(next, echo.nextDeadline());
            for (List<Host> at : new ArrayList<>(hosts.values())) {
                for (Host h : new ArrayList<>(at)) {
                    next = Math.min(next, h.tick(now));
                }
            }
            if (!due.isEmpty()) {
                if (due.peek() <= now) {
                    continue;
                }
                next = Math.min(next, due.peek());
            }
            if (next > until) {
                now = until;
                server.timers(now);
                client.timers(now);
                deliverAll();
                return done != null && done.getAsBoolean();
            }
            now = next > now ? next : now + 1;
            server.timers(now);
            client.timers(now);
            http.poll();
            echo.poll();
        }
    }

    private void deliverAll() {
        for (int guard = 0; !queue.isEmpty() && due.peek() <= now && guard < 1_000_000; guard++) {
            due.poll();
            byte[] b = queue.poll();
            delivered++;
            int dst = Bytes.i32(b, 16);
            if (dst == SERVER) {
                input(serverNetif, b);
            } else if (dst == CLIENT) {
                input(clientNetif, b);
            } else {
                List<Host> at = hosts.get(dst);
                if (at != null) {
                    for (Host h : new ArrayList<>(at)) {
                        h.receive(b);
                    }
                }
            }
            http.poll();
            echo.poll();
            for (List<Host> at : new ArrayList<>(hosts.values())) {
                for (Host h : new ArrayList<>(at)) {
                    h.between();
                }
            }
        }
    }

    private static void input(Netif n, byte[] b) {
        Pbuf p = n.allocInput(b.length);
        if (p == null) {
            return; // counted by the netif as a link drop
        }
        p.copyIn(0, b, 0, b.length);
        n.input(p);
    }

    /** The hub port of a stack: copies what it sends into the queue. */
    private final class Port implements Link {
        @Override
        public void attach(LinkUpper upper) {
        }

        @Override
        public int output(Pbuf p) {
            byte[] b = new byte[p.totalLength()];
            p.copyOut(0, b, 0, b.length);
            enqueue(b);
            return 0;
        }
    }

    /** High-water marks of the server's pools: buffers, control blocks, segment descriptors. */
    String highWater() {
        Stats s = server.stats();
        return s.pool("PBUF_POOL").max() + "/" + s.pool("PBUF_POOL").capacity() + " buf, "
                + s.pool("TCP_PCB").max() + "/" + s.pool("TCP_PCB").capacity() + " pcb, "
                + s.pool("TCP_SEG").max() + "/" + s.pool("TCP_SEG").capacity() + " seg";
    }

    /** True when the server holds no connection but its listeners (and TIME_WAIT is empty if asked). */
    boolean serverIdle(boolean timeWaitToo) {
        Stats s = server.stats();
        return s.pool("TCP_PCB").used() == 0 && s.pool("TCP_SEG").used() == 0 && s.pool("PBUF_POOL").used() == 0
                && (!timeWaitToo || serverTcp.stats().timeWaitCount() == 0);
    }
}
