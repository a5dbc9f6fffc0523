package io.jwip.tcp;

/** Told of a new connection on a listening pcb (lwIP's {@code tcp_accept_fn}). */
public interface TcpAccept {
    /**
     * A connection reached ESTABLISHED on {@code listener}. Set the new pcb's callbacks here.
     *
     * @return {@link io.jwip.Err#OK} to keep it; any other code makes the stack abort it (RST)
     */
    int accept(TcpPcb listener, TcpPcb pcb);
}
