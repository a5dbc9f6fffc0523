package io.jwip.netif.pcap;

import io.jwip.stack.Stack;

/**
 * Where a {@link PcapWriter} takes its timestamps from. The writer never reads a clock on its own: a
 * capture of a test run carries the run's virtual time, a capture of a live port carries wall time only
 * if the port passes {@link #SYSTEM}.
 */
public interface PcapClock {
    /** The current time in microseconds since the epoch (or since any origin the capture should show). */
    long nowMicros();

    /** Wall-clock time, for live captures. */
    PcapClock SYSTEM = new PcapClock() {
        @Override
        public long nowMicros() {
            return System.currentTimeMillis() * 1000L;
        }
    };

    /** Always zero: every record at the epoch (for captures where only the order matters). */
    PcapClock ZERO = new PcapClock() {
        @Override
        public long nowMicros() {
            return 0;
        }
    };

    /** The virtual time of {@code stack} ({@link Stack#now()}, milliseconds), as microseconds. */
    static PcapClock of(final Stack stack) {
        return new PcapClock() {
            @Override
            public long nowMicros() {
                return stack.now() * 1000L;
            }
        };
    }
}
