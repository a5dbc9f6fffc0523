package io.jwip.tests.reallink;

import java.io.File;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;

/**
 * A pair of connected pseudo-terminals made by {@code socat -d -d pty,raw,echo=0,link=A pty,raw,echo=0,link=B}:
 * bytes written to one come out of the other, like a null-modem cable. {@link #hangUp()} kills socat,
 * which is what a peer hanging up looks like to the other end.
 */
final class PtyPair implements AutoCloseable {
    final String a;
    final String b;
    private final Process socat;

    PtyPair() throws IOException, InterruptedException {
        String tag = Long.toHexString(new SecureRandom().nextLong() & 0xffffffffL);
        a = "/tmp/jwip-pty-" + tag + "-a";
        b = "/tmp/jwip-pty-" + tag + "-b";
        socat = new ProcessBuilder("socat", "-d", "-d", "pty,raw,echo=0,link=" + a, "pty,raw,echo=0,link=" + b)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        for (int i = 0; i < 100 && !(new File(a).exists() && new File(b).exists()); i++) {
            if (!socat.isAlive()) {
                throw new IOException("socat exited with " + socat.exitValue());
            }
            Thread.sleep(50);
        }
        if (!new File(a).exists() || !new File(b).exists()) {
            close();
            throw new IOException("socat did not create " + a + " and " + b);
        }
    }

    /** Kills socat: both ends see a hang-up. */
    void hangUp() throws InterruptedException {
        socat.destroy();
        if (!socat.waitFor(5, TimeUnit.SECONDS)) {
            socat.destroyForcibly();
            socat.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws InterruptedException {
        hangUp();
        new File(a).delete();
        new File(b).delete();
    }
}
