package io.jwip.port.socket;

/**
 * A reusable datagram holder (the allocation-free counterpart of {@code java.net.DatagramPacket}): the
 * application owns {@link #data} and reuses the object for every receive.
 */
public final class Datagram {
    public byte[] data;
    public int offset;
    /** On receive: the capacity on entry, the datagram's length on return. */
    public int length;
    /** Remote address (IPv4 as an int, see {@code Ip4Addr}) and port. */
    public int addr;
    public int port;
    /** True if the datagram was longer than the buffer and was cut. */
    public boolean truncated;

    public Datagram(int capacity) {
        this.data = new byte[capacity];
        this.length = capacity;
    }
}
