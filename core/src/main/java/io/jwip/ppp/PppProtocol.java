package io.jwip.ppp;

/** PPP protocol numbers (RFC 1661 2, the IANA registry) that jwip speaks or recognises. */
public final class PppProtocol {
    private PppProtocol() {}

    public static final int IPV4 = 0x0021;
    /** Van Jacobson compressed TCP/IP (RFC 1144, RFC 1332). */
    public static final int VJ_COMPRESSED = 0x002d;
    public static final int VJ_UNCOMPRESSED = 0x002f;
    public static final int IPCP = 0x8021;
    public static final int LCP = 0xc021;
    public static final int PAP = 0xc023;
    public static final int CHAP = 0xc223;
}
