package io.jwip.icmp;

/** Told of every ICMP echo reply that arrives (used by ping tools and tests). */
public interface EchoListener {
    /**
     * @param src         who answered
     * @param identifier  the echo identifier
     * @param sequence    the echo sequence number
     * @param dataLength  bytes of echo data
     * @param now         the stack's time when it arrived
     */
    void echoReply(int src, int identifier, int sequence, int dataLength, long now);
}
