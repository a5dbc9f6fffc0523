package io.jwip.tcp;

/** Told that an active open completed (lwIP's {@code tcp_connected_fn}). */
public interface TcpConnected {
    /** {@code pcb} reached ESTABLISHED. A failed connect is reported through {@link TcpErr} instead. */
    void connected(TcpPcb pcb);
}
