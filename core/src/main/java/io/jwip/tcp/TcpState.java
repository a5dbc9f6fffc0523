package io.jwip.tcp;

/**
 * The eleven states of a TCP connection (RFC 9293 section 3.3.2) and their names, exactly as lwIP's
 * {@code tcp_state_str} prints them. Traces, stats, the netstat dump and every tool use this one table.
 *
 * <pre>
 *                             +---------+ ---------\      active OPEN
 *                             |  CLOSED |            \    -----------
 *                             +---------+&lt;---------\   \   create TCB
 *                               |     ^              \   \  snd SYN
 *                  passive OPEN |     |   CLOSE        \   \
 *                  ------------ |     | ----------       \   \
 *                   create TCB  |     | delete TCB         \   \
 *                               V     |                      \   \
 *           rcv RST (note 1)  +---------+            CLOSE    |    \
 *        --------------------&gt;|  LISTEN |          ---------- |     |
 *       /                     +---------+          delete TCB |     |
 *      /           rcv SYN      |     |     SEND              |     |
 *     /           -----------   |     |    -------            |     V
 * +--------+      snd SYN,ACK  /       \   snd SYN          +--------+
 * |        |&lt;-----------------           ------------------&gt;|        |
 * |  SYN   |                    rcv SYN                     |  SYN   |
 * |  RCVD  |&lt;-----------------------------------------------|  SENT  |
 * |        |                  snd SYN,ACK                   |        |
 * |        |------------------           -------------------|        |
 * +--------+   rcv ACK of SYN  \       /  rcv SYN,ACK       +--------+
 *    |         --------------   |     |   -----------
 *    |                x         |     |     snd ACK
 *    |                          V     V
 *    |  CLOSE                 +---------+
 *    | -------                |  ESTAB  |
 *    | snd FIN                +---------+
 *    |                 CLOSE    |     |    rcv FIN
 *    V                -------   |     |    -------
 * +---------+         snd FIN  /       \   snd ACK         +---------+
 * |  FIN    |&lt;----------------          ------------------&gt;|  CLOSE  |
 * | WAIT-1  |------------------                            |   WAIT  |
 * +---------+          rcv FIN  \                          +---------+
 *   | rcv ACK of FIN   -------   |                          CLOSE  |
 *   | --------------   snd ACK   |                         ------- |
 *   V        x                   V                         snd FIN V
 * +---------+               +---------+                    +---------+
 * |FINWAIT-2|               | CLOSING |                    | LAST-ACK|
 * +---------+               +---------+                    +---------+
 *   |              rcv ACK of FIN |                 rcv ACK of FIN |
 *   |  rcv FIN     -------------- |    Timeout=2MSL -------------- |
 *   |  -------            x       V    ------------        x       V
 *    \ snd ACK              +---------+delete TCB          +---------+
 *      --------------------&gt;|TIME-WAIT|-------------------&gt;| CLOSED  |
 *                           +---------+                    +---------+
 * </pre>
 * (RFC 9293 figure 5; FIN_WAIT_1 also goes straight to TIME_WAIT on a FIN that acknowledges our FIN.)
 */
public final class TcpState {
    private TcpState() {}

    public static final int CLOSED = 0;
    public static final int LISTEN = 1;
    public static final int SYN_SENT = 2;
    public static final int SYN_RCVD = 3;
    public static final int ESTABLISHED = 4;
    public static final int FIN_WAIT_1 = 5;
    public static final int FIN_WAIT_2 = 6;
    public static final int CLOSE_WAIT = 7;
    public static final int CLOSING = 8;
    public static final int LAST_ACK = 9;
    public static final int TIME_WAIT = 10;
    /** Number of states. */
    public static final int COUNT = 11;

    private static final String[] NAMES = {
        "CLOSED", "LISTEN", "SYN_SENT", "SYN_RCVD", "ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2",
        "CLOSE_WAIT", "CLOSING", "LAST_ACK", "TIME_WAIT"
    };

    /** The name of a state, e.g. {@code "FIN_WAIT_2"}. */
    public static String name(int state) {
        return state >= 0 && state < COUNT ? NAMES[state] : "UNKNOWN";
    }

    /** True for the states in which both sequence spaces are synchronised (ESTABLISHED and later). */
    public static boolean synchronised(int state) {
        return state >= ESTABLISHED;
    }
}
