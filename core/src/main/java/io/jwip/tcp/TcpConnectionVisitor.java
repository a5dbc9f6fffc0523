package io.jwip.tcp;

/** Sees each TCP connection once, for netstat-style listings ({@link Tcp#forEachConnection}). */
public interface TcpConnectionVisitor {
    /**
     * @param state  a {@link TcpState} constant
     * @param sendQ  bytes queued for sending and not yet acknowledged
     * @param recvQ  bytes received and not yet taken by the application
     */
    void connection(int localAddr, int localPort, int remoteAddr, int remotePort, int state, int sendQ, int recvQ);
}
