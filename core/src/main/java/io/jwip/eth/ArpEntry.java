package io.jwip.eth;

import io.jwip.mem.PoolEntry;

/** One neighbour in an {@link ArpCache}: its IPv4 and Ethernet addresses, state, timers and waiting packets. */
final class ArpEntry extends PoolEntry {
    int ip;
    /** Valid in REACHABLE, STALE and STATIC; for a STALE entry being re-checked, the address asked. */
    long mac;
    int state;
    /** When the entry became REACHABLE (ageing), or when the current request was sent. */
    long since;
    /** Next request (INCOMPLETE, or a STALE entry being re-checked); NO_DEADLINE when none is due. */
    long retryAt;
    /** Requests sent for the current resolution. */
    int tries;
    /** Last time a packet went through it (least recently used is evicted first). */
    long lastUsed;
    /** Packets waiting for the resolution, oldest first. */
    ArpQueued head;
    ArpQueued tail;
    int queued;
    /** Next entry in use (the cache's list). */
    ArpEntry next;
}
