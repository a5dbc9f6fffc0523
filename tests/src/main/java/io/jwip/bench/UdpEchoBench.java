package io.jwip.bench;

import io.jwip.Err;
import io.jwip.JwipOptions;
import io.jwip.stack.Stack;
import io.jwip.buf.Pbuf;
import io.jwip.buf.PbufPool;
import io.jwip.examples.services.UdpEcho;
import io.jwip.netif.Netif;
import io.jwip.netif.mem.InMemoryLink;
import io.jwip.udp.UdpPcb;
import io.jwip.udp.UdpRecv;
import io.jwip.wire.Ip4Addr;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * UDP echo round trip between two stacks in one JVM: one operation sends one preallocated datagram from
 * stack a to the echo service on stack b and pumps the wire until the echo is back (2 packets, every layer
 * of both stacks, both directions).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class UdpEchoBench implements UdpRecv {
    @Param({"64"})
    public int payload;

    private Stack a;
    private InMemoryLink wire;
    private UdpPcb pcb;
    private Pbuf datagram;
    private long echoes;
    private static final int B = Ip4Addr.of(10, 0, 0, 2);

    @Setup
    public void setup() {
        JwipOptions o = new JwipOptions();
        a = new Stack(o);
        Stack b = new Stack(o);
        wire = new InMemoryLink(16, 1500);
        a.addNetif(new Netif("mem0", 1500, wire.a()).configure(Ip4Addr.of(10, 0, 0, 1), Ip4Addr.maskOf(24), 0));
        b.addNetif(new Netif("mem0", 1500, wire.b()).configure(B, Ip4Addr.maskOf(24), 0));
        new UdpEcho(b).start(7);
        pcb = a.udp().newPcb();
        a.udp().bind(pcb, 0, 40_000);
        pcb.recv(this);
        datagram = a.allocTransport(8, payload);
        for (int i = 0; i < payload; i++) {
            datagram.buf[datagram.offset() + i] = (byte) i;
        }
    }

    @Override
    public void recv(UdpPcb p, Pbuf data, int srcAddr, int srcPort) {
        echoes++;
        PbufPool.free(data);
    }

    @Benchmark
    public long roundTrip() {
        long before = echoes;
        if (a.udp().sendTo(pcb, datagram, B, 7) != Err.OK) {
            throw new IllegalStateException("send failed");
        }
        wire.pump();
        if (echoes == before) {
            throw new IllegalStateException("no echo");
        }
        return echoes;
    }
}
