package io.jwip.examples.services;

import io.jwip.Err;
import io.jwip.Stack;
import io.jwip.examples.cli.Args;
import io.jwip.examples.cli.UsageException;

import java.io.PrintStream;

/** Starts the services a command line asks for on one stack. */
public final class Services {
    private int count;

    /** Declares the service options. */
    public static Args declare(Args a) {
        a.option("udp-echo", "PORT", "UDP echo service (RFC 862), usually 7");
        return a;
    }

    public static Services start(Stack stack, Args args, PrintStream out) throws UsageException {
        Services s = new Services();
        if (args.has("udp-echo")) {
            int port = args.getInt("udp-echo", 7, 1, 65535);
            int err = new UdpEcho(stack).start(port);
            if (err != Err.OK) {
                throw new UsageException("--udp-echo " + port + ": " + Err.text(err));
            }
            out.println("udp echo on port " + port);
            s.count++;
        }
        return s;
    }

    public int count() {
        return count;
    }
}
