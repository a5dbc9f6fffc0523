package io.jwip.tests.reallink;

import java.io.File;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * A throw-away network namespace {@code jwip-test-<random>} for one test: created by the constructor
 * (with its loopback up), deleted by {@link #close()} also when the test fails. Linux tools run inside
 * it through {@code ip netns exec}; a TUN device moved into it is its only link to the outside, and that
 * link ends in jwip, so no test traffic leaves the namespace.
 */
final class Netns implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();
    final String name;

    Netns() throws IOException {
        this.name = "jwip-test-" + Long.toHexString(RANDOM.nextLong() & 0xffffffffffL);
        check(RealPeer.run(10, "ip", "netns", "add", name), "ip netns add " + name);
        check(RealPeer.run(10, "ip", "-n", name, "link", "set", "lo", "up"), "lo up");
        // No IPv6 on links moved in here: Linux would send router solicitations, MLD reports and DAD
        // probes at times of its own choosing, and the tests want only their own traffic on the wire.
        // (Through /proc rather than sysctl(8), which minimal images lack; no file means no IPv6 at all.)
        check(exec(10, "sh", "-c", "for f in all default; do p=/proc/sys/net/ipv6/conf/$f/disable_ipv6;"
                + " [ -e $p ] && echo 1 > $p; done; true"), "disable IPv6 in " + name);
    }

    /** A random TUN device name (created in the root namespace before it moves in here). */
    static String tunName() {
        return "jwt" + Long.toHexString(RANDOM.nextLong() & 0xffffffL);
    }

    /** Runs {@code cmd} inside the namespace. */
    RealPeer.Result exec(int timeoutS, String... cmd) throws IOException {
        return exec(timeoutS, null, cmd);
    }

    RealPeer.Result exec(int timeoutS, File stdin, String... cmd) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(cmd));
        return RealPeer.run(timeoutS, stdin, full);
    }

    static void check(RealPeer.Result r, String what) throws IOException {
        if (r.rc != 0) {
            throw new IOException(what + " failed: " + r);
        }
    }

    @Override
    public void close() throws IOException {
        // Kill whatever a failed test left running in the namespace, then delete it.
        RealPeer.Result pids = RealPeer.run(10, "ip", "netns", "pids", name);
        for (String pid : pids.out.split("\\s+")) {
            if (!pid.isBlank()) {
                RealPeer.run(5, "kill", "-9", pid.trim());
            }
        }
        RealPeer.Result r = RealPeer.run(10, "ip", "netns", "del", name);
        if (r.rc != 0) {
            throw new IOException("ip netns del " + name + " failed: " + r);
        }
    }
}
