package io.jwip.stats;

/** Per-protocol counters, as lwIP's {@code stats_proto}: packets received, sent, forwarded, dropped. */
public final class ProtoStats {
    public final String name;
    public long recv;
    public long xmit;
    public long fwd;
    public long drop;

    public ProtoStats(String name) {
        this.name = name;
    }

    void reset() {
        recv = xmit = fwd = drop = 0;
    }
}
