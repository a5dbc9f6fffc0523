package io.jwip.tcp;

/**
 * The compact TIME_WAIT table: what is left of a connection after both FINs, in preallocated parallel
 * primitive arrays, so that TIME_WAIT holds no buffers and no control block.
 *
 * <p>An entry is the 4-tuple plus the two sequence numbers needed to answer a retransmitted FIN, and the
 * time it expires:
 * <pre>
 *   localAddr  int   4      remoteAddr int   4      ports int 4 (local &lt;&lt; 16 | remote)
 *   sndNxt     int   4      rcvNxt     int   4      expiry long 8      = 28 bytes of array storage
 * </pre>
 * (plus the six array headers, shared by all entries). {@code expiry == 0} marks a free slot. The table
 * holds no references, so its retained size is exactly its arrays: measured by a test with JOL.
 *
 * <p>When the table is full, the entry that expires first (the oldest, since every entry lives 2*MSL from
 * its last FIN) is recycled, and {@link #recycled} counts it. The protocol logic that uses the table
 * (ACK a retransmitted FIN, ignore RST, restart the timer) lives in {@link Tcp}.
 */
final class TcpTimeWait {
    final int[] localAddr;
    final int[] remoteAddr;
    /** Local port in the high 16 bits, remote port in the low 16. */
    final int[] ports;
    /** Our next sequence number (just past our FIN). */
    final int[] sndNxt;
    /** The peer's next sequence number (just past its FIN). */
    final int[] rcvNxt;
    /** Time the entry expires (2*MSL after the last FIN), or 0 for a free slot. */
    final long[] expiry;
    /** Entries in use. */
    int count;
    /** Entries evicted early because the table was full. */
    long recycled;

    TcpTimeWait(int capacity) {
        localAddr = new int[capacity];
        remoteAddr = new int[capacity];
        ports = new int[capacity];
        sndNxt = new int[capacity];
        rcvNxt = new int[capacity];
        expiry = new long[capacity];
    }

    int capacity() {
        return expiry.length;
    }

    /** The slot of a connection, or -1. */
    int find(int local, int lport, int remote, int rport) {
        int pp = (lport << 16) | rport;
        for (int i = 0; i < expiry.length; i++) {
            if (expiry[i] != 0 && ports[i] == pp && remoteAddr[i] == remote && localAddr[i] == local) {
                return i;
            }
        }
        return -1;
    }

    /** True if some entry uses {@code lport} locally (ephemeral port selection avoids it). */
    boolean usesLocalPort(int lport) {
        for (int i = 0; i < expiry.length; i++) {
            if (expiry[i] != 0 && (ports[i] >>> 16) == lport) {
                return true;
            }
        }
        return false;
    }

    /**
     * A free slot; when none is free the oldest entry is evicted (and counted in {@link #recycled}).
     * The caller fills every field; {@code expiry} must be non-zero.
     */
    int allocate() {
        int oldest = -1;
        for (int i = 0; i < expiry.length; i++) {
            if (expiry[i] == 0) {
                count++;
                return i;
            }
            if (oldest < 0 || expiry[i] < expiry[oldest]) {
                oldest = i;
            }
        }
        recycled++;
        return oldest;
    }

    void free(int i) {
        expiry[i] = 0;
        count--;
    }
}
