package io.jwip.netif.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwip.buf.Pbuf;
import io.jwip.buf.PbufPool;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class PcapWriterTest {
    private long micros;
    private final PcapClock clock = () -> micros;

    @Test
    void globalHeaderIsClassicPcapRawIpMicroseconds() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PcapWriter(out, clock).close();
        ByteBuffer b = ByteBuffer.wrap(out.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(24, b.remaining());
        assertEquals(0xa1b2c3d4, b.getInt(0));
        assertEquals(2, b.getShort(4));
        assertEquals(4, b.getShort(6));
        assertEquals(0, b.getInt(8));
        assertEquals(0, b.getInt(12));
        assertEquals(65535, b.getInt(16));
        assertEquals(101, b.getInt(20));
    }

    @Test
    void recordsCarryClockTimeLengthsAndTheWholeChain() {
        PbufPool pool = new PbufPool("T", 4, 128);
        // 300 bytes over three 128-byte buffers, 20 bytes of headroom in the first.
        Pbuf p = pool.alloc(20, 300);
        assertEquals(3, p.chainLength());
        byte[] data = new byte[300];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7);
        }
        p.copyIn(0, data, 0, data.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PcapWriter w = new PcapWriter(out, clock);
        micros = 5_250_000L;
        w.write(p);
        micros = 6_000_001L;
        w.write(data, 10, 5);
        w.close();
        PbufPool.free(p);
        assertTrue(pool.pool().isFull());
        assertEquals(2, w.packets());
        assertEquals(305, w.bytes());
        assertEquals(0, w.errors());

        ByteBuffer b = ByteBuffer.wrap(out.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(24 + 16 + 300 + 16 + 5, b.remaining());
        b.position(24);
        assertEquals(5, b.getInt());
        assertEquals(250_000, b.getInt());
        assertEquals(300, b.getInt());
        assertEquals(300, b.getInt());
        for (int i = 0; i < 300; i++) {
            assertEquals(data[i], b.get(), "byte " + i);
        }
        assertEquals(6, b.getInt());
        assertEquals(1, b.getInt());
        assertEquals(5, b.getInt());
        assertEquals(5, b.getInt());
        for (int i = 0; i < 5; i++) {
            assertEquals(data[10 + i], b.get());
        }
    }

    @Test
    void moreThanTheStagingBufferIsWrittenInPieces() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PcapWriter w = new PcapWriter(out, clock, 4096);
        byte[] pkt = new byte[1500];
        for (int i = 0; i < 100; i++) {
            pkt[0] = (byte) i;
            w.write(pkt, 0, pkt.length);
        }
        assertTrue(out.size() > 0, "staging buffer went out when it filled");
        w.close();
        assertEquals(24 + 100 * (16 + 1500), out.size());
        byte[] all = out.toByteArray();
        for (int i = 0; i < 100; i++) {
            assertEquals((byte) i, all[24 + i * 1516 + 16]);
        }
    }

    @Test
    void ioErrorIsCountedAndSwitchesCaptureOffWithoutThrowing() {
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("disk full");
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                throw new IOException("disk full");
            }
        };
        PcapWriter w = new PcapWriter(broken, clock, 4096);
        byte[] pkt = new byte[1000];
        for (int i = 0; i < 10; i++) {
            w.write(pkt, 0, pkt.length);
        }
        assertFalse(w.isEnabled());
        assertEquals(1, w.errors());
        assertNotNull(w.lastError());
        assertEquals("disk full", w.lastError().getMessage());
        w.flush();
        w.close();
        assertTrue(w.packets() < 10);
    }

    @Test
    void stackClockGivesVirtualTime() {
        io.jwip.stack.Stack s = new io.jwip.stack.Stack(new io.jwip.JwipOptions());
        s.timers(1234);
        assertEquals(1_234_000L, PcapClock.of(s).nowMicros());
        assertEquals(0, PcapClock.ZERO.nowMicros());
    }
}
