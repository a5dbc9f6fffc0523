package io.jwip.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwip.JwipOptions;
import org.junit.jupiter.api.Test;

/** {@code transfer}'s two APIs move the same verified stream. */
class TransferTest {
    @Test
    void thePatternRepeatsWithItsPeriodToItsLastByte() {
        // Both sides slice the stream from PATTERN at any position, up to 64 KiB long: every byte of the
        // extension must equal the byte one period earlier (it once held 15 zeros at its end).
        for (int i = BulkTransfer.PERIOD; i < BulkTransfer.PATTERN.length; i++) {
            assertEquals(BulkTransfer.PATTERN[i - BulkTransfer.PERIOD], BulkTransfer.PATTERN[i], "byte " + i);
        }
    }

    @Test
    void socketApiTransfersByteExactAndReturnsEveryBuffer() throws Exception {
        // 20 MB in 64 KiB writes: every sender chunk position modulo the period occurs, the last bytes of the
        // pattern's extension included.
        BulkTransfer.Result r = new SocketTransfer(BulkTransfer.defaults(), null).run(20_000_000, 2_000_000, null);
        assertTrue(r.verified, "byte-exact, first mismatch at " + r.mismatchAt + ", error " + r.error);
        assertTrue(r.poolsFull, "pools full");
    }

    @Test
    void rawApiTransfersByteExact() {
        JwipOptions o = BulkTransfer.defaults();
        BulkTransfer.Result r = new BulkTransfer(o, null).run(20_000_000, 2_000_000, null);
        assertTrue(r.verified && r.poolsFull, "verified " + r.verified + ", pools " + r.poolsFull + ", " + r.error);
    }
}
