package io.jwip.dhcp;

import io.jwip.Err;
import io.jwip.StackRandom;
import io.jwip.StackTime;
import io.jwip.buf.Pbuf;
import io.jwip.buf.PbufPool;
import io.jwip.eth.AddressListener;
import io.jwip.eth.EthernetLink;
import io.jwip.netif.Netif;
import io.jwip.stack.Stack;
import io.jwip.stack.StackTimer;
import io.jwip.stats.Drop;
import io.jwip.stats.Stats;
import io.jwip.udp.Udp;
import io.jwip.udp.UdpPcb;
import io.jwip.udp.UdpRecv;
import io.jwip.wire.DhcpHeader;
import io.jwip.wire.Ip4Addr;
import io.jwip.wire.UdpHeader;

/**
 * A DHCP client (RFC 2131, options of RFC 2132) for one Ethernet netif: it obtains a lease, probes the
 * address (RFC 5227) before using it, sets the netif's address, mask and gateway from it, renews at T1
 * (unicast to the server), rebinds at T2 (broadcast), and takes the address away when the lease expires,
 * a NAK comes, or the client stops (after a RELEASE). The states are {@link DhcpState}'s.
 *
 * <p>Retransmissions follow RFC 2131 4.1: 4 s, doubling up to 64 s, each randomised by up to a second
 * either way; in RENEWING and REBINDING half the time left until T2 or expiry, at least 60 s. A REQUEST
 * (REQUESTING, REBOOTING) is sent at most 4 times before starting over. A declined address waits 10 s.
 *
 * <p>Every reply is checked before it counts: a BOOTP reply with the magic cookie, our transaction ID
 * (random per exchange) and our hardware address, a message type, and what the state needs (an OFFER's
 * address and server identifier); the rest is dropped and counted by reason. Messages are built in and
 * parsed from one scratch array made here; after {@link #start()} nothing allocates.
 *
 * <p>Use: {@code DhcpClient dhcp = new DhcpClient(stack, netif, eth); dhcp.start();} and run the stack's
 * timers as usual (the client registers itself with {@link Stack#addTimer}). One client per stack: it
 * owns UDP port 68.
 */
public final class DhcpClient implements StackTimer, UdpRecv, AddressListener, Stats.Section {
    /** RFC 2131 4.1: first retransmission after 4 s, doubling to 64 s. */
    static final long FIRST_RTX_MS = 4000;
    static final long MAX_RTX_MS = 64000;
    /** RFC 2131 4.4.5: in RENEWING and REBINDING, never retransmit more often than every 60 s. */
    static final long MIN_RENEW_RTX_MS = 60000;
    /** REQUESTs sent in REQUESTING or REBOOTING before starting over. */
    static final int MAX_REQUESTS = 4;
    /** RFC 2131 3.1 (5): after a DECLINE, wait at least 10 s before starting over. */
    static final long DECLINE_WAIT_MS = 10000;
    /** Used when an ACK has no lease time (a server must send one): one hour. */
    static final long DEFAULT_LEASE_S = 3600;

    private static final byte[] PARAMETERS = {DhcpHeader.OPT_SUBNET_MASK, DhcpHeader.OPT_ROUTER, DhcpHeader.OPT_DNS,
        DhcpHeader.OPT_LEASE_TIME, DhcpHeader.OPT_T1, DhcpHeader.OPT_T2};

    private final Stack stack;
    private final Netif netif;
    private final EthernetLink eth;
    private final Udp udp;
    private final UdpPcb pcb;
    private final StackTime time;
    private final StackRandom random;
    private final PbufPool pool;
    private final Stats stats;
    private final DhcpHeader msg = new DhcpHeader();
    private final byte[] scratch = new byte[1500];
    private final byte[] hostname = new byte[63];
    private int hostnameLength;
    private final long[] entered = new long[DhcpState.COUNT];
    private DhcpListener listener;
    private boolean probe = true;

    private int state = DhcpState.OFF;
    private int xid;
    private long started;
    /** When the last REQUEST went out: the lease's times run from there (RFC 2131 4.4.1). */
    private long requestSentAt;
    private long nextTx = StackTime.NO_DEADLINE;
    private long rtx;
    private int tries;

    private int remembered;
    private int offered;
    private int server;
    private int address;
    private int mask;
    private int router;
    private final int[] dns = new int[3];
    private int dnsCount;
    private long leaseS;
    private long t1At;
    private long t2At;
    private long expiresAt;
    private long boundAt;

    long discovers, requests, declines, releases, offers, acks, naks, renewals, rebinds, expiries;

    /** A client for {@code netif}, whose link is {@code eth}; it opens UDP port 68 now. */
    public DhcpClient(Stack stack, Netif netif, EthernetLink eth) {
        this.stack = stack;
        this.netif = netif;
        this.eth = eth;
        this.udp = stack.udp();
        this.time = stack.time();
        this.random = stack.random();
        this.pool = stack.pbufPool();
        this.stats = stack.stats();
        this.pcb = udp.newPcb();
        if (pcb == null || udp.bind(pcb, 0, DhcpHeader.CLIENT_PORT) != Err.OK) {
            throw new IllegalStateException("DHCP client: UDP port 68 is not free (one client per stack; raise udpPcbs)");
        }
        pcb.recv(this);
        eth.setAddressListener(this);
        stats.addSection(this);
        if (stack.addTimer(this) != Err.OK) {
            throw new IllegalStateException("DHCP client: the stack runs 8 timers already");
        }
    }

    /** Hears every state change. */
    public void setListener(DhcpListener l) {
        this.listener = l;
    }

    /** Sends option 12 (RFC 2132 3.14) with {@code name} (ASCII, at most 63 bytes); null for none. */
    public void setHostname(String name) {
        hostnameLength = 0;
        if (name != null) {
            for (int i = 0; i < name.length() && i < hostname.length; i++) {
                hostname[i] = (byte) name.charAt(i);
                hostnameLength++;
            }
        }
    }

    /** Probe a leased address for conflicts (RFC 5227) before using it; default true. */
    public void setProbe(boolean on) {
        this.probe = on;
    }

    /** Starts in INIT-REBOOT with {@code ip} (an address of an earlier lease) instead of INIT. */
    public void remember(int ip) {
        this.remembered = ip;
    }

    /** Starts acquiring (INIT, or INIT-REBOOT with a remembered address). */
    public void start() {
        if (state != DhcpState.OFF) {
            return;
        }
        long now = time.now();
        if (remembered != 0) {
            enter(DhcpState.INIT_REBOOT, "start with a remembered address", now);
            reboot(now);
        } else {
            enter(DhcpState.INIT, "start", now);
            discover(now);
        }
    }

    /** Stops: a RELEASE to the server if there is a lease, the address taken away, then OFF. */
    public void stop() {
        long now = time.now();
        if (DhcpState.hasLease(state)) {
            newXid(now);
            int n = header(address, false);
            n = msg.put8(n, DhcpHeader.OPT_MESSAGE_TYPE, DhcpHeader.RELEASE);
            n = msg.put32(n, DhcpHeader.OPT_SERVER_ID, server);
            send(finish(n), server, address);
            releases++;
        }
        unconfigure();
        enter(DhcpState.OFF, "stopped", now);
        nextTx = StackTime.NO_DEADLINE;
    }

    /** Stops ({@link #stop()}) and gives UDP port 68 back (the client cannot be started again). */
    public void close() {
        stop();
        udp.remove(pcb);
    }

    // ================================================================ getters

    public int state() { return state; }
    /** The current transaction ID (for tests that play the server). */
    int xid() { return xid; }
    public int address() { return address; }
    public int netmask() { return mask; }
    public int router() { return router; }
    public int server() { return server; }
    /** DNS servers of the lease (RFC 2132 option 6), up to 3. */
    public int dnsCount() { return dnsCount; }
    public int dns(int i) { return dns[i]; }
    /** Lease time in seconds. */
    public long leaseSeconds() { return leaseS; }
    /** Stack times of T1, T2 and expiry of the current lease, and when it was bound. */
    public long t1At() { return t1At; }
    public long t2At() { return t2At; }
    public long expiresAt() { return expiresAt; }
    public long boundAt() { return boundAt; }
    /** Times each state was entered. */
    public long entered(int state) { return entered[state]; }
    public long renewals() { return renewals; }
    public long rebinds() { return rebinds; }
    public long expiries() { return expiries; }
    public long naks() { return naks; }
    public long declines() { return declines; }
    public long offers() { return offers; }
    public long acks() { return acks; }

    /** The state, the lease and the counters, as a section of the stack's stats (non-zero lines unless {@code all}). */
    @Override
    public void dump(StringBuilder sb, boolean all) {
        sb.append("DHCP ").append(DhcpState.name(state));
        if (DhcpState.hasLease(state)) {
            sb.append(' ');
            Ip4Addr.append(sb, address).append('/').append(Integer.bitCount(mask)).append(" from ");
            Ip4Addr.append(sb, server).append(", lease ").append(leaseS).append(" s");
        }
        sb.append('\n');
        Stats.counter(sb, all, discovers, "discovers sent");
        Stats.counter(sb, all, requests, "requests sent");
        Stats.counter(sb, all, declines, "declines sent");
        Stats.counter(sb, all, releases, "releases sent");
        Stats.counter(sb, all, offers, "offers");
        Stats.counter(sb, all, acks, "acks");
        Stats.counter(sb, all, naks, "naks");
        Stats.counter(sb, all, renewals, "renewals (ACK while RENEWING)");
        Stats.counter(sb, all, rebinds, "rebinds (ACK while REBINDING)");
        Stats.counter(sb, all, expiries, "leases expired");
    }


    // ================================================================ timers

    @Override
    public long timers(long now) {
        if (state != DhcpState.OFF && DhcpState.hasLease(state)) {
            if (now >= expiresAt) {
                expiries++;
                unconfigure();
                enter(DhcpState.INIT, "lease expired", now);
                discover(now);
            } else if (state == DhcpState.BOUND && now >= t1At) {
                enter(DhcpState.RENEWING, "T1", now);
                newXid(now);
                renewRequest(now);
            } else if (state == DhcpState.RENEWING && now >= t2At) {
                enter(DhcpState.REBINDING, "T2", now);
                newXid(now);
                renewRequest(now);
            }
        }
        if (now >= nextTx) {
            switch (state) {
                case DhcpState.INIT:
                    discover(now);
                    break;
                case DhcpState.SELECTING:
                    rtx = Math.min(rtx * 2, MAX_RTX_MS);
                    sendDiscover(now);
                    break;
                case DhcpState.REQUESTING:
                case DhcpState.REBOOTING:
                    if (tries >= MAX_REQUESTS) {
                        enter(DhcpState.INIT, "no answer to REQUEST", now);
                        discover(now);
                    } else {
                        rtx = Math.min(rtx * 2, MAX_RTX_MS);
                        if (state == DhcpState.REQUESTING) {
                            sendSelectingRequest(now);
                        } else {
                            sendRebootRequest(now);
                        }
                    }
                    break;
                case DhcpState.RENEWING:
                case DhcpState.REBINDING:
                    renewRequest(now);
                    break;
                default:
                    nextTx = StackTime.NO_DEADLINE;
            }
        }
        long next = nextTx;
        if (state == DhcpState.BOUND) {
            next = Math.min(next, t1At);
        }
        if (state == DhcpState.RENEWING) {
            next = Math.min(next, t2At);
        }
        if (DhcpState.hasLease(state)) {
            next = Math.min(next, expiresAt);
        }
        return next;
    }

    private long jitter(long ms) {
        return ms - 1000 + random.below(2001);
    }

    private void newXid(long now) {
        xid = (int) random.next();
        started = now;
    }

    private void discover(long now) {
        enter(DhcpState.SELECTING, "DISCOVER", now);
        newXid(now);
        rtx = FIRST_RTX_MS;
        sendDiscover(now);
    }

    private void reboot(long now) {
        enter(DhcpState.REBOOTING, "REQUEST the remembered address", now);
        newXid(now);
        rtx = FIRST_RTX_MS;
        tries = 0;
        sendRebootRequest(now);
    }

    private void sendDiscover(long now) {
        int n = header(0, true);
        n = msg.put8(n, DhcpHeader.OPT_MESSAGE_TYPE, DhcpHeader.DISCOVER);
        n = commonOptions(n);
        send(finish(n), Ip4Addr.BROADCAST, 0);
        discovers++;
        nextTx = now + jitter(rtx);
    }

    private void sendSelectingRequest(long now) {
        int n = header(0, true);
        n = msg.put8(n, DhcpHeader.OPT_MESSAGE_TYPE, DhcpHeader.REQUEST);
        n = msg.put32(n, DhcpHeader.OPT_REQUESTED_IP, offered);
        n = msg.put32(n, DhcpHeader.OPT_SERVER_ID, server);
        n = commonOptions(n);
        send(finish(n), Ip4Addr.BROADCAST, 0);
        requests++;
        tries++;
        requestSentAt = now;
        nextTx = now + jitter(rtx);
    }

    private void sendRebootRequest(long now) {
        int n = header(0, true);
        n = msg.put8(n, DhcpHeader.OPT_MESSAGE_TYPE, DhcpHeader.REQUEST);
        n = msg.put32(n, DhcpHeader.OPT_REQUESTED_IP, remembered);
        n = commonOptions(n);
        send(finish(n), Ip4Addr.BROADCAST, 0);
        requests++;
        tries++;
        requestSentAt = now;
        nextTx = now + jitter(rtx);
    }

    /** RENEWING: unicast to the server; REBINDING: broadcast. ciaddr is ours, no server identifier. */
    private void renewRequest(long now) {
        boolean rebinding = state == DhcpState.REBINDING;
        int n = header(address, false);
        n = msg.put8(n, DhcpHeader.OPT_MESSAGE_TYPE, DhcpHeader.REQUEST);
        n = commonOptions(n);
        send(finish(n), rebinding ? Ip4Addr.BROADCAST : server, address);
        requests++;
        requestSentAt = now;
        long until = rebinding ? expiresAt : t2At;
        nextTx = now + Math.max(MIN_RENEW_RTX_MS, (until - now) / 2);
        if (nextTx > until) {
            nextTx = until; // the state change at T2 or expiry comes first
        }
    }

    // ================================================================ building and sending

    private int header(int ciaddr, boolean broadcast) {
        msg.wrap(scratch, 0, scratch.length);
        long secs = (time.now() - started) / 1000;
        msg.request(xid, (int) Math.min(secs, 0xffff), broadcast, ciaddr, eth.mac(), DhcpHeader.MIN_LENGTH + 64);
        return DhcpHeader.OPTIONS;
    }

    private int commonOptions(int n) {
        n = msg.putClientId(n, eth.mac());
        n = msg.putBytes(n, DhcpHeader.OPT_PARAMETERS, PARAMETERS, PARAMETERS.length);
        // The largest reply we take: an IP datagram of the MTU (RFC 2132 9.10; at least 576).
        n = msg.put16(n, DhcpHeader.OPT_MAX_SIZE, Math.max(576, Math.min(scratch.length + 28, netif.mtu())));
        if (hostnameLength > 0) {
            n = msg.putBytes(n, DhcpHeader.OPT_HOSTNAME, hostname, hostnameLength);
        }
        return n;
    }

    private int finish(int n) {
        n = msg.end(n);
        return Math.max(n, DhcpHeader.MIN_LENGTH);
    }

    private void send(int len, int dst, int src) {
        Pbuf p = stack.allocTransport(UdpHeader.HEADER_LENGTH, len);
        if (p == null) {
            stats.drop(Drop.IP_NO_BUFFER);
            return;
        }
        p.copyIn(0, scratch, 0, len);
        if (udp.sendToIf(pcb, p, dst, DhcpHeader.SERVER_PORT, netif, src) == Err.OK) {
            stats.dhcp.xmit++;
        }
        PbufPool.free(p);
    }

    // ================================================================ receiving

    @Override
    public void recv(UdpPcb pcb, Pbuf p, int srcAddr, int srcPort) {
        int len = Math.min(p.totalLength(), scratch.length);
        p.copyOut(0, scratch, 0, len);
        PbufPool.free(p);
        stats.dhcp.recv++;
        msg.wrap(scratch, 0, len);
        if (srcPort != DhcpHeader.SERVER_PORT || !msg.valid() || msg.op() != DhcpHeader.OP_REPLY) {
            stats.drop(Drop.DHCP_MALFORMED);
            return;
        }
        if (msg.xid() != xid || msg.htype() != 1 || msg.hlen() != 6 || msg.chaddrMac() != eth.mac()) {
            stats.drop(Drop.DHCP_NOT_OURS);
            return;
        }
        int type = msg.option8(DhcpHeader.OPT_MESSAGE_TYPE);
        if (type < 0) {
            stats.drop(Drop.DHCP_MALFORMED);
            return;
        }
        long now = time.now();
        switch (type) {
            case DhcpHeader.OFFER:
                offer(now);
                break;
            case DhcpHeader.ACK:
                ack(now);
                break;
            case DhcpHeader.NAK:
                nak(now);
                break;
            default:
                stats.drop(Drop.DHCP_UNEXPECTED);
        }
    }

    private void offer(long now) {
        int yiaddr = msg.yiaddr();
        int sid = (int) msg.option32(DhcpHeader.OPT_SERVER_ID, 0);
        if (state != DhcpState.SELECTING || yiaddr == 0 || sid == 0 || !usable(yiaddr)) {
            stats.drop(Drop.DHCP_UNEXPECTED);
            return;
        }
        offers++;
        offered = yiaddr;
        server = sid;
        enter(DhcpState.REQUESTING, "OFFER", now);
        rtx = FIRST_RTX_MS;
        tries = 0;
        sendSelectingRequest(now);
    }

    private void ack(long now) {
        boolean renewing = state == DhcpState.RENEWING || state == DhcpState.REBINDING;
        if (state != DhcpState.REQUESTING && state != DhcpState.REBOOTING && !renewing) {
            stats.drop(Drop.DHCP_UNEXPECTED);
            return;
        }
        int yiaddr = msg.yiaddr();
        if (yiaddr == 0 || !usable(yiaddr) || renewing && yiaddr != address) {
            stats.drop(Drop.DHCP_UNEXPECTED);
            return;
        }
        acks++;
        long sid = msg.option32(DhcpHeader.OPT_SERVER_ID, 0);
        if (sid != 0) {
            server = (int) sid;
        }
        int m = (int) msg.option32(DhcpHeader.OPT_SUBNET_MASK, 0);
        mask = m != 0 && Ip4Addr.isValidMask(m) ? m : Ip4Addr.classfulMask(yiaddr);
        router = msg.optionAddress(DhcpHeader.OPT_ROUTER, 0);
        dnsCount = 0;
        for (int i = 0; i < dns.length; i++) {
            int d = msg.optionAddress(DhcpHeader.OPT_DNS, i);
            if (d != 0) {
                dns[dnsCount++] = d;
            }
        }
        leaseS = msg.option32(DhcpHeader.OPT_LEASE_TIME, DEFAULT_LEASE_S);
        long t1 = msg.option32(DhcpHeader.OPT_T1, leaseS / 2);
        long t2 = msg.option32(DhcpHeader.OPT_T2, leaseS * 7 / 8);
        if (t2 > leaseS || t2 <= 0) {
            t2 = leaseS * 7 / 8;
        }
        if (t1 > t2 || t1 <= 0) {
            t1 = Math.min(leaseS / 2, t2);
        }
        // Times run from when the REQUEST this ACK answers was sent (RFC 2131 4.4.1); if it answers an
        // earlier copy, the later time errs on the late side by at most one retransmission interval.
        long base = requestSentAt;
        boundAt = now;
        t1At = base + t1 * 1000;
        t2At = base + t2 * 1000;
        expiresAt = base + leaseS * 1000;
        if (renewing) {
            if (state == DhcpState.RENEWING) {
                renewals++;
            } else {
                rebinds++;
            }
            netif.configure(address, mask, router);
            nextTx = StackTime.NO_DEADLINE;
            enter(DhcpState.BOUND, state == DhcpState.RENEWING ? "ACK: renewed" : "ACK: rebound", now);
            return;
        }
        offered = yiaddr;
        nextTx = StackTime.NO_DEADLINE;
        if (probe) {
            enter(DhcpState.CHECKING, "ACK: probing the address", now);
            eth.probe(yiaddr);
        } else {
            bind(now);
        }
    }

    /** An address a host can have: not 0/8, 127/8, multicast, reserved or broadcast. */
    private static boolean usable(int a) {
        int top = a >>> 24;
        return top != 0 && top != 127 && top < 224;
    }

    private void bind(long now) {
        address = offered;
        remembered = offered;
        netif.configure(address, mask, router);
        enter(DhcpState.BOUND, "address in use", now);
    }

    private void nak(long now) {
        if (state != DhcpState.REQUESTING && state != DhcpState.REBOOTING && state != DhcpState.RENEWING
                && state != DhcpState.REBINDING) {
            stats.drop(Drop.DHCP_UNEXPECTED);
            return;
        }
        naks++;
        remembered = 0;
        unconfigure();
        enter(DhcpState.INIT, "NAK", now);
        discover(now);
    }

    private void unconfigure() {
        if (address != 0) {
            netif.configure(0, 0, 0);
        }
        address = 0;
    }

    // ================================================================ AddressListener (conflict detection)

    @Override
    public void probed(int ip) {
        if (state == DhcpState.CHECKING && ip == offered) {
            bind(time.now());
        }
    }

    @Override
    public void conflict(int ip, long mac, boolean whileProbing) {
        long now = time.now();
        if (state == DhcpState.CHECKING && ip == offered) {
            int n = header(0, true);
            n = msg.put8(n, DhcpHeader.OPT_MESSAGE_TYPE, DhcpHeader.DECLINE);
            n = msg.put32(n, DhcpHeader.OPT_REQUESTED_IP, offered);
            n = msg.put32(n, DhcpHeader.OPT_SERVER_ID, server);
            n = msg.putClientId(n, eth.mac());
            send(finish(n), Ip4Addr.BROADCAST, 0);
            declines++;
            remembered = 0;
            enter(DhcpState.INIT, "address in use by another host: DECLINE", now);
            nextTx = now + DECLINE_WAIT_MS;
        }
    }

    private void enter(int to, String why, long now) {
        int from = state;
        state = to;
        entered[to]++;
        if (listener != null) {
            listener.transition(this, from, to, why, now);
        }
    }
}
