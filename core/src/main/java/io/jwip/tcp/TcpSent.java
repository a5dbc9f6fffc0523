package io.jwip.tcp;

/** Told that data was acknowledged (lwIP's {@code tcp_sent_fn}): there is room in the send buffer. */
public interface TcpSent {
    /** {@code len} bytes of data written on {@code pcb} were acknowledged by the peer and freed. */
    void sent(TcpPcb pcb, int len);
}
