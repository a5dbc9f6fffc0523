package io.jwip.ppp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwip.wire.Bytes;
import io.jwip.wire.Checksum;
import io.jwip.wire.Ip4Addr;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Van Jacobson compression (RFC 1144) packet by packet: each case of section 3.2 and of the decoder's
 * error handling in 4, every packet round-tripped through {@link VjCompressor} and {@link VjDecompressor}
 * and compared byte for byte with what was sent.
 */
class VjTest {
    static final int A = Ip4Addr.of(10, 0, 2, 15);
    static final int B = Ip4Addr.of(10, 0, 2, 2);
    static final int ACK = 0x10, PSH = 0x08, SYN = 0x02, FIN = 0x01, URG = 0x20;

    final VjCompressor tx = new VjCompressor(16);
    final VjDecompressor rx = new VjDecompressor(16);
    /** The last packet as the line carried it: its PPP protocol and bytes. */
    int protocol;
    byte[] wire;

    VjTest() {
        tx.start(16, true);
        rx.start(16);
    }

    /** A TCP/IPv4 packet with valid checksums. */
    static byte[] packet(int id, int sport, int dport, int seq, int ack, int flags, int win, int data) {
        byte[] p = new byte[40 + data];
        p[0] = 0x45;
        Bytes.put16(p, 2, p.length);
        Bytes.put16(p, 4, id);
        p[8] = 64;
        p[9] = 6;
        Bytes.put32(p, 12, A);
        Bytes.put32(p, 16, B);
        Bytes.put16(p, 10, Checksum.of(p, 0, 20));
        Bytes.put16(p, 20, sport);
        Bytes.put16(p, 22, dport);
        Bytes.put32(p, 24, seq);
        Bytes.put32(p, 28, ack);
        p[32] = 0x50;
        p[33] = (byte) flags;
        Bytes.put16(p, 34, win);
        for (int i = 0; i < data; i++) {
            p[40 + i] = (byte) (i * 7 + seq);
        }
        long sum = Checksum.addPseudoHeader(0, A, B, 6, 20 + data);
        Bytes.put16(p, 36, Checksum.finish(Checksum.add(sum, p, 20, 20 + data)));
        return p;
    }

    /** Sends {@code p} through the compressor and the decompressor; returns the compressor's type. */
    int roundTrip(byte[] p) {
        byte[] sent = p.clone();
        int type = tx.compress(sent, 0, sent.length);
        byte[] got;
        if (type == VjCompressor.TYPE_COMPRESSED) {
            protocol = PppProtocol.VJ_COMPRESSED;
            wire = new byte[tx.headerLength() + sent.length - tx.consumed()];
            System.arraycopy(tx.header(), 0, wire, 0, tx.headerLength());
            System.arraycopy(sent, tx.consumed(), wire, tx.headerLength(), sent.length - tx.consumed());
            int hl = rx.decompress(wire, 0, wire.length);
            assertTrue(hl > 0, "decompressed");
            got = new byte[hl + wire.length - rx.consumed()];
            System.arraycopy(rx.header(), 0, got, 0, hl);
            System.arraycopy(wire, rx.consumed(), got, hl, wire.length - rx.consumed());
        } else if (type == VjCompressor.TYPE_UNCOMPRESSED) {
            protocol = PppProtocol.VJ_UNCOMPRESSED;
            wire = sent;
            assertTrue(rx.uncompressed(sent, 0, sent.length));
            got = sent.clone();
            got[9] = 6;
        } else {
            protocol = PppProtocol.IPV4;
            wire = sent;
            got = sent;
        }
        assertArrayEquals(p, got, "the packet as it was sent");
        return type;
    }

    @Test
    void firstPacketOfAConnection_goesUncompressed_withTheSlotInTheProtocolByte() {
        assertEquals(VjCompressor.TYPE_UNCOMPRESSED, roundTrip(packet(1, 1000, 7, 100, 500, ACK, 8000, 0)));
        assertEquals(0, wire[9], "slot 0");
    }

    @Test
    void syn_fin_rst_andNoAck_goAsPlainIp() {
        assertEquals(VjCompressor.TYPE_IP, roundTrip(packet(1, 1000, 7, 100, 0, SYN, 8000, 0)));
        assertEquals(VjCompressor.TYPE_IP, roundTrip(packet(2, 1000, 7, 100, 500, ACK | FIN, 8000, 0)));
        assertEquals(VjCompressor.TYPE_IP, roundTrip(packet(3, 1000, 7, 100, 500, 0x04, 8000, 0)));
        assertEquals(VjCompressor.TYPE_IP, roundTrip(packet(4, 1000, 7, 100, 500, PSH, 8000, 0)));
    }

    @Test
    void notTcp_orAFragment_goAsPlainIp() {
        byte[] udp = packet(1, 1000, 7, 100, 500, ACK, 8000, 10);
        udp[9] = 17;
        assertEquals(VjCompressor.TYPE_IP, tx.compress(udp, 0, udp.length));
        byte[] frag = packet(1, 1000, 7, 100, 500, ACK, 8000, 10);
        Bytes.put16(frag, 6, 0x2000);
        assertEquals(VjCompressor.TYPE_IP, tx.compress(frag, 0, frag.length));
    }

    @Test
    void bulkData_sequenceGrowsByTheLastSegment_specialD_fourBytes() {
        roundTrip(packet(1, 1000, 7, 100, 500, ACK, 8000, 0)); // learns the slot
        roundTrip(packet(2, 1000, 7, 100, 500, ACK, 8000, 512)); // first data after a pure ACK
        for (int i = 0; i < 10; i++) {
            assertEquals(VjCompressor.TYPE_COMPRESSED, roundTrip(packet(3 + i, 1000, 7, 100 + 512 * (i + 1), 500, ACK, 8000, 512)));
            assertEquals(VjCompressor.SPECIAL_D, wire[0] & 0x0f);
            assertEquals(3, tx.headerLength(), "changes, checksum: the slot is left out on the same connection");
        }
    }

    @Test
    void echoedInteractiveTraffic_seqAndAckGrowByTheLastSegment_specialI() {
        roundTrip(packet(1, 1000, 23, 100, 500, ACK | PSH, 8000, 1));
        assertEquals(VjCompressor.TYPE_COMPRESSED, roundTrip(packet(2, 1000, 23, 101, 501, ACK | PSH, 8000, 1)));
        assertEquals(VjCompressor.SPECIAL_I, wire[0] & 0x0f);
        assertEquals(VjCompressor.PUSH, wire[0] & VjCompressor.PUSH);
        assertEquals(3 + 1, wire.length, "three header bytes and the one data byte");
    }

    @Test
    void ackDelta_windowDelta_ipIdJump_encodedInOneOrThreeBytes() {
        roundTrip(packet(1, 1000, 7, 100, 500, ACK, 8000, 0));
        assertEquals(VjCompressor.TYPE_COMPRESSED, roundTrip(packet(2, 1000, 7, 100, 1500, ACK, 7000, 0)));
        int changes = wire[0];
        assertEquals(VjCompressor.NEW_A | VjCompressor.NEW_W, changes & 0x0f);
        assertEquals(VjCompressor.TYPE_COMPRESSED, roundTrip(packet(900, 1000, 7, 100, 1600, ACK, 7000, 0)));
        assertEquals(VjCompressor.NEW_I, wire[0] & VjCompressor.NEW_I, "an ID that did not grow by one");
    }

    @Test
    void urgentData_carriesTheUrgentPointer() {
        roundTrip(packet(1, 1000, 7, 100, 500, ACK, 8000, 0));
        byte[] p = packet(2, 1000, 7, 100, 500, ACK | URG, 8000, 10);
        Bytes.put16(p, 38, 5);
        long sum = Checksum.addPseudoHeader(0, A, B, 6, 30);
        Bytes.put16(p, 36, 0);
        Bytes.put16(p, 36, Checksum.finish(Checksum.add(sum, p, 20, 30)));
        assertEquals(VjCompressor.TYPE_COMPRESSED, roundTrip(p));
        assertEquals(VjCompressor.NEW_U, wire[0] & VjCompressor.NEW_U);
    }

    @Test
    void retransmission_nothingChanged_goesUncompressed() {
        roundTrip(packet(1, 1000, 7, 100, 500, ACK, 8000, 0));
        roundTrip(packet(2, 1000, 7, 100, 500, ACK, 8000, 100));
        assertEquals(VjCompressor.TYPE_UNCOMPRESSED, roundTrip(packet(3, 1000, 7, 100, 500, ACK, 8000, 100)));
    }

    @Test
    void sequenceJumpOver64k_goesUncompressed() {
        roundTrip(packet(1, 1000, 7, 100, 500, ACK, 8000, 0));
        assertEquals(VjCompressor.TYPE_UNCOMPRESSED, roundTrip(packet(2, 1000, 7, 100 + 70_000, 500, ACK, 8000, 10)));
    }

    @Test
    void ttlChanged_goesUncompressed() {
        roundTrip(packet(1, 1000, 7, 100, 500, ACK, 8000, 0));
        byte[] p = packet(2, 1000, 7, 100, 600, ACK, 8000, 0);
        p[8] = 63;
        Bytes.put16(p, 10, 0);
        Bytes.put16(p, 10, Checksum.of(p, 0, 20));
        assertEquals(VjCompressor.TYPE_UNCOMPRESSED, roundTrip(p));
    }

    @Test
    void twoConnections_eachItsSlot_theSlotNumberSentWhenItChanges() {
        roundTrip(packet(1, 1000, 7, 100, 500, ACK, 8000, 0));
        roundTrip(packet(2, 2000, 7, 100, 500, ACK, 8000, 0));
        assertEquals(1, wire[9], "the second connection takes slot 1");
        assertEquals(VjCompressor.TYPE_COMPRESSED, roundTrip(packet(3, 1000, 7, 100, 600, ACK, 8000, 0)));
        assertEquals(VjCompressor.NEW_C, wire[0] & VjCompressor.NEW_C);
        assertEquals(0, wire[1]);
        assertEquals(VjCompressor.TYPE_COMPRESSED, roundTrip(packet(4, 1000, 7, 100, 700, ACK, 8000, 0)));
        assertEquals(0, wire[0] & VjCompressor.NEW_C, "the same slot again: left out");
    }

    @Test
    void peerThatWantsTheSlotNumberAlways_getsItAlways() {
        tx.start(16, false);
        roundTrip(packet(1, 1000, 7, 100, 500, ACK, 8000, 0));
        roundTrip(packet(2, 1000, 7, 100, 600, ACK, 8000, 0));
        roundTrip(packet(3, 1000, 7, 100, 700, ACK, 8000, 0));
        assertEquals(VjCompressor.NEW_C, wire[0] & VjCompressor.NEW_C);
    }

    @Test
    void moreConnectionsThanSlots_theLeastRecentlyUsedSlotIsTaken() {
        tx.start(2, true);
        rx.start(2);
        roundTrip(packet(1, 1000, 7, 100, 500, ACK, 8000, 0));
        roundTrip(packet(2, 2000, 7, 100, 500, ACK, 8000, 0));
        roundTrip(packet(3, 1000, 7, 100, 600, ACK, 8000, 0)); // slot 0 used last
        assertEquals(VjCompressor.TYPE_UNCOMPRESSED, roundTrip(packet(4, 3000, 7, 100, 500, ACK, 8000, 0)));
        assertEquals(1, wire[9], "slot 1 was the least recently used");
    }

    @Test
    void slotBeyondTheOffer_isAnError_andTossesUntilASlotIsNamed() {
        byte[] p = packet(1, 1000, 7, 100, 500, ACK, 8000, 0);
        p[9] = 16;
        assertTrue(!rx.uncompressed(p, 0, p.length));
        assertEquals(1, rx.errors());
        byte[] c = {0x0b, 0x12, 0x34};
        assertEquals(-1, rx.decompress(c, 0, c.length));
        assertEquals(1, rx.tossed(), "no slot named: tossed");
    }

    @Test
    void compressedForASlotNeverLearned_isAnError() {
        byte[] c = {(byte) (VjCompressor.NEW_C | 0x0b), 3, 0x12, 0x34};
        assertEquals(-1, rx.decompress(c, 0, c.length));
        assertEquals(1, rx.errors());
    }

    @Test
    void lostFrame_tossesCompressedPackets_untilOneNamesItsSlot() {
        roundTrip(packet(1, 1000, 7, 100, 500, ACK, 8000, 0));
        roundTrip(packet(2, 1000, 7, 100, 600, ACK, 8000, 0));
        rx.toss();
        byte[] sent = packet(3, 1000, 7, 100, 700, ACK, 8000, 0);
        assertEquals(VjCompressor.TYPE_COMPRESSED, tx.compress(sent, 0, sent.length));
        assertEquals(-1, rx.decompress(tx.header(), 0, tx.headerLength()), "no slot number: tossed");
        assertEquals(1, rx.tossed());
    }

    @Test
    void truncatedDeltas_areAnError_andLeaveTheSlotAsItWas() {
        tx.start(16, false); // every compressed packet names its slot
        roundTrip(packet(1, 1000, 7, 100, 500, ACK, 8000, 0));
        byte[] bad = {(byte) (VjCompressor.NEW_C | VjCompressor.NEW_A), 0, 0x12, 0x34, 0};
        assertEquals(-1, rx.decompress(bad, 0, bad.length));
        assertEquals(1, rx.errors());
        // the slot still holds packet 1: the next packet's deltas apply to it and rebuild it exactly
        assertEquals(VjCompressor.TYPE_COMPRESSED, roundTrip(packet(2, 1000, 7, 100, 600, ACK, 8000, 0)));
    }

    @Test
    void randomConversation_everyPacketRebuiltExactly() {
        Random r = new Random(7);
        int[] seq = {100, 2000, 30_000};
        int[] ack = {500, 600, 700};
        int[] id = {1, 100, 1000};
        int compressed = 0;
        for (int i = 0; i < 3; i++) {
            roundTrip(packet(id[i]++, 1000 + i, 80, seq[i], ack[i], ACK, 8000, 0));
        }
        for (int n = 0; n < 5000; n++) {
            int c = r.nextInt(3);
            int data = r.nextInt(4) == 0 ? 0 : r.nextInt(600);
            if (r.nextBoolean()) {
                ack[c] += r.nextInt(1500);
            }
            int flags = ACK | (r.nextInt(3) == 0 ? PSH : 0);
            id[c] += r.nextInt(5) == 0 ? r.nextInt(300) : 1;
            if (roundTrip(packet(id[c], 1000 + c, 80, seq[c], ack[c], flags, 8000 - r.nextInt(3) * 100, data))
                    == VjCompressor.TYPE_COMPRESSED) {
                compressed++;
            }
            seq[c] += data;
        }
        assertTrue(compressed > 4000, "most packets compressed: " + compressed);
        assertEquals(0, rx.errors());
    }
}
