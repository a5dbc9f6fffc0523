package io.jwip.ppp;

import io.jwip.wire.Bytes;

/**
 * What LCP and IPCP share (RFC 1661 5, the packet format of every control protocol): the Code,
 * Identifier, Length header, the arrays packets are built in, the answer to the last Configure-Request
 * (prepared while judging it, sent when the automaton says sca or scn), and the Terminate and Code-Reject
 * packets. Each subclass adds its options and its own codes.
 */
abstract class ControlProtocol implements PppFsm.Actions {
    final PppFsm fsm = new PppFsm(this);
    final Lcp.Output out;
    final int protocol;
    final byte[] tx = new byte[256];
    final byte[] response = new byte[256];
    int responseLen;
    int responseCode;
    int rxId;
    int txId;

    ControlProtocol(Lcp.Output out, int protocol) {
        this.out = out;
        this.protocol = protocol;
    }

    public PppFsm fsm() { return fsm; }

    static void header(byte[] p, int code, int id, int len) {
        p[0] = (byte) code;
        p[1] = (byte) id;
        Bytes.put16(p, 2, len);
    }

    /** Copies what fits of {@code n} bytes into {@code dst} at {@code at}; returns the end. */
    static int copy(byte[] dst, int at, byte[] src, int from, int n) {
        int c = Math.min(n, dst.length - at);
        System.arraycopy(src, from, dst, at, c);
        return at + c;
    }

    /** Keeps a packet with a code we do not know, for the Code-Reject the automaton may ask for. */
    void keepUnknown(byte[] b, int off, int plen) {
        responseLen = Math.min(plen, response.length - 4);
        System.arraycopy(b, off, response, 0, responseLen);
    }

    @Override
    public void sendConfigureAck() {
        sendResponse();
    }

    /** RFC 1661 4.6 Max-Failure: past it, what we would Nak we Reject, so that negotiation converges. */
    @Override
    public void sendConfigureNak() {
        if (responseCode == Lcp.CONFIGURE_NAK && fsm.rejectInsteadOfNak()) {
            responseCode = Lcp.CONFIGURE_REJECT;
        }
        sendResponse();
    }

    private void sendResponse() {
        header(response, responseCode, rxId, responseLen);
        out.send(protocol, response, responseLen);
    }

    @Override
    public void sendTerminateRequest() {
        txId = (txId + 1) & 0xff;
        header(tx, Lcp.TERMINATE_REQUEST, txId, 4);
        out.send(protocol, tx, 4);
    }

    @Override
    public void sendTerminateAck() {
        header(tx, Lcp.TERMINATE_ACK, rxId, 4);
        out.send(protocol, tx, 4);
    }

    @Override
    public void sendCodeReject() {
        int n = Math.min(responseLen, tx.length - 4);
        System.arraycopy(response, 0, tx, 4, n);
        txId = (txId + 1) & 0xff;
        header(tx, Lcp.CODE_REJECT, txId, 4 + n);
        out.send(protocol, tx, 4 + n);
    }
}
