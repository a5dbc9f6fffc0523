package io.jwip.port.socket;

import io.jwip.Err;
import io.jwip.dns.DnsResolver;
import io.jwip.port.threaded.Call;
import io.jwip.port.threaded.StackThread;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

/**
 * Blocking name lookups for application threads, like {@code InetAddress.getAllByName}: the lookup runs in
 * the stack thread's {@link DnsResolver} and the caller waits for its answer.
 *
 * <pre>
 *   JwipDns dns = new JwipDns(stackThread, resolver);
 *   int[] addrs = dns.resolve("device.test", 5000);     // IPv4 addresses, as ints
 *   try (JwipSocket s = new JwipSocket(stackThread, addrs[0], 80)) { ... }
 * </pre>
 *
 * One lookup at a time per {@code JwipDns} (calls from several threads wait their turn); make one per
 * thread for lookups in parallel, up to the resolver's {@code dnsQueries}.
 */
public final class JwipDns {
    private static final int FAILED = -1000;

    private final StackThread st;
    private final DnsResolver resolver;
    private final ResolveCall call = new ResolveCall();

    public JwipDns(StackThread st, DnsResolver resolver) {
        this.st = st;
        this.resolver = resolver;
    }

    /**
     * The IPv4 addresses of {@code name} (at most {@link DnsResolver#MAX_ADDRESSES}).
     *
     * @throws UnknownHostException    if the name does not exist or has no IPv4 address
     * @throws SocketTimeoutException  if no answer came within {@code timeoutMs} (0: wait for the resolver's own)
     * @throws IOException             if no server answered, the answer was truncated or the server failed
     */
    public synchronized int[] resolve(String name, long timeoutMs) throws IOException {
        call.name = name;
        int r;
        try {
            r = st.call(call, timeoutMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted resolving " + name);
        }
        if (r == Call.TIMED_OUT) {
            throw new SocketTimeoutException("no answer for " + name + " within " + timeoutMs + " ms");
        }
        if (r >= 0) {
            int[] out = new int[r];
            System.arraycopy(call.addresses, 0, out, 0, r);
            return out;
        }
        if (r <= FAILED) {
            int result = FAILED - r;
            if (result == DnsResolver.NXDOMAIN || result == DnsResolver.NO_ADDRESS) {
                throw new UnknownHostException(name + ": " + DnsResolver.result(result));
            }
            throw new IOException(name + ": " + DnsResolver.result(result));
        }
        throw SocketErrors.of(r, "resolve " + name);
    }

    private final class ResolveCall extends Call implements DnsResolver.Callback, Call.Action {
        String name;
        final int[] addresses = new int[DnsResolver.MAX_ADDRESSES];
        private DnsResolver.Answer answer;

        @Override
        protected void execute() {
            int e = resolver.resolve(name, this, null);
            if (e != Err.OK) {
                complete(e);
            }
            // otherwise completed from resolved(), now (a cached answer) or later
        }

        @Override
        public void resolved(CharSequence n, int result, DnsResolver.Answer a, Object arg) {
            if (result != DnsResolver.OK) {
                complete(FAILED - result);
                return;
            }
            answer = a;
            completeWith(this); // copies only if the caller still waits for this lookup
            answer = null;
        }

        @Override
        public int run() {
            int c = answer.count();
            for (int i = 0; i < c; i++) {
                addresses[i] = answer.address(i);
            }
            return c;
        }
    }
}
