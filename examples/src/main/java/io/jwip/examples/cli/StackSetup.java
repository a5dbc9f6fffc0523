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
    /** The DHCP client ({@code --dhcp}), or null. */
    public io.jwip.dhcp.DhcpClient dhcp;
    /** The DNS resolver ({@code --dns} or {@code --dhcp}), or null. */
    public io.jwip.dns.DnsResolver resolver;
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
                + " existing persistent TAP device), slip:DEV[@BAUD], slip-tcp:HOST:PORT, ppp:DEV[@BAUD] and ppp-tcp:HOST:PORT (PPP: the address comes from IPCP; they take"
                + " ,user=U,password=P (our credentials if the peer asks), ,auth=pap|chap (require the peer to present"
                + " user=/password=), ,server,addr=A,peer=B (assign the peer B), ,peer=B (give B to a peer that asks),"
                + " ,echo=S (LCP echo every S s, 4 unanswered end the link; 0: off), ,vj=0|1 (Van Jacobson header"
                + " compression, default 1), ,fcs=16|32 (ask for the 32-bit FCS, default 16)); every kind also takes"
                + " ,mtu=N (default 1500 on TUN and TAP, 1006 on SLIP) and ,addr=A.B.C.D/N (jwip's address, instead of --addr)");
        a.repeatable("addr", "A.B.C.D/N", "jwip's address on the netif given in the same position");
        a.option("gw", "A.B.C.D", "default gateway (on the first netif)");
        a.flag("dhcp", "get the address, mask, gateway and DNS servers of the first tap: netif from a DHCP server"
                + " (RFC 2131; the address is probed for conflicts first, RFC 5227); that netif then needs no --addr");
        a.repeatable("dns", "A.B.C.D", "DNS server for name lookups (default: those of the DHCP lease)");
        a.option("hostname", "NAME", "host name sent to the DHCP server (option 12)");
        a.flag("reconnect", "when a slip, slip-tcp or PPP link goes down, reopen the line and (PPP) negotiate again, with backoff (1 s doubling to 30 s)"
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
        int dhcpIndex = -1;
        for (int i = 0; i < specs.size(); i++) {
            NetifSpec s = NetifSpec.parse(specs.get(i));
            if (i < addrs.size()) {
                int[] a = NetifSpec.cidr(addrs.get(i), "--addr");
                s.addr = a[0];
                s.prefix = a[1];
                s.prefixGiven = addrs.get(i).indexOf('/') >= 0;
            }
            if (s.addr == -1 && s.isPpp()) {
                s.addr = 0; // IPCP gives it
                s.prefix = 32;
            }
            if (s.addr == -1 && args.has("dhcp") && s.isEthernet() && dhcpIndex < 0) {
                dhcpIndex = i; // its address comes from DHCP
                s.addr = 0;
                s.prefix = 0;
            }
            if (s.addr == -1) {
                throw new UsageException("netif " + s + ": no address (give --addr A.B.C.D/N or addr= in the spec"
                        + (s.isEthernet() ? ", or --dhcp)" : args.has("dhcp") ? "; --dhcp works on tap: netifs only)" : ")"));
            }
            parsed.add(s);
        }
        if (args.has("dhcp") && dhcpIndex < 0) {
            throw new UsageException("--dhcp needs a tap: netif without an address (DHCP runs over Ethernet)");
        }
        if (args.has("hostname") && !args.has("dhcp")) {
            throw new UsageException("--hostname is sent to a DHCP server: it needs --dhcp");
        }
        List<Integer> dnsServers = new ArrayList<>();
        for (String d : args.all("dns")) {
            if (!Ip4Addr.isValid(d)) {
                throw new UsageException("--dns: not an IPv4 address: " + d);
            }
            dnsServers.add(Ip4Addr.parse(d, 0));
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
            if (dhcpIndex == 0) {
                throw new UsageException("--gw is given by the DHCP lease on the first netif: leave it out");
            }
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
                s.reconnect = reconnect && s.isPpp(); // PPP reconnects itself (LCP again, the line reopened)
                NetifSpec.Opened op = reconnect && s.reopenable() && !s.isPpp() ? Reconnecting.open(s, i, loop.clock(), out) : s.open(i);
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
                if (op.link() instanceof io.jwip.netif.ppp.PppLink p) {
                    p.netif(n);
                    if (out != null) {
                        p.announce(line -> out.println("ppp " + n.name() + " " + line));
                    }
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
        stack.timers(loop.clock().nowMillis()); // the clients below start at the loop's time
        if (dhcpIndex >= 0 || !dnsServers.isEmpty()) {
            setup.resolver = new io.jwip.dns.DnsResolver(stack);
            int[] list = new int[dnsServers.size()];
            for (int i = 0; i < list.length; i++) {
                list[i] = dnsServers.get(i);
            }
            setup.resolver.setServers(list, list.length);
        }
        if (dhcpIndex >= 0) {
            Netif n = setup.netifs.get(dhcpIndex);
            setup.dhcp = new io.jwip.dhcp.DhcpClient(stack, n, setup.ethernet.get(dhcpIndex));
            if (args.has("hostname")) {
                setup.dhcp.setHostname(args.get("hostname", ""));
            }
            boolean dnsGiven = !dnsServers.isEmpty();
            long t0 = stack.now();
            io.jwip.dns.DnsResolver resolver = setup.resolver;
            setup.dhcp.setListener((c, from, to, why, now) -> {
                if (out != null) {
                    StringBuilder sb = new StringBuilder("dhcp ").append(n.name())
                            .append(String.format(java.util.Locale.ROOT, " [%.3f s]: ", (now - t0) / 1000.0))
                            .append(io.jwip.dhcp.DhcpState.name(from)).append(" -> ").append(io.jwip.dhcp.DhcpState.name(to))
                            .append(" (").append(why).append(')');
                    if (to == io.jwip.dhcp.DhcpState.BOUND) {
                        sb.append(": ");
                        Ip4Addr.append(sb, c.address()).append('/').append(Integer.bitCount(c.netmask()));
                        if (c.router() != 0) {
                            Ip4Addr.append(sb.append(" router "), c.router());
                        }
                        for (int i = 0; i < c.dnsCount(); i++) {
                            Ip4Addr.append(sb.append(i == 0 ? " dns " : ","), c.dns(i));
                        }
                        sb.append(" lease ").append(c.leaseSeconds()).append(" s from ");
                        Ip4Addr.append(sb, c.server());
                        sb.append(" (renew in ").append((c.t1At() - now) / 1000).append(" s)");
                    }
                    out.println(sb);
                }
                if (to == io.jwip.dhcp.DhcpState.BOUND && !dnsGiven && resolver != null) {
                    int[] d = new int[c.dnsCount()];
                    for (int i = 0; i < d.length; i++) {
                        d[i] = c.dns(i);
                    }
                    resolver.setServers(d, d.length);
                }
            });
            setup.dhcp.start();
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
        if (n != null && n.link() instanceof io.jwip.netif.ppp.PppLink) {
            return true; // point to point: everything goes to the peer (the address comes once IPCP opens)
        }
        return n != null && (n == stack.routes().loopback() || n.onLink(dst) || n.gateway() != 0);
    }

    /** A random locally administered unicast address (02:xx:xx:xx:xx:xx with the group bit clear). */
    static long randomMac(java.security.SecureRandom r) {
        return 0x020000000000L | (r.nextLong() & 0xffffffffffL);
    }

    /** Creates the capture file, or says plainly why it cannot be written. */
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
        if (dhcp != null && io.jwip.dhcp.DhcpState.hasLease(dhcp.state()) && thread == null) {
            // Give the lease back (RFC 2131 4.4.6), and let the RELEASE out (it may wait for ARP) before the link closes.
            dhcp.stop();
            loop.setMaxIdleMs(10);
            long until = System.nanoTime() + 300_000_000L;
            while (System.nanoTime() < until && stack.stats().pool("ARP_QUEUE") != null
                    && stack.stats().pool("ARP_QUEUE").used() > 0) {
                loop.turn();
            }
            loop.turn();
        }
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
