package io.jwip.netif;

/**
 * A link that holds back what the stack transmits during a turn, to send it together (a TUN device with
 * segmentation offload gathers a connection's segments into one super-packet). The port that owns the
 * stack calls {@link #flushTx()} at the end of every turn, after input and timers, and before it waits; a
 * hand-written loop must do the same.
 */
public interface Batching {
    /** Sends everything held back. */
    void flushTx();
}
