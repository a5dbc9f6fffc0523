package io.jwip.netif;

/**
 * How a port learns that a {@link Pollable} has work, so that it can sleep until then instead of polling it
 * on a tick. A source offers one of two things:
 * <ul>
 *   <li>an operating-system descriptor ({@link #fd()}) that becomes readable when {@code poll()} has work
 *       (a TUN device, a serial line opened by descriptor): the port waits in {@code poll(2)} on it;</li>
 *   <li>or a signal ({@link #signalWith(Wakeup)}): the source calls the port's {@link Wakeup} itself when
 *       work arrives from elsewhere (a reader thread, an in-memory wire, a mailbox of calls).</li>
 * </ul>
 * A pollable that implements neither is polled on the port's tick ({@code setMaxIdleMs}, 1 ms by default),
 * as every source was before readiness existed.
 */
public interface Readiness {
    /** No descriptor. */
    int NO_FD = -1;

    /** The descriptor that becomes readable when {@code poll()} has work, or {@link #NO_FD}. */
    int fd();

    /**
     * Called once by the port, before it first polls, when {@link #fd()} gave no descriptor (or the port
     * cannot wait on descriptors): the source keeps {@code w} and calls it, from any thread, whenever work
     * arrives.
     *
     * @return false if this source cannot signal (the port then polls it on its tick)
     */
    boolean signalWith(Wakeup w);
}
