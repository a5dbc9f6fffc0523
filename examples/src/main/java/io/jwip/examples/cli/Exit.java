package io.jwip.examples.cli;

import io.jwip.netif.LinkException;

/**
 * The command line's exit codes, one per kind of failure, so that a script can tell a typo from a busy
 * device from a dead line. {@link #HELP} is printed under every command's {@code --help}.
 */
public final class Exit {
    /** The command did what it was asked (also after Ctrl-C or SIGTERM). */
    public static final int OK = 0;
    /** It ran but did not succeed: no ping reply, a transfer that did not match. */
    public static final int FAILED = 1;
    /** A bad command line: an unknown option, a bad value, options that do not go together. */
    public static final int USAGE = 2;
    /** A link could not be opened: no such device, port, host or namespace, in use, or refused. */
    public static final int LINK = 3;
    /** Not allowed: root (CAP_NET_ADMIN) or access to a device is needed. */
    public static final int PERMISSION = 4;
    /** A file could not be read or written (--pcap, --http-root). */
    public static final int FILE = 5;
    /** A link went down while the command ran (and --reconnect was not given). */
    public static final int LINK_DOWN = 6;
    /** A fault in jwip itself; please report it with the command line. */
    public static final int INTERNAL = 70;

    public static final String HELP = "exit codes: 0 done (also after Ctrl-C or SIGTERM), 1 ran but failed,"
            + " 2 bad command line,\n  3 a link could not be opened, 4 permission needed (root or CAP_NET_ADMIN),"
            + " 5 a file could not be\n  read or written, 6 a link went down, 70 a fault in jwip (please report it)\n";

    private Exit() {}

    /** The exit code for a link that did not open. */
    public static int of(LinkException e) {
        return e.reason() == LinkException.Reason.PERMISSION ? PERMISSION : LINK;
    }
}
