package io.jwip.ppp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * RFC 1661 4.1's state transition table, one test per cell, named after it (e.g.
 * {@code Req-Sent_RCR+_sca_to_Ack-Sent}): the automaton is put in the state, the event happens, and the
 * actions it asked for and the state it is in must be the table's. "-" cells (events that cannot happen
 * there) must do nothing.
 */
class PppFsmTest {
    static final String[] EVENTS = {"Up", "Down", "Open", "Close", "TO+", "TO-", "RCR+", "RCR-", "RCA", "RCN",
        "RTR", "RTA", "RUC", "RXJ+", "RXJ-", "RXR"};

    /** The table, a row per state (Initial .. Opened), a cell per event: "actions/next" or "-". */
    static final String[][] TABLE = {
        // Up           Down      Open         Close           TO+      TO-      RCR+             RCR-             RCA          RCN          RTR              RTA          RUC      RXJ+  RXJ-             RXR
        {"/2",          "-",      "tls/1",     "/0",           "-",     "-",     "-",             "-",             "-",         "-",         "-",             "-",         "-",     "-",  "-",             "-"},
        {"irc,scr/6",   "-",      "/1",        "tlf/0",        "-",     "-",     "-",             "-",             "-",         "-",         "-",             "-",         "-",     "-",  "-",             "-"},
        {"-",           "/0",     "irc,scr/6", "/2",           "-",     "-",     "sta/2",         "sta/2",         "sta/2",     "sta/2",     "sta/2",         "/2",        "scj/2", "/2", "tlf/2",         "/2"},
        {"-",           "tls/1",  "/3",        "/2",           "-",     "-",     "irc,scr,sca/8", "irc,scr,scn/6", "sta/3",     "sta/3",     "sta/3",         "/3",        "scj/3", "/3", "tlf/3",         "/3"},
        {"-",           "/0",     "/5",        "/4",           "str/4", "tlf/2", "/4",            "/4",            "/4",        "/4",        "sta/4",         "tlf/2",     "scj/4", "/4", "tlf/2",         "/4"},
        {"-",           "/1",     "/5",        "/4",           "str/5", "tlf/3", "/5",            "/5",            "/5",        "/5",        "sta/5",         "tlf/3",     "scj/5", "/5", "tlf/3",         "/5"},
        {"-",           "/1",     "/6",        "irc,str/4",    "scr/6", "tlf/3", "sca/8",         "scn/6",         "irc/7",     "irc,scr/6", "sta/6",         "/6",        "scj/6", "/6", "tlf/3",         "/6"},
        {"-",           "/1",     "/7",        "irc,str/4",    "scr/6", "tlf/3", "sca,tlu/9",     "scn/7",         "scr/6",     "scr/6",     "sta/6",         "/6",        "scj/7", "/6", "tlf/3",         "/7"},
        {"-",           "/1",     "/8",        "irc,str/4",    "scr/8", "tlf/3", "sca/8",         "scn/6",         "irc,tlu/9", "irc,scr/8", "sta/6",         "/8",        "scj/8", "/8", "tlf/3",         "/8"},
        {"-",           "tld/1",  "/9",        "tld,irc,str/4", "-",    "-",     "tld,scr,sca/8", "tld,scr,scn/6", "tld,scr/6", "tld,scr/6", "tld,zrc,sta/5", "tld,scr/6", "scj/9", "/9", "tld,irc,str/5", "ser/9"},
    };

    static final class Recorder implements PppFsm.Actions {
        final List<String> done = new ArrayList<>();

        @Override public void thisLayerUp() { done.add("tlu"); }
        @Override public void thisLayerDown() { done.add("tld"); }
        @Override public void thisLayerStarted() { done.add("tls"); }
        @Override public void thisLayerFinished() { done.add("tlf"); }
        @Override public void sendConfigureRequest(boolean retransmit) { done.add("scr"); }
        @Override public void sendConfigureAck() { done.add("sca"); }
        @Override public void sendConfigureNak() { done.add("scn"); }
        @Override public void sendTerminateRequest() { done.add("str"); }
        @Override public void sendTerminateAck() { done.add("sta"); }
        @Override public void sendCodeReject() { done.add("scj"); }
        @Override public void sendEchoReply() { done.add("ser"); }
        @Override public void initializeRestartCount() { done.add("irc"); }
    }

    /** Applies event {@code e} at time 10 s; TO+ and TO- expire the timer with a counter left or not. */
    static void event(PppFsm f, Recorder r, String e) {
        long now = 10_000;
        switch (e) {
            case "Up" -> f.up(now);
            case "Down" -> f.down();
            case "Open" -> f.open(now);
            case "Close" -> f.close(now);
            case "TO+", "TO-" -> {
                // Arm the timer with the counter wanted, quietly, then let it expire.
                setTimer(f, e.equals("TO+") ? 2 : 0);
                f.timers(now);
            }
            case "RCR+" -> f.receiveConfigureRequest(true, now);
            case "RCR-" -> f.receiveConfigureRequest(false, now);
            case "RCA" -> f.receiveConfigureAck(now);
            case "RCN" -> f.receiveConfigureNak(now);
            case "RTR" -> {
                f.receiveTerminateRequest(now);
                if (f.timer() != io.jwip.StackTime.NO_DEADLINE && f.restartCounter() == 0 && r.done.contains("tld")) {
                    r.done.add(r.done.indexOf("sta"), "zrc"); // zero restart count: counter 0, one restart period
                }
            }
            case "RTA" -> f.receiveTerminateAck(now);
            case "RUC" -> f.receiveUnknownCode();
            case "RXJ+" -> f.receiveCodeReject(true, now);
            case "RXJ-" -> f.receiveCodeReject(false, now);
            case "RXR" -> f.receiveEchoOrDiscard(true);
            default -> throw new IllegalArgumentException(e);
        }
    }

    static void setTimer(PppFsm f, int counter) {
        try {
            java.lang.reflect.Field c = PppFsm.class.getDeclaredField("restartCounter");
            java.lang.reflect.Field t = PppFsm.class.getDeclaredField("timer");
            c.setAccessible(true);
            t.setAccessible(true);
            c.setInt(f, counter);
            t.setLong(f, 0);
        } catch (ReflectiveOperationException ex) {
            throw new AssertionError(ex);
        }
    }

    @TestFactory
    List<DynamicTest> everyCellOfTheTransitionTable() {
        List<DynamicTest> tests = new ArrayList<>();
        for (int s = 0; s < PppFsm.STATES; s++) {
            for (int e = 0; e < EVENTS.length; e++) {
                String cell = TABLE[s][e];
                int state = s;
                String event = EVENTS[e];
                String name = PppFsm.name(s) + "_" + event + "_" + (cell.equals("-") ? "nothing"
                        : (cell.startsWith("/") ? "" : cell.substring(0, cell.indexOf('/')).replace(',', '_') + "_")
                        + "to_" + PppFsm.name(Integer.parseInt(cell.substring(cell.indexOf('/') + 1))));
                tests.add(DynamicTest.dynamicTest(name, () -> {
                    Recorder r = new Recorder();
                    PppFsm f = new PppFsm(r);
                    f.force(state);
                    event(f, r, event);
                    String got = String.join(",", r.done) + "/" + f.state();
                    String want = cell.equals("-") ? "/" + state : cell;
                    assertEquals(want, got, PppFsm.name(state) + " + " + event);
                }));
            }
        }
        return tests;
    }

    @Test
    void restartCounter_maxConfigureRequestsThenStopped() {
        Recorder r = new Recorder();
        PppFsm f = new PppFsm(r).configure(3000, 2, 10, 5);
        f.open(0);
        f.up(0);
        long t = 0;
        while (f.state() == PppFsm.REQ_SENT) {
            t = f.timer();
            f.timers(t);
        }
        assertEquals(PppFsm.STOPPED, f.state());
        assertEquals(10, r.done.stream().filter("scr"::equals).count(), "Max-Configure requests");
        assertEquals(30_000, t, "ten periods of 3 s");
    }

    @Test
    void maxFailure_afterFiveNaksInARow() {
        PppFsm f = new PppFsm(new Recorder());
        f.open(0);
        f.up(0);
        for (int i = 0; i < 5; i++) {
            f.receiveConfigureRequest(false, 0);
        }
        assertEquals(true, f.failuresExceeded());
        f.receiveConfigureRequest(true, 0);
        assertEquals(false, f.failuresExceeded());
    }
}
