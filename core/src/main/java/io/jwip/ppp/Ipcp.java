package io.jwip.ppp;

import io.jwip.wire.Bytes;

/**
 * The IP Control Protocol (RFC 1332) with the DNS server options of RFC 1877, on the {@link PppFsm}
 * automaton: it agrees on the two ends' IPv4 addresses.
 *
 * <ul>
 *   <li>As a client ({@link #ourAddress} 0) we ask for 0.0.0.0 and for the DNS servers (0.0.0.0), and take
 *       what the peer's Configure-Nak suggests; as a server we ask for our own address and Nak a peer that
 *       asks for 0.0.0.0 (or nothing else we can give) with the address we assign it.</li>
 *   <li>The peer's own IP-Address request is acknowledged when it is a unicast address (or, as a server,
 *       the one we assign); anything unknown is rejected, as are the DNS options when we are the client
 *       (we have none to give).</li>
 *   <li>Van Jacobson compression (option 2, RFC 1332 3.2: protocol 0x002d, Max-Slot-Id, Comp-Slot-Id) is
 *       asked for when {@link #vj} offers slots, and the peer's request acknowledged; each direction is
 *       separate: what the peer acknowledged we may receive compressed ({@link #vjReceiveSlots}), what we
 *       acknowledged we may send ({@link #vjSendSlots}). A reject or a Nak for another protocol makes us
 *       stop asking; the old 4-byte form of RFC 1172 is rejected.</li>
 * </ul>
 * Packets are built in arrays made here; nothing allocates after construction.
 */
public final class Ipcp extends ControlProtocol {
    public static final int OPT_COMPRESSION = 2;
    public static final int OPT_ADDRESS = 3;
    public static final int OPT_PRIMARY_DNS = 129;
    public static final int OPT_SECONDARY_DNS = 131;

    /** What the link hears. */
    public interface Listener {
        /** IPCP opened: {@code ours} and {@code peer} are agreed; DNS servers as the peer gave them (0: none). */
        void ipcpUp(int ours, int peer, int dns1, int dns2);

        /** IPCP left Opened. */
        void ipcpDown();

        /** IPCP gave up (no agreement within Max-Configure or Max-Failure, or the peer terminated it). */
        void ipcpFinished();
    }

    private Listener listener;

    private int ourAddress;
    private boolean askDns = true;
    private int dns1;
    private int dns2;
    /** Server side: the address we give the peer (0: we are the client). */
    private int assign;
    /** Server side: the DNS servers we give when asked. */
    private int serveDns1;
    private int serveDns2;
    private int peerAddress;
    /** Slots we offer to receive VJ-compressed packets in (0: we do not ask). */
    private int vjSlots;
    private int askVjSlots;
    private boolean vjAcked;
    private int peerVjSlots;
    private boolean peerVjCompSlot;

    public Ipcp(Lcp.Output out) {
        super(out, PppProtocol.IPCP);
    }

    public void setListener(Listener l) { this.listener = l; }

    /** The client: ask for an address (and DNS servers). */
    public void client() {
        ourAddress = 0;
        assign = 0;
        askDns = true;
        restartVj();
    }

    /** Van Jacobson compression: the slots we offer (1..256), 0 to neither ask for it nor accept it. */
    public void vj(int slots) {
        vjSlots = slots;
        restartVj();
    }

    private void restartVj() {
        askVjSlots = vjSlots;
        vjAcked = false;
        peerVjSlots = 0;
    }

    /** Slots the peer agreed to send us compressed packets in (0: none), valid once opened. */
    public int vjReceiveSlots() { return vjAcked ? askVjSlots : 0; }

    /** Slots we may send compressed packets in (the peer's Max-Slot-Id + 1; 0: none). */
    public int vjSendSlots() { return peerVjSlots; }

    /** The peer's Comp-Slot-Id: it takes compressed packets that leave out their slot number. */
    public boolean vjSendMayOmitSlot() { return peerVjCompSlot; }

    /** The client: an address to give a peer that asks for 0.0.0.0 (pppd's ":remote"; slirp wants 10.0.2.2); 0 rejects such a request. */
    public void peerHint(int a) {
        peerHint = a;
    }

    private int peerHint;

    /** The server: our address, the one we give the peer, and DNS servers to give when asked (0: none). */
    public void server(int ours, int peer, int dnsA, int dnsB) {
        ourAddress = ours;
        assign = peer;
        serveDns1 = dnsA;
        serveDns2 = dnsB;
        askDns = false;
        restartVj();
    }

    public int ourAddress() { return ourAddress; }
    public int peerAddress() { return peerAddress; }
    public int dns1() { return dns1; }
    public int dns2() { return dns2; }

    /** An IPCP packet from the peer. */
    public void input(byte[] b, int off, int len, long now) {
        if (len < 4) {
            return;
        }
        int code = Bytes.u8(b, off);
        int id = Bytes.u8(b, off + 1);
        int plen = Bytes.u16(b, off + 2);
        if (plen < 4 || plen > len) {
            return;
        }
        rxId = id;
        switch (code) {
            case Lcp.CONFIGURE_REQUEST:
                judge(b, off + 4, plen - 4);
                fsm.receiveConfigureRequest(responseCode == Lcp.CONFIGURE_ACK, now);
                break;
            case Lcp.CONFIGURE_ACK:
                if (id == txId) {
                    vjAcked = askVjSlots > 0; // an Ack repeats our request: VJ in it is agreed
                    fsm.receiveConfigureAck(now);
                }
                break;
            case Lcp.CONFIGURE_NAK:
            case Lcp.CONFIGURE_REJECT:
                if (id == txId) {
                    adjust(code, b, off + 4, plen - 4);
                    fsm.receiveConfigureNak(now);
                }
                break;
            case Lcp.TERMINATE_REQUEST:
                fsm.receiveTerminateRequest(now);
                break;
            case Lcp.TERMINATE_ACK:
                fsm.receiveTerminateAck(now);
                break;
            case Lcp.CODE_REJECT:
                fsm.receiveCodeReject(false, now);
                break;
            default:
                keepUnknown(b, off, plen);
                fsm.receiveUnknownCode();
        }
    }

    private void judge(byte[] b, int at, int n) {
        int end = at + n;
        int rej = 4;
        for (int i = at; i < end; ) {
            int l = i + 1 < end ? Bytes.u8(b, i + 1) : 0;
            if (l < 2 || i + l > end) {
                rej = copy(response, rej, b, i, end - i);
                break;
            }
            int type = Bytes.u8(b, i);
            boolean known = type == OPT_ADDRESS && l == 6
                    || type == OPT_COMPRESSION && l == 6 && vjSlots > 0 && Bytes.u16(b, i + 2) == PppProtocol.VJ_COMPRESSED
                    || assign != 0 && (type == OPT_PRIMARY_DNS || type == OPT_SECONDARY_DNS) && l == 6;
            if (!known) {
                rej = copy(response, rej, b, i, l);
            }
            i += l;
        }
        if (rej > 4) {
            responseCode = Lcp.CONFIGURE_REJECT;
            responseLen = rej;
            return;
        }
        int nak = 4;
        int peer = 0;
        int vjPeer = 0;
        boolean vjComp = false;
        for (int i = at; i < end; ) {
            int type = Bytes.u8(b, i);
            int l = Bytes.u8(b, i + 1);
            int v = Bytes.i32(b, i + 2);
            if (type == OPT_COMPRESSION) {
                vjPeer = Bytes.u8(b, i + 4) + 1;
                vjComp = Bytes.u8(b, i + 5) != 0;
            } else if (type == OPT_ADDRESS) {
                boolean ok = assign != 0 ? v == assign : usable(v);
                if (!ok && assign != 0) {
                    nak = option(response, nak, OPT_ADDRESS, assign);
                } else if (!ok && peerHint != 0) {
                    nak = option(response, nak, OPT_ADDRESS, peerHint);
                } else if (!ok) {
                    rej = copy(response, rej, b, i, l); // a client cannot assign the peer an address
                }
                peer = v;
            } else if (type == OPT_PRIMARY_DNS && v != serveDns1) {
                nak = option(response, nak, OPT_PRIMARY_DNS, serveDns1);
            } else if (type == OPT_SECONDARY_DNS && v != serveDns2) {
                nak = option(response, nak, OPT_SECONDARY_DNS, serveDns2);
            }
            i += l;
        }
        if (rej > 4) {
            responseCode = Lcp.CONFIGURE_REJECT;
            responseLen = rej;
        } else if (nak > 4) {
            responseCode = Lcp.CONFIGURE_NAK;
            responseLen = nak;
        } else {
            responseCode = Lcp.CONFIGURE_ACK;
            responseLen = copy(response, 4, b, at, n);
            peerAddress = peer != 0 ? peer : assign;
            peerVjSlots = vjPeer;
            peerVjCompSlot = vjComp;
        }
    }

    private static boolean usable(int a) {
        int top = a >>> 24;
        return a != 0 && top != 127 && top < 224;
    }

    private void adjust(int code, byte[] b, int at, int n) {
        int end = at + n;
        for (int i = at; i + 2 <= end; ) {
            int type = Bytes.u8(b, i);
            int l = Bytes.u8(b, i + 1);
            if (l < 2 || i + l > end) {
                return;
            }
            if (code == Lcp.CONFIGURE_REJECT) {
                if (type == OPT_PRIMARY_DNS || type == OPT_SECONDARY_DNS) {
                    askDns = false;
                } else if (type == OPT_COMPRESSION) {
                    askVjSlots = 0;
                }
            } else if (type == OPT_COMPRESSION) {
                // a Nak: fewer slots is fine; another protocol (or form) we do not speak, so stop asking
                boolean vj = l == 6 && Bytes.u16(b, i + 2) == PppProtocol.VJ_COMPRESSED;
                askVjSlots = vj ? Math.min(askVjSlots, Bytes.u8(b, i + 4) + 1) : 0;
            } else if (l == 6) {
                int v = Bytes.i32(b, i + 2);
                if (type == OPT_ADDRESS && assign == 0 && usable(v)) {
                    ourAddress = v;
                } else if (type == OPT_PRIMARY_DNS) {
                    dns1 = v;
                } else if (type == OPT_SECONDARY_DNS) {
                    dns2 = v;
                }
            }
            i += l;
        }
    }

    private static int option(byte[] p, int at, int type, int v) {
        p[at] = (byte) type;
        p[at + 1] = 6;
        Bytes.put32(p, at + 2, v);
        return at + 6;
    }



    // ================================================================ PppFsm.Actions

    @Override
    public void thisLayerUp() {
        if (listener != null) {
            listener.ipcpUp(ourAddress, peerAddress, dns1, dns2);
        }
    }

    @Override
    public void thisLayerDown() {
        if (listener != null) {
            listener.ipcpDown();
        }
    }

    @Override
    public void thisLayerStarted() {
    }

    @Override
    public void thisLayerFinished() {
        if (listener != null) {
            listener.ipcpFinished();
        }
    }

    @Override
    public void sendConfigureRequest(boolean retransmit) {
        if (!retransmit) {
            txId = (txId + 1) & 0xff;
        }
        int n = 4;
        if (askVjSlots > 0) {
            tx[n] = (byte) OPT_COMPRESSION;
            tx[n + 1] = 6;
            Bytes.put16(tx, n + 2, PppProtocol.VJ_COMPRESSED);
            tx[n + 4] = (byte) (askVjSlots - 1);
            tx[n + 5] = 1; // we take packets without the slot number (RFC 1332 3.2 Comp-Slot-Id)
            n += 6;
        }
        n = option(tx, n, OPT_ADDRESS, ourAddress);
        if (askDns) {
            n = option(tx, n, OPT_PRIMARY_DNS, dns1);
            n = option(tx, n, OPT_SECONDARY_DNS, dns2);
        }
        header(tx, Lcp.CONFIGURE_REQUEST, txId, n);
        out.send(PppProtocol.IPCP, tx, n);
    }







    @Override
    public void sendEchoReply() {
    }
}
