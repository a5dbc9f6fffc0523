package io.jwip.examples.cli;

import io.jwip.JwipOptions;

/**
 * Named configurations ({@code --profile NAME}), so a user gets a sensible stack for the job without ten
 * flags; individual configuration flags given with a profile still override it. The same three are the
 * bench's reference configurations (memory budget, TUN figures).
 *
 * <ul>
 *   <li>{@code tiny}: the smallest useful stack, for a serial-linked device: 2 connections, 8 buffers of
 *       592 bytes, MSS 536, 2-segment windows;</li>
 *   <li>{@code lwip}: lwIP 2.2's {@code opt.h} defaults (5 connections, 16 buffers of 592 bytes, MSS 536,
 *       4-MSS window, 2-MSS send buffer), to compare like with like;</li>
 *   <li>{@code server}: throughput over TUN or Ethernet: 64 connections, 1024 buffers of 1536 bytes, 1024
 *       segment descriptors, MSS 1460, 64-segment (93,440-byte, window-scaled) windows and send buffers,
 *       256 TIME_WAIT entries.</li>
 * </ul>
 */
public final class Profile {
    /** The profile names, for help texts. */
    public static final String NAMES = "tiny|lwip|server";

    private Profile() {}

    /** The options of profile {@code name}. */
    public static JwipOptions of(String name) throws UsageException {
        JwipOptions o = new JwipOptions();
        switch (name) {
            case "tiny" -> {
                o.tcpPcbs = 2;
                o.tcpListeners = 2;
                o.tcpTimeWait = 4;
                o.pbufs = 8;
                o.pbufSize = 592;
                o.tcpSegs = 8;
                o.tcpMss = 536;
                o.tcpWnd = 2 * 536;
                o.tcpSndBuf = 2 * 536;
                o.tcpOooMaxBytes = 2 * 536;
                o.tcpOooMaxSegs = 2;
                o.tcpOooMaxPbufs = 2;
                o.tcpRxPbufReserve = 2;
                o.udpPcbs = 2;
                o.ipReassDatagrams = 1;
                o.ipReassMaxPbufs = 4;
                o.tcpBacklog = 1;
            }
            case "lwip" -> {
                // lwIP 2.2 opt.h: MEMP_NUM_TCP_PCB 5, MEMP_NUM_TCP_PCB_LISTEN 8, MEMP_NUM_TCP_SEG 16,
                // PBUF_POOL_SIZE 16, PBUF_POOL_BUFSIZE 592 (TCP_MSS 536 + headers), TCP_WND 4*MSS,
                // TCP_SND_BUF 2*MSS, MEMP_NUM_UDP_PCB 4, MEMP_NUM_REASSDATA 5, IP_REASS_MAX_PBUFS 10.
                // lwIP keeps TIME_WAIT in its 5 pcbs; jwip's table gets the same 5 entries.
                o.tcpPcbs = 5;
                o.tcpListeners = 8;
                o.tcpSegs = 16;
                o.pbufs = 16;
                o.pbufSize = 592;
                o.tcpMss = 536;
                o.tcpWnd = 4 * 536;
                o.tcpSndBuf = 2 * 536;
                o.tcpOooMaxBytes = 4 * 536;
                o.tcpOooMaxSegs = 4;
                o.tcpOooMaxPbufs = 8;
                o.udpPcbs = 4;
                o.ipReassDatagrams = 5;
                o.ipReassMaxPbufs = 10;
                o.tcpTimeWait = 5;
                o.tcpBacklog = 1;
            }
            case "server" -> {
                o.tcpPcbs = 64;
                o.tcpTimeWait = 256;
                o.tcpBacklog = 16;
                o.pbufs = 1024;
                o.tcpSegs = 1024;
                o.tcpMss = 1460;
                o.tcpWnd = 64 * 1460;
                o.tcpSndBuf = 64 * 1460;
                o.tcpOooMaxBytes = 64 * 1460;
                o.tcpOooMaxSegs = 64;
                o.tcpOooMaxPbufs = 256;
                o.tcpRxPbufReserve = 64;
            }
            default -> throw new UsageException("--profile must be one of " + NAMES + ", not " + name);
        }
        String bad = o.validate();
        if (bad != null) {
            throw new IllegalStateException("profile " + name + ": " + bad);
        }
        return o;
    }
}
