package io.jwip.netif.tun;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import io.jwip.Err;
import io.jwip.buf.Pbuf;
import io.jwip.netif.Link;
import io.jwip.netif.LinkException;
import io.jwip.netif.Batching;
import io.jwip.netif.LinkUpper;
import io.jwip.netif.Netif;
import io.jwip.netif.Pollable;
import io.jwip.netif.Readiness;
import io.jwip.netif.Wakeup;
import io.jwip.stats.Drop;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Linux TUN device ({@code /dev/net/tun}, {@code IFF_TUN | IFF_NO_PI}) as a jwip link: every read is
 * one IPv4 packet, every write sends one. Linux is the peer: whatever the host routes to the device
 * arrives here.
 *
 * <h2>Use</h2>
 * <pre>
 *   TunLink tun = TunLink.open(new TunLink.Config("jw0").hostAddress("10.0.0.1/24"));
 *   Netif nif = new Netif("tun0", tun.mtu(), tun).configure(Ip4Addr.parse("10.0.0.2"), mask, 0);
 *   stack.addNetif(nif);
 *   while (running) { tun.poll(); stack.timers(clock); }
 * </pre>
 * With {@link Config#netns(String)} the device is created here (in the JVM's namespace), then moved into
 * the named network namespace and configured there, so the Linux tools in that namespace talk to jwip
 * and nothing leaves it. The file descriptor stays attached across the move.
 *
 * <h2>TAP</h2>
 * With {@link Config#tap(boolean)} the device is a TAP ({@code IFF_TAP | IFF_NO_PI}): every read and write
 * is one Ethernet frame, and the netif needs an {@code io.jwip.eth.EthernetLink} between itself and this
 * link: {@code new Netif("tap0", tap.mtu(), new EthernetLink(options, mac, tap))}.
 *
 * <h2>Readiness</h2>
 * The descriptor is non-blocking and offered to the port ({@link Readiness#fd()}): the port sleeps in
 * {@code poll(2)} until the kernel has a packet for us, and each {@link #poll()} then reads until the
 * device is empty ({@code EAGAIN}), at most a burst of packets, before the port runs its timers.
 *
 * <h2>Memory and threads</h2>
 * Reads and writes go through native memory made here (one packet each way), not through Java arrays: a
 * JNA call with a {@code byte[]} copies the whole array in and out (the MTU, whatever the packet's size),
 * with a pointer only the packet's bytes cross, once: from the native buffer into the pool buffer the
 * {@link LinkUpper} gives, and from the pbuf chain into the native buffer. JNA direct mapping with pointer
 * and primitive arguments keeps both paths allocation-free. Everything runs on the stack's thread.
 * Opening, configuring and closing allocate freely.
 */
public final class TunLink implements Link, Pollable, Readiness, Batching, AutoCloseable {
    private static final long TUNSETIFF = 0x400454caL;
    private static final long TUNSETOFFLOAD = 0x400454d0L;
    private static final short IFF_VNET_HDR = 0x4000;
    private static final int TUN_F_CSUM = 0x01;
    private static final int TUN_F_TSO4 = 0x02;
    private static final long SIOCGIFMTU = 0x8921L;
    private static final long SIOCSIFMTU = 0x8922L;
    private static final short IFF_TUN = 0x0001;
    private static final short IFF_TAP = 0x0002;
    /** Ethernet header of a TAP frame (no FCS). */
    private static final int ETH_HLEN = 14;
    private static final short IFF_NO_PI = 0x1000;
    private static final int IFNAMSIZ = 16;
    /** sizeof(struct ifreq) on Linux. */
    private static final int IFREQ = 40;

    /** What to open and how to set up the host side. */
    public static final class Config {
        String name;
        int mtu;
        String hostAddress;
        String netns;
        int burst = 64;
        boolean offload;
        boolean tap;

        /** @param name the device name, e.g. "jw0"; may contain "%d" for the kernel to pick a number */
        public Config(String name) {
            this.name = name;
        }

        /** Sets the device MTU (SIOCSIFMTU) instead of using the device's default (1500). */
        public Config mtu(int mtu) {
            this.mtu = mtu;
            return this;
        }

        /** Gives the Linux side this address ("A.B.C.D/N") and brings the device up, with {@code ip}. */
        public Config hostAddress(String cidr) {
            this.hostAddress = cidr;
            return this;
        }

        /** Moves the device into this (existing) network namespace before configuring it. */
        public Config netns(String ns) {
            this.netns = ns;
            return this;
        }

        /**
         * Segmentation and checksum offload ({@code tun:NAME,offload=1}): the device is opened with
         * {@code IFF_VNET_HDR} and {@code TUNSETOFFLOAD(TUN_F_CSUM | TUN_F_TSO4)}; Linux hands over TCP
         * super-packets of up to 64 KB, which the link splits, and the link gathers the stack's segments into
         * super-packets that Linux splits (see {@link TunOffload}). The netif must then leave TCP's and UDP's
         * checksums to the link: {@code netif.setChecksumOffload(0, tun.txChecksumsFilled())}.
         */
        public Config offload(boolean on) {
            this.offload = on;
            return this;
        }

        /**
         * A TAP device ({@code IFF_TAP | IFF_NO_PI}) instead of TUN: the link carries whole Ethernet frames
         * (put an {@code EthernetLink} between it and the netif). An existing persistent device ({@code ip
         * tuntap add dev NAME mode tap}, perhaps enslaved to a bridge) is attached to; otherwise one is made.
         */
        public Config tap(boolean on) {
            this.tap = on;
            return this;
        }

        /** Packets read per {@link TunLink#poll()} at most. */
        public Config burst(int n) {
            this.burst = n;
            return this;
        }
    }

    private final String name;
    private final int fd;
    private final int mtu;
    /** True for TAP: frames of up to {@code mtu + 14} bytes. */
    private final boolean tap;
    /** Largest packet (TUN) or frame (TAP) read or written. */
    private final int max;
    private final int burst;
    /** Segmentation offload, or null. */
    private final TunOffload offload;
    /** Receive buffer: one packet at a time, MTU bytes of native memory; owned by the stack thread. */
    private final Memory rx;
    /** Transmit buffer: one packet, MTU bytes of native memory. */
    private final Memory tx;
    private LinkUpper upper;
    private volatile boolean closed;
    private long packetsIn;
    private long packetsOut;
    private long notIp;
    private long readErrors;
    private long writeErrors;
    private int lastErrno;

    private TunLink(String name, int fd, int mtu, int burst, boolean offload, boolean tap) {
        this.name = name;
        this.fd = fd;
        this.mtu = mtu;
        this.tap = tap;
        this.max = tap ? mtu + ETH_HLEN : mtu;
        this.burst = burst;
        this.offload = offload ? new TunOffload(fd) : null;
        this.rx = offload ? null : new Memory(max);
        this.tx = offload ? null : new Memory(max);
    }

    /** Opens a TUN device with default settings. */
    public static TunLink open(String name) throws IOException {
        return open(new Config(name));
    }

    /**
     * Creates (or attaches to) the TUN device, applies the MTU, moves it into the namespace and configures
     * the host side as the config asks. Needs CAP_NET_ADMIN.
     */
    public static TunLink open(Config cfg) throws IOException {
        String kind = cfg.tap ? "TAP" : "TUN";
        if (cfg.name == null || cfg.name.length() >= IFNAMSIZ) {
            throw new IllegalArgumentException(kind + " name must be 1..15 characters: " + cfg.name);
        }
        if (cfg.tap && cfg.offload) {
            throw new IllegalArgumentException("offload=1 is for TUN devices only");
        }
        if (cfg.netns != null && !Files.exists(Path.of("/run/netns", cfg.netns))) {
            throw new LinkException(LinkException.Reason.NOT_FOUND, "network namespace " + cfg.netns
                    + " does not exist (create it with: ip netns add " + cfg.netns + ")");
        }
        int fd = LibC.open("/dev/net/tun", LibC.O_RDWR | LibC.O_NONBLOCK | LibC.O_CLOEXEC);
        if (fd < 0) {
            int e = Native.getLastError();
            if (e == EPERM || e == EACCES) {
                throw new LinkException(LinkException.Reason.PERMISSION,
                        "opening /dev/net/tun needs root (CAP_NET_ADMIN)");
            }
            if (e == ENOENT || e == ENODEV) {
                throw new LinkException(LinkException.Reason.NOT_FOUND,
                        "/dev/net/tun does not exist: load the tun module (modprobe tun)");
            }
            throw new LinkException(LinkException.Reason.FAILED, "cannot open /dev/net/tun: " + errno());
        }
        try (Memory ifr = new Memory(IFREQ)) {
            ifr.clear();
            ifr.write(0, cfg.name.getBytes(StandardCharsets.US_ASCII), 0, cfg.name.length());
            ifr.setShort(IFNAMSIZ, (short) ((cfg.tap ? IFF_TAP : IFF_TUN) | IFF_NO_PI | (cfg.offload ? IFF_VNET_HDR : 0)));
            if (LibC.ioctl(fd, TUNSETIFF, ifr) < 0) {
                int e = Native.getLastError();
                String text = errno();
                LibC.close(fd);
                if (e == EBUSY) {
                    throw new LinkException(LinkException.Reason.BUSY, kind + " " + cfg.name
                            + " is in use by another process (stop it, or choose another name)");
                }
                if (e == EPERM || e == EACCES) {
                    throw new LinkException(LinkException.Reason.PERMISSION, "creating " + kind + " " + cfg.name
                            + " needs root (CAP_NET_ADMIN)");
                }
                if (e == EINVAL) {
                    throw new LinkException(LinkException.Reason.BUSY, "device " + cfg.name
                            + " exists and is not a " + kind + " device (choose another name)");
                }
                throw new LinkException(LinkException.Reason.FAILED, "cannot create " + kind + " " + cfg.name + ": " + text);
            }
            if (cfg.offload && LibC.ioctl(fd, TUNSETOFFLOAD, (long) (TUN_F_CSUM | TUN_F_TSO4)) < 0) {
                String e = errno();
                LibC.close(fd);
                throw new LinkException(LinkException.Reason.FAILED, "TUN " + cfg.name
                        + ": the kernel refused checksum and TSO4 offload (" + e + "); run without offload=1");
            }
            String name = ifr.getString(0, "US-ASCII");
            int mtu;
            try {
                if (cfg.mtu > 0) {
                    ifMtu(name, cfg.mtu);
                }
                mtu = ifMtu(name, 0);
            } catch (IOException e) {
                LibC.close(fd);
                throw e;
            }
            TunLink t = new TunLink(name, fd, mtu, cfg.burst, cfg.offload, cfg.tap);
            try {
                t.configureHost(cfg);
            } catch (IOException e) {
                t.close();
                throw e;
            }
            return t;
        }
    }

    /** Reads (set == 0) or sets the interface MTU through an AF_INET socket ioctl. */
    private static int ifMtu(String name, int set) throws IOException {
        int s = LibC.socket(LibC.AF_INET, LibC.SOCK_DGRAM, 0);
        if (s < 0) {
            throw new IOException("socket: " + errno());
        }
        try (Memory ifr = new Memory(IFREQ)) {
            ifr.clear();
            ifr.write(0, name.getBytes(StandardCharsets.US_ASCII), 0, name.length());
            ifr.setInt(IFNAMSIZ, set);
            if (LibC.ioctl(s, set > 0 ? SIOCSIFMTU : SIOCGIFMTU, ifr) < 0) {
                throw new IOException((set > 0 ? "SIOCSIFMTU " : "SIOCGIFMTU ") + name + ": " + errno());
            }
            return ifr.getInt(IFNAMSIZ);
        } finally {
            LibC.close(s);
        }
    }

    private static final int EPERM = 1;
    private static final int ENOENT = 2;
    private static final int EACCES = 13;
    private static final int EBUSY = 16;
    private static final int ENODEV = 19;
    private static final int EINVAL = 22;

    private static String errno() {
        int e = Native.getLastError();
        return LibC.strerror(e) + " (errno " + e + ")";
    }

    private void configureHost(Config cfg) throws IOException {
        List<List<String>> cmds = new ArrayList<>();
        String ns = cfg.netns;
        if (ns != null) {
            cmds.add(List.of("ip", "link", "set", "dev", name, "netns", ns));
        }
        if (cfg.hostAddress != null) {
            cmds.add(ip(ns, "addr", "add", cfg.hostAddress, "dev", name));
            cmds.add(ip(ns, "link", "set", "dev", name, "up"));
        }
        for (List<String> c : cmds) {
            run(c);
        }
    }

    private static List<String> ip(String ns, String... args) {
        List<String> c = new ArrayList<>();
        c.add("ip");
        if (ns != null) {
            c.add("-n");
            c.add(ns);
        }
        c.addAll(List.of(args));
        return c;
    }

    private static String firstLine(String out) {
        String t = out.trim();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }

    /** Runs a setup command; a non-zero exit is an IOException with its output. */
    static String run(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            int rc = p.waitFor();
            if (rc != 0) {
                throw new LinkException(LinkException.Reason.FAILED, "setting up the device: '"
                        + String.join(" ", cmd) + "' failed: " + firstLine(out));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", cmd));
        }
        return out;
    }

    @Override
    public void attach(LinkUpper upper) {
        this.upper = upper;
    }

    /** The device's descriptor: readable when a packet waits. */
    @Override
    public int fd() {
        return closed ? NO_FD : fd;
    }

    /** A TUN device announces packets through its descriptor only. */
    @Override
    public boolean signalWith(Wakeup w) {
        return false;
    }

    /**
     * Reads up to a burst of packets without blocking and hands each to the stack. Call from the stack's
     * thread.
     *
     * @return true if at least one packet was read
     */
    public boolean poll() {
        if (closed) {
            return false;
        }
        boolean work = false;
        for (int i = 0; i < burst; i++) {
            long n = offload != null ? LibC.read(fd, offload.rx(), TunOffload.HDR + TunOffload.MAX_IP) : LibC.read(fd, rx, max);
            if (n < 0) {
                int e = Native.getLastError();
                if (e == LibC.EINTR) {
                    continue;
                }
                if (e != LibC.EAGAIN) {
                    readErrors++;
                    lastErrno = e;
                }
                break;
            }
            if (n == 0) {
                break;
            }
            work = true;
            if (offload != null) {
                if (upper != null && offload.deliver((int) n, upper) > 0) {
                    packetsIn++;
                }
            } else {
                deliver((int) n);
            }
        }
        return work;
    }

    private void deliver(int n) {
        if (!tap && (rx.getByte(0) & 0xf0) != 0x40) {
            // IPv6 router solicitations and the like, when the host has IPv6 on the device: not ours.
            notIp++;
            if (upper != null) {
                upper.drop(Drop.LINK_NOT_IP);
            }
            return;
        }
        if (upper == null) {
            return;
        }
        Pbuf p = upper.allocInput(n);
        if (p == null) {
            return; // counted by allocInput
        }
        int off = 0;
        for (Pbuf q = p; q != null && off < n; q = q.next()) {
            int k = Math.min(q.length(), n - off);
            rx.read(off, q.buf, q.offset(), k);
            off += k;
        }
        packetsIn++;
        upper.input(p);
    }

    @Override
    public int output(Pbuf p) {
        if (closed) {
            return Err.IF;
        }
        if (offload != null) {
            if (p.totalLength() > mtu) {
                drop(Drop.LINK_OVERSIZE);
                return Err.BUF;
            }
            packetsOut++;
            return written(offload.output(p));
        }
        int n = p.totalLength();
        if (n > max) {
            drop(Drop.LINK_OVERSIZE);
            return Err.BUF;
        }
        int off = 0;
        for (Pbuf q = p; q != null; q = q.next()) {
            tx.write(off, q.buf, q.offset(), q.length());
            off += q.length();
        }
        long w;
        do {
            w = LibC.write(fd, tx, n);
        } while (w < 0 && Native.getLastError() == LibC.EINTR);
        if (w != n) {
            // EAGAIN/ENOBUFS: the kernel's queue is full; EIO: the host side is down (ip link set down).
            writeErrors++;
            int e = w < 0 ? Native.getLastError() : 0;
            lastErrno = e;
            boolean full = e == LibC.EAGAIN || e == LibC.ENOBUFS;
            drop(full ? Drop.LINK_QUEUE_FULL : Drop.LINK_IO_ERROR);
            return full ? Err.MEM : Err.IF;
        }
        packetsOut++;
        return Err.OK;
    }

    /** Writes what offload gathered in this turn (see {@link Batching}). */
    @Override
    public void flushTx() {
        if (offload != null && !closed) {
            written(offload.flush());
        }
    }

    /** Counts a failed write (errno {@code e}; 0 for none) and turns it into an {@code Err} code. */
    private int written(int e) {
        if (e == 0) {
            return Err.OK;
        }
        writeErrors++;
        lastErrno = e;
        boolean full = e == LibC.EAGAIN || e == LibC.ENOBUFS;
        drop(full ? Drop.LINK_QUEUE_FULL : Drop.LINK_IO_ERROR);
        return full ? Err.MEM : Err.IF;
    }

    /** Super-packets from Linux split into segments (offload only). */
    public long offloadSuperIn() { return offload == null ? 0 : offload.superIn; }
    /** Super-packets gathered from the stack's segments and handed to Linux (offload only). */
    public long offloadSuperOut() { return offload == null ? 0 : offload.superOut; }
    /** Pure ACKs folded into a later one of the same turn (offload only). */
    public long offloadAcksFolded() { return offload == null ? 0 : offload.acksReplaced; }

    /** True if opened with segmentation and checksum offload. */
    public boolean offload() {
        return offload != null;
    }

    /**
     * The checksums this link fills on transmit ({@code Netif.CSUM_TCP | CSUM_UDP} with offload, else 0), for
     * {@code Netif.setChecksumOffload(0, ...)}.
     */
    public int txChecksumsFilled() {
        return offload != null ? Netif.CSUM_TCP | Netif.CSUM_UDP : 0;
    }

    private void drop(int reason) {
        if (upper != null) {
            upper.drop(reason);
        }
    }

    /** The device name the kernel gave (it may differ from the requested one with "%d"). */
    public String name() { return name; }
    /** The device MTU (of IPv4 packets, not counting a TAP frame's header), read at open time. */
    public int mtu() { return mtu; }
    /** True for a TAP device (the link carries Ethernet frames). */
    public boolean isTap() { return tap; }
    public long packetsIn() { return packetsIn; }
    public long packetsOut() { return packetsOut; }
    /** Non-IPv4 packets (IPv6 from the host) dropped. */
    public long notIp() { return notIp; }
    public long readErrors() { return readErrors; }
    public long writeErrors() { return writeErrors; }
    /** errno of the last failed read or write (0 for none). */
    public int lastErrno() { return lastErrno; }
    public boolean isOpen() { return !closed; }

    /**
     * Closes the descriptor; a non-persistent device (the usual kind) disappears with it. Call it from
     * the stack's thread, or after that thread has stopped polling: a poll racing with close could read
     * from a descriptor number the process has already reused.
     */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            LibC.close(fd);
        }
    }

    @Override
    public String toString() {
        return (tap ? "TAP " : "TUN ") + name + " mtu " + mtu + " in=" + packetsIn + " out=" + packetsOut + " notIp=" + notIp
                + " readErrors=" + readErrors + " writeErrors=" + writeErrors + (offload == null ? "" : " offload: "
                + offload.superIn + " super-packets in (" + offload.segmentsIn + " segments), " + offload.superOut
                + " out (" + offload.segmentsOut + " segments), " + offload.acksReplaced + " ACKs folded, " + offload.unsupported
                + " unsupported");
    }
}
