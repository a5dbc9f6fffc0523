package io.jwip.ppp;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;

/**
 * Coverage-guided fuzz target (Jazzer) for everything PPP takes from the line: two jwip ends, the server
 * requiring PAP or CHAP (or nothing) and the client with credentials, negotiate over the in-memory line;
 * the fuzzer then shapes frames for either end: LCP, IPCP, PAP, CHAP packets with chosen codes,
 * identifiers, lengths and options; VJ-compressed and uncompressed-TCP packets; IPv4; unknown protocols;
 * raw bytes into the decoder (flags, escapes, bad FCS); with the clock jumping between them. An exception is
 * a finding; so is a pool not full once the ends have settled.
 */
public final class PppFuzzTarget {
    private PppFuzzTarget() {}

    private static final int[] PROTOCOLS = {PppProtocol.LCP, PppProtocol.IPCP, PppProtocol.PAP, PppProtocol.CHAP,
        PppProtocol.VJ_COMPRESSED, PppProtocol.VJ_UNCOMPRESSED, PppProtocol.IPV4, 0x80fd, 0x0057};

    public static void fuzzerTestOneInput(FuzzedDataProvider d) {
        PppPair t = new PppPair(16, d.consumeInt(0, 3) == 0 ? 0 : 16, false);
        int auth = d.consumeInt(0, 2);
        if (auth != 0) {
            t.server.ppp.requireAuthentication(auth == 1 ? PppProtocol.PAP : PppProtocol.CHAP, "jwip", "s3cret");
        }
        t.client.ppp.setCredentials("jwip", d.consumeBoolean() ? "s3cret" : "guess");
        t.start();
        t.run(d.consumeInt(0, 3000));
        HdlcFraming enc = new HdlcFraming(1500);
        byte[] out = new byte[HdlcFraming.maxEncodedLength(1500)];
        int frames = d.consumeInt(1, 30);
        for (int i = 0; i < frames && d.remainingBytes() > 0; i++) {
            PppPair.End to = d.consumeBoolean() ? t.server : t.client;
            if (d.consumeInt(0, 7) == 0) {
                byte[] raw = d.consumeBytes(d.consumeInt(0, 200));
                to.ppp.received(raw, 0, raw.length);
            } else {
                int protocol = d.pickValue(PROTOCOLS);
                byte[] info = new byte[d.consumeInt(0, 120)];
                if (info.length >= 4 && protocol > 0xff) {
                    info[0] = (byte) d.consumeInt(0, 12); // a code, an id, a length near the truth
                    info[1] = (byte) d.consumeInt(0, 3);
                    io.jwip.wire.Bytes.put16(info, 2, d.consumeBoolean() ? info.length : d.consumeInt(0, 300));
                }
                int start = info.length >= 4 && protocol > 0xff ? 4 : 0;
                byte[] rest = d.consumeBytes(info.length - start);
                System.arraycopy(rest, 0, info, start, rest.length);
                int n = enc.encode(protocol, info, 0, info.length, out, 0);
                to.ppp.received(out, 0, n);
            }
            if (d.consumeBoolean()) {
                t.run(d.consumeInt(0, 5000));
            }
        }
        t.run(60_000); // retries give up and keepalives decide: the pools come back
        if (!t.client.stack.stats().allPoolsFull() || !t.server.stack.stats().allPoolsFull()) {
            throw new AssertionError("pools not full: " + t.client.stack.stats().poolsNotFull() + " / "
                    + t.server.stack.stats().poolsNotFull());
        }
    }
}
