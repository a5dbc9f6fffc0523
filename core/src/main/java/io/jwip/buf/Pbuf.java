package io.jwip.buf;

import io.jwip.mem.PoolEntry;

/**
 * A packet buffer: a window over a preallocated {@code byte[]} with headroom for headers, chainable for
 * data larger than one buffer, with an explicit reference count (lwIP's {@code pbuf}, done the Java way).
 *
 * <pre>
 *   buf:  [ headroom ............ | payload (len bytes) ............ | tailroom ]
 *         0                       off                        off+len       buf.length
 *
 *   chain: p --next--> q --next--> r      p.totLen = p.len + q.len + r.len
 * </pre>
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li><b>Storage.</b> {@link #buf} is created once with the pool and never replaced; the pool owns it.
 *       Nobody keeps a reference to {@code buf} after they have given up their reference to the pbuf.</li>
 *   <li><b>Lengths.</b> For every pbuf in a chain, {@code totLen == len + (next == null ? 0 : next.totLen)}.
 *       Only the head of a chain is handed around as "a packet"; headers are added to and removed from
 *       the head only.</li>
 *   <li><b>Reference count.</b> {@link #ref} counts the owners of this pbuf. A pbuf fresh from
 *       {@link PbufPool#alloc} has {@code ref == 1} and belongs to the caller. {@link #ref()} adds an
 *       owner (e.g. a retransmission queue that keeps a segment the link is still sending);
 *       {@link PbufPool#free(Pbuf)} drops one, and when a count reaches zero the pbuf goes back to its
 *       pool and the walk continues with {@code next}. A chain link is owned by its predecessor.</li>
 *   <li><b>Ownership across calls.</b> A function that is documented to "take" a pbuf frees it (or hands
 *       it on); one that is documented to "use" it leaves the caller's reference and the pbuf's
 *       {@code off}/{@code len} as they were on entry. Input paths take; output paths use.</li>
 *   <li><b>Queue fields.</b> {@link #nextPacket}, {@link #tag} and {@link #tag2} belong to whoever holds
 *       the packet in a queue (reassembly, a link's ring...), and mean nothing elsewhere. The holder clears
 *       {@code nextPacket} when it hands the packet on.</li>
 * </ul>
 */
public final class Pbuf extends PoolEntry {
    /** Backing storage, owned by the pool; its length is the pool's buffer size. */
    public final byte[] buf;
    /** Index of the first payload byte in {@link #buf}. */
    int off;
    /** Payload bytes in this pbuf. */
    int len;
    /** Payload bytes in this pbuf and all that follow it in the chain. */
    int totLen;
    /** Next buffer of the same packet, or null. */
    Pbuf next;
    /** Number of owners; 0 while free. */
    int ref;

    /** Queue link for packets (not chain buffers); owned by the queue holding the packet. */
    public Pbuf nextPacket;
    /** Scratch value for the queue holding the packet (e.g. a fragment's offset, a deadline). */
    public long tag;
    /** Second scratch value for the queue holding the packet. */
    public int tag2;

    Pbuf(int size) {
        this.buf = new byte[size];
    }

    /** Offset of the first payload byte in {@link #buf}. */
    public int offset() { return off; }
    /** Payload bytes in this buffer. */
    public int length() { return len; }
    /** Payload bytes in this buffer and the rest of the chain. */
    public int totalLength() { return totLen; }
    /** The next buffer of this packet, or null. */
    public Pbuf next() { return next; }
    /** The current reference count. */
    public int refCount() { return ref; }
    /** Free bytes before the payload in this buffer. */
    public int headroom() { return off; }
    /** Free bytes after the payload in this buffer. */
    public int tailroom() { return buf.length - off - len; }

    /** Adds an owner. Each call must be balanced by one {@link PbufPool#free(Pbuf)}. */
    public void ref() {
        if (ref <= 0) {
            throw new IllegalStateException("ref() on a free pbuf");
        }
        ref++;
    }

    /**
     * Moves the start of the payload back by {@code n} bytes to make room for a header.
     *
     * @return false (and nothing changes) if the headroom is smaller than {@code n}
     */
    public boolean addHeader(int n) {
        if (n < 0 || n > off) {
            return false;
        }
        off -= n;
        len += n;
        totLen += n;
        return true;
    }

    /**
     * Moves the start of the payload forward by {@code n} bytes, past a header.
     *
     * @return false (and nothing changes) if this buffer holds fewer than {@code n} bytes
     */
    public boolean removeHeader(int n) {
        if (n < 0 || n > len) {
            return false;
        }
        off += n;
        len -= n;
        totLen -= n;
        return true;
    }

    /**
     * Shrinks the packet to {@code newTotLen} bytes (lwIP's {@code pbuf_realloc}); buffers past the new end
     * are freed. Growing is not possible; a larger value leaves the packet as it is.
     */
    public void truncate(int newTotLen) {
        if (newTotLen >= totLen || newTotLen < 0) {
            return;
        }
        int shrink = totLen - newTotLen;
        Pbuf q = this;
        int rem = newTotLen;
        while (rem > q.len) {
            q.totLen -= shrink;
            rem -= q.len;
            q = q.next;
        }
        q.len = rem;
        q.totLen = rem;
        Pbuf rest = q.next;
        q.next = null;
        if (rest != null) {
            PbufPool.free(rest);
        }
    }

    /**
     * Lengthens a single-buffer packet by {@code n} bytes into its tailroom (the new bytes keep whatever the
     * buffer held: the caller fills them). Used by TCP to append a small write to a queued segment.
     *
     * @return false (and nothing changes) for a chain or when the tailroom is too small
     */
    public boolean grow(int n) {
        if (next != null || n < 0 || n > buf.length - off - len) {
            return false;
        }
        len += n;
        totLen += n;
        return true;
    }

    /**
     * Appends {@code tail} to the end of this chain. The chain takes over the caller's reference to
     * {@code tail} (lwIP's {@code pbuf_cat}).
     */
    public void cat(Pbuf tail) {
        Pbuf q = this;
        while (q.next != null) {
            q.totLen += tail.totLen;
            q = q.next;
        }
        q.totLen += tail.totLen;
        q.next = tail;
    }

    /**
     * Removes the first {@code n} bytes of the packet, giving back buffers that become empty (lwIP's
     * {@code pbuf_free_header}). Used by TCP to trim data that lies before the receive window.
     *
     * @return the new head of the packet (the caller's reference moves to it); this same pbuf if its
     *         own buffer still holds data, or if it is the last buffer
     */
    public Pbuf freeHeader(int n) {
        Pbuf p = this;
        while (n > 0) {
            if (n >= p.len && p.next != null) {
                n -= p.len;
                Pbuf rest = p.next;
                p.next = null;
                PbufPool.free(p);
                p = rest;
            } else {
                int c = n < p.len ? n : p.len;
                p.off += c;
                p.len -= c;
                p.totLen -= c;
                n = 0;
            }
        }
        return p;
    }

    /** Number of buffers in this chain. */
    public int chainLength() {
        int n = 0;
        for (Pbuf q = this; q != null; q = q.next) {
            n++;
        }
        return n;
    }

    /** The byte at {@code index} of the packet (0 = first payload byte), walking the chain. */
    public int getByte(int index) {
        Pbuf q = this;
        while (index >= q.len) {
            index -= q.len;
            q = q.next;
            if (q == null) {
                throw new IndexOutOfBoundsException("pbuf index");
            }
        }
        return q.buf[q.off + index] & 0xff;
    }

    /**
     * Copies {@code n} bytes starting at packet offset {@code from} into {@code dst} (lwIP's
     * {@code pbuf_copy_partial}).
     *
     * @return the number of bytes copied (less than {@code n} if the packet is shorter)
     */
    public int copyOut(int from, byte[] dst, int dstOff, int n) {
        int copied = 0;
        for (Pbuf q = this; q != null && copied < n; q = q.next) {
            if (from >= q.len) {
                from -= q.len;
                continue;
            }
            int c = q.len - from;
            if (c > n - copied) {
                c = n - copied;
            }
            System.arraycopy(q.buf, q.off + from, dst, dstOff + copied, c);
            copied += c;
            from = 0;
        }
        return copied;
    }

    /**
     * Copies {@code n} bytes from {@code src} into the packet starting at packet offset {@code to}.
     *
     * @return the number of bytes copied (less than {@code n} if the packet is shorter)
     */
    public int copyIn(int to, byte[] src, int srcOff, int n) {
        int copied = 0;
        for (Pbuf q = this; q != null && copied < n; q = q.next) {
            if (to >= q.len) {
                to -= q.len;
                continue;
            }
            int c = q.len - to;
            if (c > n - copied) {
                c = n - copied;
            }
            System.arraycopy(src, srcOff + copied, q.buf, q.off + to, c);
            copied += c;
            to = 0;
        }
        return copied;
    }

    /**
     * Copies {@code n} bytes from packet {@code src} (starting at its offset {@code from}) into this packet
     * (starting at offset {@code to}).
     *
     * @return bytes copied
     */
    public int copyFrom(Pbuf src, int from, int to, int n) {
        int copied = 0;
        Pbuf s = src;
        while (s != null && from >= s.len) {
            from -= s.len;
            s = s.next;
        }
        Pbuf d = this;
        while (d != null && to >= d.len) {
            to -= d.len;
            d = d.next;
        }
        while (s != null && d != null && copied < n) {
            int c = s.len - from;
            if (d.len - to < c) {
                c = d.len - to;
            }
            if (n - copied < c) {
                c = n - copied;
            }
            System.arraycopy(s.buf, s.off + from, d.buf, d.off + to, c);
            copied += c;
            from += c;
            to += c;
            if (from == s.len) {
                s = s.next;
                from = 0;
            }
            if (to == d.len) {
                d = d.next;
                to = 0;
            }
        }
        return copied;
    }
}
