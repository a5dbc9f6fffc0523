/**
 * TCP (RFC 9293) for jwip: the state machine, reliable transfer and a bounded teardown, with lwIP's raw
 * callback API and no allocation after start-up.
 *
 * <h2>Map</h2>
 * <ul>
 *   <li>{@link io.jwip.tcp.Tcp}: the raw API, and the wiring of the parts below.</li>
 *   <li>{@code TcpTable}: lists of control blocks, lookup, lifecycle, reclaim; {@code TcpTimeWait}: the
 *       compact TIME_WAIT table (28 bytes of arrays per entry).</li>
 *   <li>{@code TcpInput} (RFC 9293 3.10.7, with RFC 5961's checks), {@code TcpSegment} (the parsed
 *       segment), {@code TcpPassive} (TIME_WAIT and LISTEN, SYN cookies), {@code TcpReceive} (text and FIN),
 *       {@code TcpEvents} (callbacks fired at the end of input).</li>
 *   <li>{@code TcpOutput} (send queues, windows, retransmission, persist), {@code TcpControl} (ACK, RST and
 *       probe segments), {@code TcpTimers}.</li>
 *   <li>Algorithms: {@code Congestion}, {@code RttEstimator}, {@code OutOfOrderQueue}, {@code SynOptions},
 *       {@code SynCookies}, {@code TcpIsn} and {@code SipHash} (RFC 6528); {@link io.jwip.tcp.TcpBounds}: how
 *       long each state can hold a connection.</li>
 *   <li>{@link io.jwip.tcp.TcpState}: the eleven states and their names (as lwIP's {@code tcp_state_str});
 *       {@link io.jwip.tcp.TcpTrace} sees segments and transitions.</li>
 *   <li>{@link io.jwip.tcp.Seq}: sequence arithmetic modulo 2^32; {@code io.jwip.wire.TcpHeader}: the header
 *       flyweight.</li>
 * </ul>
 *
 * <h2>Memory</h2>
 * Pools, all sized by {@link io.jwip.JwipOptions}: {@code TCP_PCB} (connections), {@code TCP_PCB_LISTEN}
 * (listeners), {@code TCP_SEG} (descriptors of the unsent, unacked and out-of-order queues; each references
 * pbufs of {@code PBUF_POOL}). A connection in TIME_WAIT holds none of these. A full pool is an error code
 * ({@code Err.MEM}), a pool error count and, for a refused passive open, a drop reason.
 *
 * <h2>Performance features</h2>
 * Congestion control (RFC 5681, initial window RFC 6928, NewReno RFC 6582), Nagle's algorithm with write
 * coalescing, delayed ACKs, sender and receiver SWS avoidance, the persist timer, keepalive and window
 * scaling and timestamps (RFC 7323, RTTM and PAWS; timestamps off by default) are in; see
 * {@link io.jwip.tcp.Tcp}. Not implemented: SACK; the TIME_WAIT table keeps no TS.Recent (its ACKs carry
 * no timestamps).
 */
package io.jwip.tcp;
