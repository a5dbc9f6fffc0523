package io.jwip.ppp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwip.stats.Drop;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** RFC 1662 framing: FCS-16, escaping under the ACCM, ACFC and PFC, any chunking, and every bad frame counted. */
class HdlcFramingTest {
    static final class Got implements HdlcFraming.Receiver {
        final List<int[]> protocols = new ArrayList<>();
        final List<byte[]> frames = new ArrayList<>();
        final List<Integer> drops = new ArrayList<>();

        @Override
        public void frame(int protocol, byte[] frame, int off, int len) {
            protocols.add(new int[] {protocol});
            frames.add(Arrays.copyOfRange(frame, off, off + len));
        }

        @Override
        public void dropped(int reason) {
            drops.add(reason);
        }
    }

    static byte[] allBytes() {
        byte[] b = new byte[256];
        for (int i = 0; i < 256; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    @Test
    void fcs16_isX25sCrc_andAGoodFrameChecksToF0B8() {
        byte[] s = "123456789".getBytes();
        assertEquals(0x906e, HdlcFraming.fcs(HdlcFraming.INIT_FCS, s, 0, s.length) ^ 0xffff, "CRC-16/X-25 check value");
        HdlcFraming f = new HdlcFraming(1500);
        byte[] out = new byte[HdlcFraming.maxEncodedLength(9)];
        int n = f.encode(PppProtocol.IPV4, s, 0, s.length, out, 0);
        Got g = new Got();
        f.setReceiver(g);
        f.decode(out, 0, n);
        assertEquals(1, g.frames.size(), "the decoder's FCS check of its own frame gives " + Integer.toHexString(HdlcFraming.GOOD_FCS));
    }

    @Test
    void fcs32_isTheCrc32OfRfc1662C3_aGoodFrameChecksToDebb20e3_andAFlippedBitFails() {
        byte[] s = "123456789".getBytes();
        assertEquals(0xcbf43926, ~HdlcFraming.fcs32(HdlcFraming.INIT_FCS32, s, 0, s.length), "CRC-32 check value");
        HdlcFraming f = new HdlcFraming(1500);
        f.setFcs32(true, true);
        byte[] info = allBytes();
        byte[] out = new byte[HdlcFraming.maxEncodedLength(info.length)];
        int n = f.encode(PppProtocol.IPV4, info, 0, info.length, out, 0);
        Got g = new Got();
        f.setReceiver(g);
        f.decode(out, 0, n);
        assertEquals(1, g.frames.size());
        assertArrayEquals(info, g.frames.get(0), "the 4 FCS bytes stripped");
        out[n / 2] ^= 0x01;
        f.decode(out, 0, n);
        assertEquals(1, g.frames.size());
        assertEquals(Drop.PPP_BAD_FCS, g.drops.get(0));
        HdlcFraming sixteen = new HdlcFraming(1500);
        sixteen.setReceiver(g);
        out[n / 2] ^= 0x01;
        sixteen.decode(out, 0, n);
        assertEquals(2, g.drops.size(), "an FCS-32 frame read as FCS-16 fails");
    }

    @Test
    void roundTrip_everyByteValue_anyChunking_defaultAccmEscapesAllControlBytes() {
        HdlcFraming tx = new HdlcFraming(1500);
        byte[] info = allBytes();
        byte[] out = new byte[HdlcFraming.maxEncodedLength(info.length)];
        int n = tx.encode(PppProtocol.LCP, info, 0, info.length, out, 0);
        for (int i = 1; i < n - 1; i++) {
            int c = out[i] & 0xff;
            assertTrue(c >= 0x20 && c != 0x7e, "no control byte and no flag inside the frame: " + c);
        }
        Random r = new Random(3);
        for (int trial = 0; trial < 50; trial++) {
            HdlcFraming rx = new HdlcFraming(1500);
            Got g = new Got();
            rx.setReceiver(g);
            for (int at = 0; at < n; ) {
                int k = Math.min(n - at, 1 + r.nextInt(20));
                rx.decode(out, at, k);
                at += k;
            }
            assertEquals(1, g.frames.size());
            assertEquals(PppProtocol.LCP, g.protocols.get(0)[0]);
            assertArrayEquals(info, g.frames.get(0));
        }
    }

    @Test
    void acfcAndPfc_saveThreeBytes_neverForLcp_andTheDecoderTakesBothForms() {
        HdlcFraming tx = new HdlcFraming(1500);
        tx.setTxAccm(0);
        byte[] info = {0x45, 0, 0, 20};
        byte[] full = new byte[64];
        int n1 = tx.encode(PppProtocol.IPV4, info, 0, 4, full, 0);
        tx.setAcfc(true);
        tx.setPfc(true);
        byte[] small = new byte[64];
        int n2 = tx.encode(PppProtocol.IPV4, info, 0, 4, small, 0);
        assertEquals(n1 - 3, n2, "FF 03 and the protocol's 00 omitted");
        byte[] lcp = new byte[64];
        assertEquals(n1, tx.encode(PppProtocol.LCP, info, 0, 4, lcp, 0), "LCP is never compressed");
        HdlcFraming rx = new HdlcFraming(1500);
        rx.setRxAccm(0); // the peer sends control bytes unescaped, as the ACCM agreed
        Got g = new Got();
        rx.setReceiver(g);
        rx.decode(full, 0, n1);
        rx.decode(small, 0, n2);
        assertEquals(2, g.frames.size());
        assertEquals(PppProtocol.IPV4, g.protocols.get(1)[0]);
        assertArrayEquals(info, g.frames.get(1));
    }

    @Test
    void anyCorruptedByte_failsTheFcsOrTheFraming_andIsNeverDelivered() {
        HdlcFraming tx = new HdlcFraming(1500);
        byte[] info = allBytes();
        byte[] out = new byte[HdlcFraming.maxEncodedLength(info.length)];
        int n = tx.encode(PppProtocol.IPV4, info, 0, info.length, out, 0);
        Random r = new Random(7);
        int dropped = 0;
        for (int i = 1; i < n - 1; i++) {
            byte[] bad = Arrays.copyOf(out, n);
            bad[i] ^= (byte) (1 + r.nextInt(255));
            HdlcFraming rx = new HdlcFraming(1500);
            Got g = new Got();
            rx.setReceiver(g);
            rx.decode(bad, 0, n);
            assertTrue(g.frames.isEmpty(), "byte " + i + " corrupted: nothing delivered");
            dropped += g.drops.size();
        }
        assertTrue(dropped >= n - 2, "every corruption counted: " + dropped);
    }

    @Test
    void rxAccm_removesBytesTheLineInserted_abortAndOversizeAreCounted() {
        HdlcFraming tx = new HdlcFraming(1500);
        byte[] info = {1, 2, 3, 4, 5};
        byte[] out = new byte[64];
        int n = tx.encode(PppProtocol.IPV4, info, 0, 5, out, 0);
        byte[] noisy = new byte[n + 3];
        System.arraycopy(out, 0, noisy, 0, 3);
        noisy[3] = 0x11; // XON from a modem
        noisy[4] = 0x13; // XOFF
        noisy[5] = 0x00;
        System.arraycopy(out, 3, noisy, 6, n - 3);
        HdlcFraming rx = new HdlcFraming(16);
        Got g = new Got();
        rx.setReceiver(g);
        rx.decode(noisy, 0, noisy.length);
        assertEquals(1, g.frames.size(), "flagged control bytes are removed before the FCS");
        rx.decode(new byte[] {0x7e, (byte) 0xff, 0x03, 0x7d, 0x7e}, 0, 5);
        assertEquals(Drop.PPP_ABORTED, (int) g.drops.get(0));
        byte[] big = new byte[40];
        byte[] bigOut = new byte[200];
        int m = tx.encode(PppProtocol.IPV4, big, 0, 40, bigOut, 0);
        rx.decode(bigOut, 0, m);
        assertEquals(Drop.PPP_OVERSIZE, (int) g.drops.get(1), "MRU 16");
        rx.decode(out, 0, n);
        assertEquals(2, g.frames.size(), "the next frame is fine");
    }
}
