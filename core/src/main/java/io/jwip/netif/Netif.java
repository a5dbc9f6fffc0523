package io.jwip.netif;

import io.jwip.Err;
import io.jwip.stack.Stack;
import io.jwip.buf.Pbuf;
import io.jwip.stats.Drop;
import io.jwip.wire.Ip4Addr;

/**
 * A network interface: a name, an MTU, an IPv4 address with netmask and gateway, and the {@link Link}
 * that carries its packets (lwIP's {@code struct netif}).
 *
 * <p>Create it with a link, then {@link Stack#addNetif(Netif)}; from then on the link delivers received
 * packets through {@link #input(Pbuf)} and the stack transmits through {@link #output(Pbuf)}.
 */
public final class Netif implements LinkUpper {
    private final String name;
    private final Link link;
    private int mtu;
    private int addr;
    private int mask;
    private int gw;
    private boolean up = true;
    private String downReason;
    private Stack stack;

    /**
     * @param name a short name shown in stats and traces, e.g. {@code "sl0"}
     * @param mtu  largest IPv4 packet the link carries, e.g. 1500 (at least 68, RFC 791)
     * @param link the driver; it is attached to this netif now
     */
    public Netif(String name, int mtu, Link link) {
        if (mtu < 68) {
            throw new IllegalArgumentException("MTU must be at least 68 (RFC 791), is " + mtu);
        }
        this.name = name;
        this.mtu = mtu;
        this.link = link;
        link.attach(this);
    }

    /** Sets address, netmask and gateway (0 for none). */
    public Netif configure(int address, int netmask, int gateway) {
        this.addr = address;
        this.mask = netmask;
        this.gw = gateway;
        return this;
    }

    /** Called by {@link Stack#addNetif}; a netif belongs to one stack. */
    public void bind(Stack s) {
        if (stack != null && stack != s) {
            throw new IllegalStateException("netif " + name + " already belongs to a stack");
        }
        stack = s;
    }

    public String name() { return name; }
    public Link link() { return link; }
    public int mtu() { return mtu; }
    public void setMtu(int mtu) { this.mtu = mtu; }
    public int address() { return addr; }
    public int netmask() { return mask; }
    public int gateway() { return gw; }
    public boolean isUp() { return up; }
    /** Brings the netif up (clearing the down reason) or down. */
    public void setUp(boolean up) {
        this.up = up;
        if (up) {
            downReason = null;
        }
    }
    /** Why the link took the netif down ({@link #linkDown}), or null. */
    public String downReason() { return downReason; }
    public Stack stack() { return stack; }

    /** True if {@code a} is in this netif's subnet. */
    public boolean onLink(int a) {
        return (a & mask) == (addr & mask);
    }

    /** True if {@code a} is the limited broadcast or this netif's directed (subnet) broadcast. */
    public boolean isBroadcast(int a) {
        if (a == Ip4Addr.BROADCAST || a == Ip4Addr.ANY) {
            return true;
        }
        return mask != 0xffffffff && (a & ~mask) == ~mask && onLink(a);
    }

    @Override
    public Pbuf allocInput(int len) {
        Pbuf p = stack.pbufPool().alloc(0, len);
        if (p == null) {
            stack.stats().drop(Drop.LINK_NO_BUFFER);
        }
        return p;
    }

    @Override
    public void drop(int reason) {
        if (stack != null) {
            stack.stats().drop(reason);
        }
    }

    @Override
    public void linkDown(String reason) {
        up = false;
        downReason = reason;
    }

    @Override
    public void input(Pbuf p) {
        stack.stats().link.recv++;
        if (!up) {
            stack.stats().drop(Drop.LINK_DOWN);
            io.jwip.buf.PbufPool.free(p);
            return;
        }
        stack.ipInput(p, this);
    }

    /** Transmits an IPv4 packet; uses {@code p} (see {@link Link#output}). */
    public int output(Pbuf p) {
        if (!up) {
            stack.stats().drop(Drop.LINK_DOWN);
            return Err.IF;
        }
        stack.stats().link.xmit++;
        return link.output(p);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(name).append(' ');
        Ip4Addr.append(sb, addr).append('/').append(Integer.bitCount(mask)).append(" mtu ").append(mtu);
        return sb.toString();
    }
}
