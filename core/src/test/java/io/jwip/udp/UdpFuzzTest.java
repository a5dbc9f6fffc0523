package io.jwip.udp;

import static io.jwip.testutil.TestStack.ADDR;
import static io.jwip.testutil.TestStack.PEER;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jwip.Err;
import io.jwip.buf.Pbuf;
import io.jwip.buf.PbufPool;
import io.jwip.stats.Drop;
import io.jwip.testutil.Packets;
import io.jwip.testutil.TestStack;
import io.jwip.wire.Bytes;
import io.jwip.wire.Checksum;
import io.jwip.wire.Ip4Addr;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Seeded fuzzing of UDP input (house rule 3): mutated datagrams (length field below, at and beyond the IP
 * payload, truncation, checksums right, zero and wrong, random ports, broadcast) to an echo socket, a
 * connected socket and closed ports. Nothing throws, the structural drops are counted as what they are,
 * and pools end full.
 */
class UdpFuzzTest {
    @Test
    @Timeout(300) // a hang (an input or timer loop that never ends) fails instead of blocking the build
    void mutatedDatagramsNeverThrowAndNeverLeak() {
        for (int seed = 1; seed <= 10; seed++) {
            fuzz(seed, 5000);
        }
    }

    static void fuzz(long seed, int n) {
        TestStack t = new TestStack();
        Udp udp = t.stack.udp();
        final UdpPcb echo = udp.newPcb();
        assertEquals(Err.OK, udp.bind(echo, 0, 7));
        echo.recv(new UdpRecv() {
            @Override
            public void recv(UdpPcb pcb, Pbuf p, int srcAddr, int srcPort) {
                udp.sendTo(pcb, p, srcAddr, srcPort); // output uses p: we still free it
                PbufPool.free(p);
            }
        });
        UdpPcb conn = udp.newPcb();
        assertEquals(Err.OK, udp.bind(conn, ADDR, 9));
        assertEquals(Err.OK, udp.connect(conn, PEER, 5000));
        conn.recv(new UdpRecv() {
            @Override
            public void recv(UdpPcb pcb, Pbuf p, int srcAddr, int srcPort) {
                PbufPool.free(p);
            }
        });
        Random r = new Random(seed);
        for (int i = 0; i < n; i++) {
            int dport = r.nextInt(4) == 0 ? r.nextInt(65536) : (r.nextBoolean() ? 7 : 9);
            int sport = r.nextBoolean() ? 5000 : r.nextInt(65536);
            int dst = r.nextInt(20) == 0 ? Ip4Addr.of(10, 0, 0, 255) : ADDR;
            byte[] data = new byte[r.nextInt(4) == 0 ? r.nextInt(1400) : r.nextInt(40)];
            r.nextBytes(data);
            byte[] u = Packets.udp(PEER, dst, sport, dport, data, r.nextInt(4) != 0);
            int expect = -1;
            int ipLen = u.length;
            int c = r.nextInt(10);
            if (c == 0) {
                Bytes.put16(u, 4, r.nextInt(65536)); // length field anything
            } else if (c == 1) {
                Bytes.put16(u, 6, Bytes.u16(u, 6) ^ (1 + r.nextInt(0xfffe))); // checksum wrong (or 0)
            } else if (c == 2) {
                ipLen = r.nextInt(u.length + 1); // truncated
            }
            byte[] payload = new byte[ipLen];
            System.arraycopy(u, 0, payload, 0, ipLen);
            int ulen = ipLen >= 6 ? Bytes.u16(payload, 4) : 0;
            if (ipLen < 8) {
                expect = Drop.UDP_TRUNCATED;
            } else if (ulen < 8 || ulen > ipLen) {
                expect = Drop.UDP_BAD_LENGTH;
            } else if (Bytes.u16(payload, 6) != 0) {
                long s = Checksum.addPseudoHeader(0, PEER, dst, 17, ulen);
                if (Checksum.finish(Checksum.add(s, payload, 0, ulen)) != 0) {
                    expect = Drop.UDP_BAD_CHECKSUM;
                }
            }
            long before = expect >= 0 ? t.stack.stats().drops(expect) : 0;
            t.link.inject(Packets.ipv4(PEER, dst, 17, i, 0, 64, payload));
            t.link.clear();
            if (expect >= 0) {
                assertEquals(before + 1, t.stack.stats().drops(expect), "seed " + seed + " #" + i + " counted as "
                        + Drop.name(expect));
            }
            if (r.nextInt(50) == 0) {
                t.advance(r.nextInt(2000)); // ICMP rate limit buckets refill
            }
        }
        udp.remove(echo);
        udp.remove(conn);
        t.advance(60_000);
        t.assertPoolsFull();
    }
}
