package io.jwip.netif.pcap;

import io.jwip.buf.Pbuf;
import io.jwip.netif.Link;
import io.jwip.netif.LinkUpper;

/**
 * A capture decorator: sits between a netif and its link, records every packet that crosses in either
 * direction to a {@link PcapWriter}, and passes it on unchanged.
 *
 * <pre>
 *   Netif --output--&gt; PcapLink --output--&gt; inner link        (recorded before the link sees it)
 *   Netif &lt;--input--- PcapLink &lt;--input--- inner link        (recorded before the stack sees it)
 * </pre>
 *
 * Use: {@code new Netif("mem0", 1500, new PcapLink(link, writer))}. Recording neither allocates nor throws
 * (see {@link PcapWriter}); a failing capture switches itself off and the packets keep flowing.
 */
public final class PcapLink implements Link, LinkUpper {
    private final Link inner;
    private final PcapWriter writer;
    private LinkUpper upper;
    private long sent;
    private long received;

    public PcapLink(Link inner, PcapWriter writer) {
        this.inner = inner;
        this.writer = writer;
    }

    @Override
    public void attach(LinkUpper upper) {
        this.upper = upper;
        inner.attach(this);
    }

    /** Records, then sends. Uses {@code p}. */
    @Override
    public int output(Pbuf p) {
        sent++;
        writer.write(p);
        return inner.output(p);
    }

    @Override
    public Pbuf allocInput(int len) {
        return upper.allocInput(len);
    }

    /** Records, then hands on. Takes {@code p} (and gives it to the netif). */
    @Override
    public void input(Pbuf p) {
        input(p, 0);
    }

    @Override
    public void input(Pbuf p, int checksumsVerified) {
        received++;
        writer.write(p);
        upper.input(p, checksumsVerified);
    }

    @Override
    public void drop(int reason) {
        upper.drop(reason);
    }

    @Override
    public void linkDown(String reason) {
        upper.linkDown(reason);
    }

    /** The link this decorates. */
    public Link inner() { return inner; }

    /** The inner link may have a protocol of its own (PPP, Ethernet): it joins the stack too. */
    @Override
    public void joined(io.jwip.buf.PbufPool pool, io.jwip.stats.Stats stats, io.jwip.StackTime time,
                       io.jwip.StackRandom random) {
        inner.joined(pool, stats, time, random);
    }

    @Override
    public void addressChanged(int address, int netmask, int gateway) {
        inner.addressChanged(address, netmask, gateway);
    }

    @Override
    public long timers(long now) {
        return inner.timers(now);
    }
    public PcapWriter writer() { return writer; }
    /** Packets recorded on the way out. */
    public long sent() { return sent; }
    /** Packets recorded on the way in. */
    public long received() { return received; }
}
