package io.jwip.testutil;

import io.jwip.wire.Bytes;
import io.jwip.wire.Checksum;
import io.jwip.wire.Ip4Header;

/** Builds and parses raw IPv4/ICMP/UDP packets as byte arrays, independently of the stack's own output code. */
public final class Packets {
    private Packets() {}

    public static byte[] ipv4(int src, int dst, int proto, int id, int flagsFrag, int ttl, byte[] payload) {
        return ipv4(src, dst, proto, id, flagsFrag, ttl, new byte[0], payload);
    }

    /** An IPv4 packet with the given options bytes (padded to a multiple of 4) and a valid checksum. */
    public static byte[] ipv4(int src, int dst, int proto, int id, int flagsFrag, int ttl, byte[] options, byte[] payload) {
        int optLen = (options.length + 3) & ~3;
        int hlen = 20 + optLen;
        byte[] b = new byte[hlen + payload.length];
        b[0] = (byte) (0x40 | (hlen / 4));
        Bytes.put16(b, 2, b.length);
        Bytes.put16(b, 4, id);
        Bytes.put16(b, 6, flagsFrag);
        b[8] = (byte) ttl;
        b[9] = (byte) proto;
        Bytes.put32(b, 12, src);
        Bytes.put32(b, 16, dst);
        System.arraycopy(options, 0, b, 20, options.length);
        Bytes.put16(b, 10, Checksum.of(b, 0, hlen));
        System.arraycopy(payload, 0, b, hlen, payload.length);
        return b;
    }

    public static byte[] icmpEcho(int type, int id, int seq, byte[] data) {
        byte[] b = new byte[8 + data.length];
        b[0] = (byte) type;
        Bytes.put16(b, 4, id);
        Bytes.put16(b, 6, seq);
        System.arraycopy(data, 0, b, 8, data.length);
        Bytes.put16(b, 2, Checksum.of(b, 0, b.length));
        return b;
    }

    /** A UDP datagram with a correct checksum (or 0 if {@code withChecksum} is false). */
    public static byte[] udp(int src, int dst, int sport, int dport, byte[] data, boolean withChecksum) {
        byte[] b = new byte[8 + data.length];
        Bytes.put16(b, 0, sport);
        Bytes.put16(b, 2, dport);
        Bytes.put16(b, 4, b.length);
        System.arraycopy(data, 0, b, 8, data.length);
        if (withChecksum) {
            long s = Checksum.addPseudoHeader(0, src, dst, Ip4Header.PROTO_UDP, b.length);
            int c = Checksum.finish(Checksum.add(s, b, 0, b.length));
            Bytes.put16(b, 6, c == 0 ? 0xffff : c);
        }
        return b;
    }

    public static byte[] seq(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 7 + seed);
        }
        return b;
    }

    public static int ihl(byte[] p) { return (p[0] & 0x0f) * 4; }
    public static int totalLength(byte[] p) { return Bytes.u16(p, 2); }
    public static int proto(byte[] p) { return p[9] & 0xff; }
    public static int src(byte[] p) { return Bytes.i32(p, 12); }
    public static int dst(byte[] p) { return Bytes.i32(p, 16); }
    public static int flagsFrag(byte[] p) { return Bytes.u16(p, 6); }
    public static boolean ipChecksumOk(byte[] p) { return Checksum.of(p, 0, ihl(p)) == 0; }

    /** The bytes after the IP header. */
    public static byte[] payload(byte[] p) {
        int h = ihl(p);
        byte[] r = new byte[totalLength(p) - h];
        System.arraycopy(p, h, r, 0, r.length);
        return r;
    }

    public static boolean udpChecksumOk(byte[] p) {
        byte[] u = payload(p);
        if (Bytes.u16(u, 6) == 0) {
            return true;
        }
        long s = Checksum.addPseudoHeader(0, src(p), dst(p), Ip4Header.PROTO_UDP, u.length);
        return Checksum.finish(Checksum.add(s, u, 0, u.length)) == 0;
    }
}
