package io.jwip.tcp;

/** Told that a connection died (lwIP's {@code tcp_err_fn}). */
public interface TcpErr {
    /**
     * The connection is gone: reset by the peer ({@link io.jwip.Err#RST}), refused
     * ({@link io.jwip.Err#REFUSED}), timed out ({@link io.jwip.Err#TIMEOUT}) or aborted by the stack
     * ({@link io.jwip.Err#ABRT}). The pcb has already been given back: only {@code arg} is passed and
     * the application must forget its pcb.
     */
    void err(Object arg, int err);
}
