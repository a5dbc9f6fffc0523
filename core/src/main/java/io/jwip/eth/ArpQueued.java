package io.jwip.eth;

import io.jwip.buf.Pbuf;
import io.jwip.mem.PoolEntry;

/** A packet (a copy in pool buffers, starting at its IPv4 header) waiting for its next hop's address. */
final class ArpQueued extends PoolEntry {
    Pbuf p;
    ArpQueued next;
}
