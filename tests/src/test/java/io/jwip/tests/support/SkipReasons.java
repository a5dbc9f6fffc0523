package io.jwip.tests.support;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Prints every skipped test with its reason on the console ("SKIPPED TunTcpTest.curl...: needs root"), so
 * that a run without root or /dev/net/tun says why instead of only counting "Skipped: 6". Registered for
 * the JUnit platform through {@code META-INF/services}.
 */
public final class SkipReasons implements TestExecutionListener {
    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        System.out.println("SKIPPED " + test.getDisplayName() + ": " + reason);
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            // An assumption that failed inside the test (RealPeer.require...): JUnit calls this "aborted".
            String why = result.getThrowable().map(Throwable::getMessage).orElse("assumption failed");
            System.out.println("SKIPPED " + test.getDisplayName() + ": " + why);
        }
    }
}
