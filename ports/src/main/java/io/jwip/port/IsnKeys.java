package io.jwip.port;

import io.jwip.stack.Stack;
import io.jwip.tcp.Tcp;
import java.security.SecureRandom;

/**
 * Keys a stack's TCP initial sequence numbers (RFC 6528) from the JVM's {@link SecureRandom} when the
 * application did not. Core has no randomness of its own and only warns in its stats; the ports call this
 * when they start driving a stack, so that no stack they run has predictable sequence numbers.
 */
public final class IsnKeys {
    private static SecureRandom random;

    private IsnKeys() {}

    /** Sets a random ISN secret on {@code stack}'s TCP unless it has one (or has no TCP). */
    public static synchronized void ensure(Stack stack) {
        Tcp tcp = Tcp.of(stack);
        if (tcp == null || tcp.isnKeyed()) {
            return;
        }
        if (random == null) {
            random = new SecureRandom();
        }
        tcp.setIsnSecret(random.nextLong(), random.nextLong());
    }
}
