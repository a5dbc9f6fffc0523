package io.jwip.wire;

/**
 * The control bits of a TCP header (RFC 9293 section 3.1, RFC 3168 for ECE and CWR), as they lie in the
 * flags byte at {@link TcpHeader#FLAGS}. Apart from {@link TcpHeader}, whose constants are byte offsets:
 * {@code TcpHeader.ACK} is where the acknowledgment number lies, {@link #ACK} is the bit.
 */
public final class TcpFlags {
    private TcpFlags() {}

    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
    public static final int URG = 0x20;
    public static final int ECE = 0x40;
    public static final int CWR = 0x80;

    /** Appends the flags in tcpdump's style ({@code S}, {@code F}, {@code R}, {@code P}, {@code U}, {@code .}). */
    public static StringBuilder append(StringBuilder sb, int flags) {
        if ((flags & SYN) != 0) sb.append('S');
        if ((flags & FIN) != 0) sb.append('F');
        if ((flags & RST) != 0) sb.append('R');
        if ((flags & PSH) != 0) sb.append('P');
        if ((flags & URG) != 0) sb.append('U');
        if ((flags & ACK) != 0) sb.append('.');
        return sb;
    }
}
