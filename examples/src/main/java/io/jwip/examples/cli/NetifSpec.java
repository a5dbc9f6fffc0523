package io.jwip.examples.cli;

import io.jwip.netif.Link;
import io.jwip.netif.Pollable;
import io.jwip.netif.slip.SlipLink;
import io.jwip.netif.tun.TunLink;
import io.jwip.wire.Ip4Addr;

import java.io.IOException;

/**
 * A link named on the command line:
 * <pre>
 *   tun:NAME[,host=A.B.C.D/N][,netns=NS][,mtu=M][,addr=A.B.C.D/N][,offload=1]
 *   tap:NAME[,mac=AA:BB:CC:DD:EE:FF][,host=A.B.C.D/N][,netns=NS][,mtu=M][,addr=A.B.C.D/N]
 *   slip:DEVICE[@BAUD][,mtu=M][,addr=A.B.C.D/N]
 *   slip-tcp:HOST:PORT[,mtu=M][,addr=A.B.C.D/N]
 *   ppp:DEVICE[@BAUD][,user=U,password=P][,auth=pap|chap][,server,addr=A,peer=B][,peer=B][,echo=S][,vj=0|1][,fcs=16|32][,mtu=M]
 *   ppp-tcp:HOST:PORT[,...the same]   (the address comes from IPCP)
 * </pre>
 * {@code host=} configures the Linux side of a TUN device (address, up) so one command brings up a
 * working link; {@code netns=} moves the device into a network namespace first. {@code addr=} is jwip's
 * own address on the link (commands also take {@code --addr}). A TAP device carries Ethernet frames: jwip
 * puts its Ethernet layer and ARP between the device and the netif, with {@code mac=} as its address (a
 * random locally administered one by default). An existing persistent TAP device is attached to.
 */
public final class NetifSpec {
    public final String text;
    public final String kind;
    /** TUN device name, serial device path, or TCP host. */
    public final String target;
    public int baud = 115200;
    public int port;
    public int mtu;
    public String host;
    public String netns;
    /** TUN segmentation and checksum offload ({@code offload=1}). */
    public boolean offload;
    /** PPP server side ({@code server}): we assign the peer {@code peer=}, our address is {@code addr=}. */
    public boolean server;
    /** PPP: the name and password for PAP or CHAP ({@code user=}, {@code password=}), or null. */
    public String user;
    public String password;
    /** PPP: seconds between LCP echo requests ({@code echo=}; 4 unanswered take the link down; 0: none). */
    public int echoSeconds = 10;
    /** PPP: Van Jacobson header compression offered ({@code vj=1}, the default) or not ({@code vj=0}). */
    public boolean vj = true;
    /** PPP: ask the peer for the 32-bit FCS ({@code fcs=32}; default 16). */
    public boolean fcs32;
    /** PPP: require the peer to authenticate ({@code auth=pap|chap}) as {@code user}/{@code password}; 0 for none. */
    public int auth;
    /** PPP: bring the link back after a drop ({@code --reconnect}). */
    public boolean reconnect;
    /** PPP client: the address given to a peer that asks for 0.0.0.0 ({@code peer=}), or 0. */
    public int peer;
    /** jwip's Ethernet address on a TAP device, or -1 for a random locally administered one. */
    public long mac = -1;
    /** jwip's address and prefix on this link, or -1 if not given. */
    public int addr = -1;
    public int prefix = -1;
    /** False when the address was given without {@code /N} (and /24 assumed). */
    public boolean prefixGiven = true;

    private NetifSpec(String text, String kind, String target) {
        this.text = text;
        this.kind = kind;
        this.target = target;
    }

    /** Parses a spec; the error names what is wrong. */
    public static NetifSpec parse(String spec) throws UsageException {
        int colon = spec.indexOf(':');
        if (colon < 0) {
            throw new UsageException("netif spec '" + spec + "': expected tun:NAME, tap:NAME, slip:DEVICE[@BAUD] or slip-tcp:HOST:PORT");
        }
        String kind = spec.substring(0, colon);
        String[] parts = spec.substring(colon + 1).split(",");
        String main = parts[0];
        if (main.isEmpty()) {
            throw new UsageException("netif spec '" + spec + "': missing " + (kind.equals("tun") || kind.equals("tap") ? "device name" : "device"));
        }
        NetifSpec s;
        switch (kind) {
            case "tun":
            case "tap":
                s = new NetifSpec(spec, kind, main);
                if (main.length() > 15) {
                    throw new UsageException("netif spec '" + spec + "': " + kind.toUpperCase(java.util.Locale.ROOT)
                            + " name longer than 15 characters");
                }
                break;
            case "ppp":
            case "slip": {
                int at = main.lastIndexOf('@');
                s = new NetifSpec(spec, kind, at < 0 ? main : main.substring(0, at));
                if (at >= 0) {
                    s.baud = number(spec, "baud rate", main.substring(at + 1), 50, 4_000_000);
                }
                break;
            }
            case "ppp-tcp":
            case "slip-tcp": {
                int pc = main.lastIndexOf(':');
                if (pc <= 0) {
                    throw new UsageException("netif spec '" + spec + "': expected " + kind + ":HOST:PORT");
                }
                s = new NetifSpec(spec, kind, main.substring(0, pc));
                s.port = number(spec, "port", main.substring(pc + 1), 1, 65535);
                break;
            }
            default:
                throw new UsageException("netif spec '" + spec + "': unknown kind '" + kind + "' (tun, tap, slip, slip-tcp, ppp, ppp-tcp)");
        }
        for (int i = 1; i < parts.length; i++) {
            String kv = parts[i];
            int eq = kv.indexOf('=');
            String k = eq < 0 ? kv : kv.substring(0, eq);
            String v = eq < 0 ? "" : kv.substring(eq + 1);
            switch (k) {
                case "mtu":
                    s.mtu = number(spec, "mtu", v, 68, 65535);
                    break;
                case "addr": {
                    int[] a = cidr(v, "netif spec '" + spec + "': addr");
                    s.addr = a[0];
                    s.prefix = a[1];
                    s.prefixGiven = v.indexOf('/') >= 0;
                    break;
                }
                case "host":
                    if (!s.isDevice()) {
                        throw new UsageException("netif spec '" + spec + "': host= is for tun and tap only");
                    }
                    cidr(v, "netif spec '" + spec + "': host");
                    s.host = v;
                    break;
                case "netns":
                    if (!s.isDevice() || v.isEmpty()) {
                        throw new UsageException("netif spec '" + spec + "': netns=NAME is for tun and tap only");
                    }
                    s.netns = v;
                    break;
                case "offload":
                    if (!kind.equals("tun") || !(v.equals("0") || v.equals("1"))) {
                        throw new UsageException("netif spec '" + spec + "': offload=0|1 is for tun only");
                    }
                    s.offload = v.equals("1");
                    break;
                case "server":
                    if (!s.isPpp()) {
                        throw new UsageException("netif spec '" + spec + "': server is for ppp and ppp-tcp only");
                    }
                    s.server = true;
                    break;
                case "user":
                case "password":
                    if (!s.isPpp()) {
                        throw new UsageException("netif spec '" + spec + "': " + k + "= is for ppp and ppp-tcp only");
                    }
                    if (k.equals("user")) {
                        s.user = v;
                    } else {
                        s.password = v;
                    }
                    break;
                case "echo":
                    if (!s.isPpp()) {
                        throw new UsageException("netif spec '" + spec + "': echo= is for ppp and ppp-tcp only");
                    }
                    s.echoSeconds = number(spec, "echo interval", v, 0, 3600);
                    break;
                case "vj":
                    if (!s.isPpp()) {
                        throw new UsageException("netif spec '" + spec + "': vj=0|1 is for ppp and ppp-tcp only");
                    }
                    if (!(v.equals("0") || v.equals("1"))) {
                        throw new UsageException("netif spec '" + spec + "': vj= takes 0 or 1, not '" + v + "'");
                    }
                    s.vj = v.equals("1");
                    break;
                case "fcs":
                    if (!s.isPpp()) {
                        throw new UsageException("netif spec '" + spec + "': fcs=16|32 is for ppp and ppp-tcp only");
                    }
                    if (!(v.equals("16") || v.equals("32"))) {
                        throw new UsageException("netif spec '" + spec + "': fcs= takes 16 or 32, not '" + v + "'");
                    }
                    s.fcs32 = v.equals("32");
                    break;
                case "auth":
                    if (!s.isPpp()) {
                        throw new UsageException("netif spec '" + spec + "': auth=pap|chap is for ppp and ppp-tcp only");
                    }
                    if (!(v.equals("pap") || v.equals("chap"))) {
                        throw new UsageException("netif spec '" + spec + "': auth= takes pap or chap, not '" + v + "'");
                    }
                    s.auth = v.equals("pap") ? io.jwip.ppp.PppProtocol.PAP : io.jwip.ppp.PppProtocol.CHAP;
                    break;
                case "peer": {
                    if (!s.isPpp()) {
                        throw new UsageException("netif spec '" + spec + "': peer= is for ppp and ppp-tcp only");
                    }
                    s.peer = cidr(v, "netif spec '" + spec + "': peer")[0];
                    break;
                }
                case "mac":
                    if (!kind.equals("tap")) {
                        throw new UsageException("netif spec '" + spec + "': mac= is for tap only");
                    }
                    s.mac = io.jwip.wire.Mac.parse(v);
                    if (s.mac < 0 || !io.jwip.wire.Mac.isUnicast(s.mac)) {
                        throw new UsageException("netif spec '" + spec + "': mac=" + v
                                + " is not a unicast Ethernet address (like 02:00:00:00:00:01)");
                    }
                    break;
                default:
                    throw new UsageException("netif spec '" + spec + "': unknown key '" + k + "' (mtu, addr, host, netns, offload, mac, peer, echo, user, password, server, auth, vj, fcs)");
            }
        }
        if (s.isPpp() && s.addr > 0) {
            s.prefix = 32; // point to point: IPCP makes it a /32 with the peer as its other end
            s.prefixGiven = true;
        }
        if (s.auth != 0 && s.user == null) {
            throw new UsageException("netif spec '" + spec + "': auth= needs user=NAME and password=SECRET (what the peer must present)");
        }
        if (s.server && (s.addr <= 0 || s.peer == 0)) {
            throw new UsageException("netif spec '" + spec + "': a PPP server needs addr=A.B.C.D (its own) and"
                    + " peer=A.B.C.D (the address it gives the peer)");
        }
        return s;
    }

    /** Parses {@code A.B.C.D/N} (N defaults to 24); returns {address, prefix}. */
    public static int[] cidr(String v, String what) throws UsageException {
        int slash = v.indexOf('/');
        String a = slash < 0 ? v : v.substring(0, slash);
        if (!Ip4Addr.isValid(a)) {
            throw new UsageException(what + ": not an IPv4 address: " + v);
        }
        int prefix = 24;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(v.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > 32) {
                throw new UsageException(what + ": bad prefix length in " + v);
            }
        }
        return new int[]{Ip4Addr.parse(a, 0), prefix};
    }

    private static int number(String spec, String what, String v, int min, int max) throws UsageException {
        try {
            int x = Integer.parseInt(v);
            if (x >= min && x <= max) {
                return x;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new UsageException("netif spec '" + spec + "': bad " + what + " '" + v + "' (" + min + ".." + max + ")");
    }

    /**
     * What {@link #open(int)} gives: the link, how to poll it, its MTU, a netif name and the checksums the link
     * fills on transmit (for {@code Netif.setChecksumOffload}).
     */
    public record Opened(Link link, Pollable pollable, AutoCloseable closer, int mtu, String name, int txChecksums) {}

    /** True for the links that {@code --reconnect} can bring back (serial lines, slip-tcp, PPP). */
    public boolean reopenable() {
        return !isDevice();
    }

    /** A TUN or TAP device. */
    public boolean isDevice() {
        return kind.equals("tun") || kind.equals("tap");
    }

    /** PPP (ppp: or ppp-tcp:): the address comes from IPCP, not from --addr. */
    public boolean isPpp() {
        return kind.equals("ppp") || kind.equals("ppp-tcp");
    }

    /** A TAP device: the link carries Ethernet frames. */
    public boolean isEthernet() {
        return kind.equals("tap");
    }

    /** Opens the device or connection. */
    public Opened open(int index) throws IOException {
        switch (kind) {
            case "tun":
            case "tap": {
                TunLink.Config c = new TunLink.Config(target).tap(kind.equals("tap"));
                if (mtu > 0) {
                    c.mtu(mtu);
                }
                if (netns != null) {
                    c.netns(netns);
                }
                if (host != null) {
                    c.hostAddress(host);
                }
                c.offload(offload);
                TunLink t = TunLink.open(c);
                return new Opened(t, t, t, t.mtu(), target, t.txChecksumsFilled());
            }
            case "ppp":
            case "ppp-tcp": {
                int m = mtu > 0 ? mtu : 1500;
                io.jwip.netif.ppp.PppLink.LineOpener line = kind.equals("ppp")
                        ? io.jwip.netif.ppp.PppLink.serialLine(target, baud, m)
                        : io.jwip.netif.ppp.PppLink.tcpLine(target, port);
                io.jwip.netif.ppp.PppLink l = new io.jwip.netif.ppp.PppLink(line.open(), m);
                l.session().peerHint(peer);
                l.session().setKeepalive(echoSeconds * 1000L, 4);
                l.session().setVj(vj ? io.jwip.ppp.PppSession.DEFAULT_VJ_SLOTS : 0);
                l.session().setFcs32(fcs32);
                if (auth != 0) {
                    l.session().requireAuthentication(auth, user, password == null ? "" : password);
                } else if (user != null) {
                    l.session().setCredentials(user, password == null ? "" : password);
                }
                if (server) {
                    l.session().server(addr, peer, 0, 0);
                }
                if (reconnect) {
                    l.reconnect(line);
                }
                return new Opened(l, l, l, m, "ppp" + index, 0);
            }
            case "slip": {
                int m = mtu > 0 ? mtu : 1006;
                SlipLink l = SlipLink.serial(target, baud, m);
                return new Opened(l, l, l, m, "sl" + index, 0);
            }
            default: {
                int m = mtu > 0 ? mtu : 1006;
                SlipLink l = SlipLink.tcp(target, port, m);
                return new Opened(l, l, l, m, "sl" + index, 0);
            }
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
