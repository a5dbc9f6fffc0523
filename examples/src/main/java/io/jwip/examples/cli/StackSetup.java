package io.jwip.examples.cli;

import io.jwip.JwipOptions;
import io.jwip.stack.Stack;
import io.jwip.eth.EthernetLink;
import io.jwip.netif.Link;
import io.jwip.netif.Netif;
import io.jwip.netif.pcap.PcapClock;
import io.jwip.netif.pcap.PcapLink;
import io.jwip.netif.pcap.PcapWriter;
import io.jwip.port.Clock;
import io.jwip.port.Idler;
import io.jwip.port.PollLoop;
import io.jwip.port.threaded.StackThread;
import io.jwip.wire.Ip4Addr;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a running stack from a command line: the configuration options, one or more {@code --netif SPEC}
 * with their addresses ({@code addr=} in the spec, or the {@code --addr} given in the same position), an
 * optional {@code --gw}, and a single-threaded poll loop on the system clock.
 */
public final class StackSetup implements AutoCloseable {
    public final Stack stack;
    public final PollLoop loop;
    public final List<Netif> netifs = new ArrayList<>();
    /** The Ethernet layer of each netif (TAP), or null for one without (TUN, SLIP); same order. */
    public final List<EthernetLink> ethernet = new ArrayList<>();
    /** The spec each netif was opened from, in the same order. */
    public final List<NetifSpec> specs = new ArrayList<>();
    private final List<AutoCloseable> closers = new ArrayList<>();
    /** The stack thread, for {@link #openThreaded}; else null. */
    public StackThread thread;
    /** The capture, if {@code --pcap} was given. */
    public PcapWriter pcap;

    private StackSetup(Stack stack, PollLoop loop) {
        this.stack = stack;
        this.loop = loop;
    }

    /** Declares --netif (repeatable), --addr (repeatable) and --gw. */
    public static Args declare(Args a) {
        a.repeatable("netif", "SPEC", "link: tun:NAME[,host=A/N][,netns=NS][,offload=1],"
                + " tap:NAME[,mac=AA:BB:CC:DD:EE:FF][,host=A/N][,netns=NS] (Ethernet with ARP; attaches to an"
                + " existing persistent TAP device), slip:DEV[@BAUD], slip-tcp:HOST:PORT; every kind also takes"
                + " ,mtu=N (default 1500 on TUN and TAP, 1006 on SLIP) and ,addr=A.B.C.D/N (jwip's address, instead of --addr)");
        a.repeatable("addr", "A.B.C.D/N", "jwip's address on the netif given in the same position");
        a.option("gw", "A.B.C.D", "default gateway (on the first netif)");
        a.flag("reconnect", "when a slip or slip-tcp line goes down, reopen it with backoff (1 s doubling to 30 s)"
                + " instead of exiting with code 6");
        a.option("pcap", "FILE", "write every packet crossing the netifs to a pcap file (tshark -r FILE)");
        a.option("idle", "wait|spin", "how the loop waits for work: wait (default: sleep in poll(2) until a packet,"
                + " a call or a deadline) or spin (never sleep: a whole core, for the lowest latency)");
        a.option("busy-poll", "US", "with --idle wait: keep polling for US microseconds after work before sleeping"
                + " (default " + io.jwip.port.PollIdler.DEFAULT_BUSY_POLL_US + " on more than one core, else 0)");
        return a;
    }

    /** Opens the links and a poll loop that the caller runs on its own thread. */
    public static StackSetup open(Args args, JwipOptions o, int extraSources, PrintStream out)
            throws UsageException, Failure, IOException {
        return open(args, o, extraSources, out, false);
    }

    /**
     * Opens the links on a {@link StackThread} (not yet started: {@code setup.thread.start(name)}) for
     * commands that use the blocking sockets.
     */
    public static StackSetup openThreaded(Args args, JwipOptions o, PrintStream out)
            throws UsageException, Failure, IOException {
        return open(args, o, 0, out, true);
    }

    private static StackSetup open(Args args, JwipOptions o, int extraSources, PrintStream out, boolean threaded)
            throws UsageException, Failure, IOException {
        List<String> specs = args.all("netif");
        List<String> addrs = args.all("addr");
        if (specs.isEmpty()) {
            throw new UsageException("--netif SPEC is required");
        }
        List<NetifSpec> parsed = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            NetifSpec s = NetifSpec.parse(specs.get(i));
            if (i < addrs.size()) {
                int[] a = NetifSpec.cidr(addrs.get(i), "--addr");
                s.addr = a[0];
                s.prefix = a[1];
                s.prefixGiven = addrs.get(i).indexOf('/') >= 0;
            }
            if (s.addr == -1) {
                throw new UsageException("netif " + s + ": no address (give --addr A.B.C.D/N or addr= in the spec)");
            }
            parsed.add(s);
        }
        if (addrs.size() > specs.size()) {
            throw new UsageException("--addr given " + addrs.size() + " times for " + specs.size() + " --netif");
        }
        int gw = 0;
        if (args.has("gw")) {
            String g = args.get("gw", "");
            if (!Ip4Addr.isValid(g)) {
                throw new UsageException("--gw: not an IPv4 address: " + g);
            }
            gw = Ip4Addr.parse(g, 0);
            NetifSpec first = parsed.get(0);
            int mask = Ip4Addr.maskOf(first.prefix);
            if ((gw & mask) != (first.addr & mask) || gw == first.addr) {
                throw new UsageException("--gw " + g + " is not a neighbour on the first netif ("
                        + Ip4Addr.toString(first.addr) + "/" + first.prefix + ")");
            }
        }
        for (NetifSpec s : parsed) {
            if (!s.prefixGiven && out != null) {
                out.println("netif " + s + ": address " + Ip4Addr.toString(s.addr) + " given without /N: using /24");
            }
        }
        if (o.netifs < parsed.size() + 1) {
            o.netifs = parsed.size() + 1;
        }
        boolean ethernet = false;
        boolean raw = false;
        for (NetifSpec s : parsed) {
            ethernet |= s.isEthernet();
            raw |= !s.isEthernet();
        }
        if (ethernet && raw && args.has("pcap")) {
            throw new UsageException("--pcap records one kind of link: give it either TAP (Ethernet) netifs or"
                    + " TUN and SLIP (IP) netifs, not both");
        }
        if (ethernet && o.linkHeadroom < io.jwip.wire.EthernetHeader.HEADER_LENGTH) {
            o.linkHeadroom = io.jwip.wire.EthernetHeader.HEADER_LENGTH; // the Ethernet header goes in front in place
        }
        String idle = args.get("idle", "wait");
        if (!idle.equals("wait") && !idle.equals("spin")) {
            throw new UsageException("--idle must be wait or spin, not " + idle);
        }
        Stack stack = new Stack(o);
        java.security.SecureRandom seed = new java.security.SecureRandom();
        stack.random().setSecret(seed.nextLong(), seed.nextLong());
        Idler idler = idle.equals("spin") ? Idler.spinning()
                : args.has("busy-poll") ? Idler.system(args.getInt("busy-poll", 0, 0, 1_000_000)) : Idler.system();
        StackThread thread = threaded ? new StackThread(stack, Clock.system(), idler, 16, parsed.size() + extraSources + 1, 1) : null;
        PollLoop loop = threaded ? thread.loop() : new PollLoop(Clock.system(), idler, 1, parsed.size() + extraSources + 1);
        StackSetup setup = new StackSetup(stack, loop);
        setup.thread = thread;
        PcapWriter pcap = null;
        if (args.has("pcap")) {
            pcap = openPcap(Path.of(args.get("pcap", "")), ethernet ? PcapWriter.LINKTYPE_ETHERNET : PcapWriter.LINKTYPE_RAW);
            setup.pcap = pcap;
        }
        boolean reconnect = args.has("reconnect");
        try {
            for (int i = 0; i < parsed.size(); i++) {
                NetifSpec s = parsed.get(i);
                NetifSpec.Opened op = reconnect && s.reopenable() ? Reconnecting.open(s, i, loop.clock(), out) : s.open(i);
                setup.closers.add(op.closer());
                setup.specs.add(s);
                Link link = pcap == null ? op.link() : new PcapLink(op.link(), pcap);
                if (s.isEthernet()) {
                    long mac = s.mac >= 0 ? s.mac : randomMac(seed);
                    EthernetLink e = new EthernetLink(o, mac, link);
                    setup.ethernet.add(e);
                    link = e;
                } else {
                    setup.ethernet.add(null);
                }
                Netif n = new Netif(op.name(), op.mtu(), link)
                        .configure(s.addr, Ip4Addr.maskOf(s.prefix), i == 0 ? gw : 0)
                        .setChecksumOffload(0, op.txChecksums());
                stack.addNetif(n);
                setup.netifs.add(n);
                if (op.link() instanceof Reconnecting r) {
                    r.netif(n);
                }
                loop.addSource(op.pollable());
                if (out != null) {
                    out.println("netif " + n + " on " + s);
                }
            }
        } catch (IOException | RuntimeException e) {
            setup.close();
            throw e;
        }
        if (!threaded) {
            loop.addStack(stack);
        }
        if (out != null) {
            out.println("loop waits: " + idler.describe() + (loop.tickedSources() > 0 && !idle.equals("spin") ? "; " + loop.tickedSources()
                    + " link(s) without readiness polled every 1 ms" : ""));
        }
        return setup;
    }

    /**
     * True if the stack has a way to {@code dst}: a netif whose subnet holds it, loopback, or a netif with a
     * gateway. The commands say "no route to host" otherwise instead of sending into nothing.
     */
    public boolean hasRoute(int dst) {
        Netif n = stack.routes().route(dst);
        return n != null && (n == stack.routes().loopback() || n.onLink(dst) || n.gateway() != 0);
    }

    /** Creates the capture file, or says plainly why it cannot be written. */
    /** A random locally administered unicast address (02:xx:xx:xx:xx:xx with the group bit clear). */
    static long randomMac(java.security.SecureRandom r) {
        return 0x020000000000L | (r.nextLong() & 0xffffffffffL);
    }

    static PcapWriter openPcap(Path file, int linkType) throws Failure {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            throw new Failure(Exit.FILE, "--pcap " + file + ": directory " + dir + " does not exist");
        }
        if (Files.isDirectory(file)) {
            throw new Failure(Exit.FILE, "--pcap " + file + ": is a directory, give a file name");
        }
        try {
            return PcapWriter.create(file, PcapClock.SYSTEM, linkType);
        } catch (IOException e) {
            throw new Failure(Exit.FILE, "--pcap " + file + ": cannot write the file"
                    + (dir != null && !Files.isWritable(dir) ? " (no permission in " + dir + ")" : ""));
        }
    }

    @Override
    public void close() {
        for (AutoCloseable c : closers) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing at exit: nothing more to do
            }
        }
        closers.clear();
        if (pcap != null) {
            pcap.close();
        }
    }
}
