package io.jwip.ip;

import io.jwip.Err;
import io.jwip.netif.Netif;
import io.jwip.wire.Ip4Addr;

/**
 * The stack's interfaces, routing and source address selection, in one place (lwIP's {@code ip4_route} and
 * {@code ip4_netif_get_local_ip}; smoltcp's {@code route} and {@code get_source_address}). Every layer that
 * sends asks here which netif a destination goes out on and which of our addresses it comes from.
 *
 * <p>The loopback netif (127.0.0.1/8) is always present. The first other netif added becomes the default
 * route; a destination on no netif's subnet goes there.
 */
public final class Routes {
    private final Netif[] netifs;
    private int count;
    private final Netif loopback;
    private Netif defaultNetif;

    /** @param capacity netifs at most, the loopback one included ({@code JwipOptions.netifs}) */
    public Routes(int capacity, Netif loopback) {
        this.netifs = new Netif[capacity];
        this.loopback = loopback;
        netifs[count++] = loopback;
    }

    /**
     * Adds a netif; the first non-loopback one becomes the default route.
     *
     * @return {@link Err#OK}, or {@link Err#MEM} when the table is full
     */
    public int add(Netif n) {
        if (count == netifs.length) {
            return Err.MEM;
        }
        netifs[count++] = n;
        if (defaultNetif == null && n != loopback) {
            defaultNetif = n;
        }
        return Err.OK;
    }

    /** The loopback netif (127.0.0.1/8). */
    public Netif loopback() { return loopback; }
    /** Sets the netif for destinations that are on no netif's subnet. */
    public void setDefault(Netif n) { defaultNetif = n; }
    public Netif defaultNetif() { return defaultNetif; }
    public int count() { return count; }
    public Netif netif(int i) { return netifs[i]; }

    /**
     * The netif for {@code dst}: loopback for 127/8 and for our own addresses, then the first up netif whose
     * subnet holds {@code dst}, then the default netif (also for the limited broadcast).
     *
     * @return the netif, or null if there is no route
     */
    public Netif route(int dst) {
        if (Ip4Addr.isLoopback(dst)) {
            return loopback;
        }
        for (int i = 0; i < count; i++) {
            Netif n = netifs[i];
            if (n != loopback && n.isUp() && n.address() == dst && dst != 0) {
                return loopback;
            }
        }
        for (int i = 0; i < count; i++) {
            Netif n = netifs[i];
            if (n != loopback && n.isUp() && n.address() != 0 && n.onLink(dst)) {
                return n;
            }
        }
        return defaultNetif != null && defaultNetif.isUp() ? defaultNetif : null;
    }

    /**
     * Our source address for a datagram to {@code dst} that leaves through {@code out} (as {@link #route}
     * chose): the netif's address; through loopback the destination itself when it is one of ours, else
     * 127.0.0.1.
     */
    public int source(int dst, Netif out) {
        if (out == loopback) {
            return isLocal(dst) ? dst : Ip4Addr.LOOPBACK;
        }
        return out.address();
    }

    /** True if {@code a} is one of our addresses (127/8 counts as ours). */
    public boolean isLocal(int a) {
        if (Ip4Addr.isLoopback(a)) {
            return true;
        }
        for (int i = 0; i < count; i++) {
            if (netifs[i].address() == a && a != 0) {
                return true;
            }
        }
        return false;
    }

    /** True if {@code a} is a broadcast address of any netif other than loopback. */
    public boolean isBroadcastAnywhere(int a) {
        for (int i = 0; i < count; i++) {
            Netif n = netifs[i];
            if (n != loopback && n.isBroadcast(a)) {
                return true;
            }
        }
        return false;
    }
}
