package io.jwip.ppp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jwip.StackRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * RFC 1661 4.1's state transition table, packet by packet: for each state an LCP can be in while its
 * lower layer is up (Closed to Opened) and each event a received packet causes (RCR+ to RXR), a real LCP
 * is driven into the state with packets and administrative events, sent the packet, and what it sends,
 * what it tells the layer above and where it ends are compared with the table's cell. One test per cell,
 * named after it: {@code reqSent_rcrPlus_sca_toAckSent}. (Initial and Starting take no packets: the lower
 * layer is down. The timer and administrative events are {@link PppFsmTest}'s.)
 *
 * <p>Observable actions: the packets sent (scr Configure-Request, sca Configure-Ack, scn Configure-Nak
 * or Reject, str Terminate-Request, sta Terminate-Ack, scj Code-Reject, ser Echo-Reply) and the calls to
 * the layer above (tlu, tld, tlf); irc and zrc change counters only and are not listed.
 */
class LcpPacketCellsTest {
    /**
     * The table, one row per event, one column per state (Closed, Stopped, Closing, Stopping, Req-Sent,
     * Ack-Rcvd, Ack-Sent, Opened): the observable actions and the next state, as RFC 1661 prints them.
     */
    static final String[][] TABLE = {
        {"RCR+", "sta/2", "scr,sca/8", "/4", "/5", "sca/8", "sca,tlu/9", "sca/8", "tld,scr,sca/8"},
        {"RCR-", "sta/2", "scr,scn/6", "/4", "/5", "scn/6", "scn/7", "scn/6", "tld,scr,scn/6"},
        {"RCA", "sta/2", "sta/3", "/4", "/5", "/7", "scr/6", "tlu/9", "tld,scr/6"},
        {"RCN", "sta/2", "sta/3", "/4", "/5", "scr/6", "scr/6", "scr/8", "tld,scr/6"},
        {"RTR", "sta/2", "sta/3", "sta/4", "sta/5", "sta/6", "sta/6", "sta/6", "tld,sta/5"},
        {"RTA", "/2", "/3", "tlf/2", "tlf/3", "/6", "/6", "/8", "tld,scr/6"},
        {"RUC", "scj/2", "scj/3", "scj/4", "scj/5", "scj/6", "scj/7", "scj/8", "scj/9"},
        {"RXJ+", "/2", "/3", "/4", "/5", "/6", "/6", "/8", "/9"},
        {"RXJ-", "tlf/2", "tlf/3", "tlf/2", "tlf/3", "tlf/3", "tlf/3", "tlf/3", "tld,str/5"},
        {"RXR", "/2", "/3", "/4", "/5", "/6", "/7", "/8", "ser/9"},
    };
    static final int[] STATES = {PppFsm.CLOSED, PppFsm.STOPPED, PppFsm.CLOSING, PppFsm.STOPPING, PppFsm.REQ_SENT,
        PppFsm.ACK_RCVD, PppFsm.ACK_SENT, PppFsm.OPENED};
    static final String[] STATE_NAMES = {"closed", "stopped", "closing", "stopping", "reqSent", "ackRcvd", "ackSent", "opened"};
    static final String[] NEXT_NAMES = {"Initial", "Starting", "Closed", "Stopped", "Closing", "Stopping", "ReqSent",
        "AckRcvd", "AckSent", "Opened"};

    /** One LCP and a record of what it did. */
    static final class Rig implements Lcp.Listener {
        final List<String> log = new ArrayList<>();
        byte[] lastRequest;
        final Lcp lcp;

        Rig() {
            StackRandom r = new StackRandom();
            r.setSecret(5, 6);
            lcp = new Lcp((protocol, p, len) -> {
                String[] names = {"?", "scr", "sca", "scn", "scn", "str", "sta", "scj", "spj", "ser-request", "ser", "sdr"};
                int code = p[0] & 0xff;
                if (code == Lcp.CONFIGURE_REQUEST) {
                    lastRequest = Arrays.copyOf(p, len);
                }
                log.add(code < names.length ? names[code] : "?");
            }, r);
            lcp.setListener(this);
        }

        @Override public void lcpUp() { log.add("tlu"); }
        @Override public void lcpDown() { log.add("tld"); }
        @Override public void lcpFinished() { log.add("tlf"); }

        void in(byte[] p) {
            lcp.input(p, 0, p.length, 0);
        }

        /** The packet that causes {@code event} now. */
        byte[] packet(String event) {
            int txId = lcp.txId;
            switch (event) {
                case "RCR+":
                    return new byte[] {1, 42, 0, 4}; // no options: every default is acceptable
                case "RCR-":
                    return new byte[] {1, 43, 0, 8, 99, 4, 0, 0}; // an option we do not know: Reject
                case "RCA": {
                    byte[] a = lastRequest == null ? new byte[] {2, (byte) txId, 0, 4} : lastRequest.clone();
                    a[0] = 2;
                    return a;
                }
                case "RCN":
                    return new byte[] {3, (byte) txId, 0, 8, 1, 4, 0x05, 0x78}; // MRU 1400, please
                case "RTR":
                    return new byte[] {5, 7, 0, 4};
                case "RTA":
                    return new byte[] {6, 7, 0, 4};
                case "RUC":
                    return new byte[] {77, 1, 0, 4};
                case "RXJ+":
                    return new byte[] {8, 1, 0, 6, (byte) 0x80, 0x21}; // Protocol-Reject of IPCP: we live without it
                case "RXJ-":
                    return new byte[] {7, 1, 0, 8, 1, 1, 0, 4}; // Code-Reject of Configure-Request: LCP cannot work
                case "RXR":
                    return new byte[] {9, 1, 0, 8, 0, 0, 0, 0};
                default:
                    throw new IllegalArgumentException(event);
            }
        }

        /** Drives the LCP into {@code state} with administrative events and packets. */
        void reach(int state) {
            switch (state) {
                case PppFsm.CLOSED:
                    lcp.fsm().up(0);
                    break;
                case PppFsm.REQ_SENT:
                    lcp.fsm().open(0);
                    lcp.fsm().up(0);
                    break;
                case PppFsm.ACK_RCVD:
                    reach(PppFsm.REQ_SENT);
                    in(packet("RCA"));
                    break;
                case PppFsm.ACK_SENT:
                    reach(PppFsm.REQ_SENT);
                    in(packet("RCR+"));
                    break;
                case PppFsm.OPENED:
                    reach(PppFsm.ACK_SENT);
                    in(packet("RCA"));
                    break;
                case PppFsm.STOPPED:
                    reach(PppFsm.REQ_SENT);
                    in(packet("RXJ-"));
                    break;
                case PppFsm.CLOSING:
                    reach(PppFsm.REQ_SENT);
                    lcp.fsm().close(0);
                    break;
                case PppFsm.STOPPING:
                    reach(PppFsm.OPENED);
                    in(packet("RTR"));
                    break;
                default:
                    throw new IllegalArgumentException("state " + state);
            }
            assertEquals(PppFsm.name(state), PppFsm.name(lcp.fsm().state()), "reached");
            log.clear();
        }
    }

    @TestFactory
    List<DynamicTest> everyReceiveCell() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String[] row : TABLE) {
            String event = row[0];
            for (int s = 0; s < STATES.length; s++) {
                String cell = row[s + 1];
                int slash = cell.indexOf('/');
                String actions = cell.substring(0, slash);
                int next = Integer.parseInt(cell.substring(slash + 1));
                int state = STATES[s];
                String name = STATE_NAMES[s] + "_" + eventName(event) + "_"
                        + (actions.isEmpty() ? "nothing" : actions.replace(",", "_")) + "_to" + NEXT_NAMES[next];
                tests.add(DynamicTest.dynamicTest(name, () -> {
                    Rig rig = new Rig();
                    rig.reach(state);
                    rig.in(rig.packet(event));
                    assertEquals(actions, String.join(",", rig.log), "actions of " + event + " in " + PppFsm.name(state));
                    assertEquals(PppFsm.name(next), PppFsm.name(rig.lcp.fsm().state()), "next state");
                }));
            }
        }
        return tests;
    }

    static String eventName(String e) {
        String n = e.toLowerCase(java.util.Locale.ROOT).replace("+", "Plus").replace("-", "Minus");
        return n;
    }

    /** Beyond the table: a peer that Naks every request (a fresh Magic-Number each time) cannot hold us in Req-Sent. */
    @org.junit.jupiter.api.Test
    void peerThatNaksForever_givesUpAfterTwentyNaks_tlfToStopped() {
        Rig rig = new Rig();
        rig.reach(PppFsm.REQ_SENT);
        int naks = 0;
        while (rig.lcp.fsm().state() == PppFsm.REQ_SENT && naks < 100) {
            byte[] nak = {3, (byte) rig.lcp.txId, 0, 10, 5, 6, 1, 2, 3, 4}; // Magic-Number, please change
            rig.in(nak);
            naks++;
        }
        assertEquals(PppFsm.MAX_NAKS_RECEIVED + 1, naks);
        assertEquals("Stopped", PppFsm.name(rig.lcp.fsm().state()));
        assertEquals("tlf", rig.log.get(rig.log.size() - 1));
    }

    /** RFC 1661 4.6 Max-Failure: after five Naks of a request that does not converge, the sixth answer is a Reject. */
    @org.junit.jupiter.api.Test
    void maxFailure_theSixthNakBecomesAReject() {
        List<Integer> codes = new ArrayList<>();
        StackRandom r = new StackRandom();
        r.setSecret(7, 8);
        Lcp lcp = new Lcp((protocol, p, len) -> codes.add(p[0] & 0xff), r);
        lcp.fsm().open(0);
        lcp.fsm().up(0);
        codes.clear();
        byte[] looped = {1, 50, 0, 10, 5, 6, 0, 0, 0, 0}; // asks for our own Magic-Number: we Nak it
        for (int i = 0; i < 6; i++) {
            io.jwip.wire.Bytes.put32(looped, 6, lcp.ourMagic());
            lcp.input(looped, 0, looped.length, 0);
        }
        assertEquals(List.of(3, 3, 3, 3, 3, 4), codes);
    }
}
