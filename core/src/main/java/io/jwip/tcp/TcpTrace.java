package io.jwip.tcp;

/**
 * Sees every TCP segment sent and received and every state transition, so that a person can follow a
 * connection as the textbook diagrams draw it. Install with {@link Tcp#setTrace}; {@link TcpTracePrinter}
 * prints one line per event. Called synchronously from the packet path: keep it cheap.
 */
public interface TcpTrace {
    /**
     * A segment went out ({@code out}) or came in. Addresses and ports are those of the segment itself
     * (source first). {@code len} counts data bytes only.
     */
    void segment(boolean out, int src, int srcPort, int dst, int dstPort, int flags, int seq, int ack,
            int wnd, int len);

    /**
     * A connection changed state ({@link TcpState}); {@code cause} is a short constant text such as
     * {@code "rcv SYN"}. The tuple is the local end first.
     */
    void transition(int localAddr, int localPort, int remoteAddr, int remotePort, int oldState, int newState,
            String cause);
}
