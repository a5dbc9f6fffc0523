package io.jwip.tests.reallink;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwip.JwipOptions;
import io.jwip.stack.Stack;
import io.jwip.netif.Link;
import io.jwip.netif.Netif;
import io.jwip.netif.pcap.PcapClock;
import io.jwip.netif.pcap.PcapLink;
import io.jwip.netif.pcap.PcapWriter;
import io.jwip.netif.tun.TunLink;
import io.jwip.wire.Ip4Addr;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One jwip stack on a TUN device whose Linux side lives in a throw-away network namespace: the
 * namespace, the device (created here, moved into the namespace, {@code linux/24} there), the stack
 * ({@code jwip/24} on netif {@code tun0}, optionally behind a {@link PcapLink}) and its {@link Driver}.
 * {@link #close()} stops the driver, checks that every pool is full again, closes the capture and the
 * device and deletes the namespace, also when a step before it failed.
 *
 * <p>Callers check {@link RealPeer#requireTunAndNetns()} first.
 */
final class TunRig implements AutoCloseable {
    final Netns ns;
    final TunLink tun;
    final PcapWriter pcap;
    final Stack stack;
    final Netif nif;
    final Driver driver;
    private boolean closed;

    /** Adds another link to the stack before its driver starts; returns how to poll it. */
    interface MoreLinks {
        Driver.Poller add(Stack stack) throws Exception;
    }

    TunRig(String linux, String jwip, JwipOptions o, Path pcapFile) throws Exception {
        this(linux, jwip, o, pcapFile, null);
    }

    TunRig(String linux, String jwip, JwipOptions o, Path pcapFile, MoreLinks more) throws Exception {
        Netns n = new Netns();
        TunLink t = null;
        PcapWriter w = null;
        Driver.Poller extra;
        try {
            t = TunLink.open(new TunLink.Config(Netns.tunName()).netns(n.name).hostAddress(linux + "/24"));
            if (pcapFile != null) {
                Files.createDirectories(pcapFile.toAbsolutePath().getParent());
                w = PcapWriter.create(pcapFile, PcapClock.SYSTEM);
            }
            stack = new Stack(o);
            Link link = w == null ? t : new PcapLink(t, w);
            nif = new Netif("tun0", t.mtu(), link).configure(Ip4Addr.parse(jwip, 0), Ip4Addr.maskOf(24), 0);
            stack.addNetif(nif);
            extra = more == null ? null : more.add(stack);
        } catch (Exception | Error e) {
            if (w != null) {
                w.close();
            }
            if (t != null) {
                t.close();
            }
            n.close();
            throw e;
        }
        ns = n;
        tun = t;
        pcap = w;
        driver = extra == null ? new Driver("tun", stack, t::poll) : new Driver("tun", stack, t::poll, extra);
    }

    /**
     * Waits (real time, bounded) until every pool of the stack is full again: connections the stack
     * closed first leave their control block only when the peer's FIN and ACK have arrived.
     */
    static void awaitPoolsFull(Driver d, long ms) throws Exception {
        long until = System.currentTimeMillis() + ms;
        while (!d.call(() -> d.stack.stats().allPoolsFull()) && System.currentTimeMillis() < until) {
            Thread.sleep(20);
        }
        String notFull = d.call(() -> d.stack.stats().poolsNotFull());
        assertTrue(d.call(() -> d.stack.stats().allPoolsFull()), "pools not full: " + notFull);
    }

    @Override
    public void close() throws Exception {
        if (closed) {
            return;
        }
        closed = true;
        try {
            try {
                awaitPoolsFull(driver, 5_000);
            } finally {
                driver.close();
                System.out.println(tun + "\n" + stack.stats());
            }
        } finally {
            try {
                if (pcap != null) {
                    pcap.close();
                }
                tun.close();
            } finally {
                ns.close();
            }
        }
    }
}
