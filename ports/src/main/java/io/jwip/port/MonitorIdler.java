package io.jwip.port;

/**
 * {@link Idler#sleeping()}: waits on this object's monitor until the deadline or a {@link #wake()}. A wake
 * while the loop is awake costs one volatile write (no lock, no system call); the monitor is taken only
 * when the loop sleeps or is about to.
 */
final class MonitorIdler implements Idler {
    /** A wake came since the last idle returned. */
    private volatile boolean pending;
    /** The loop is in (or entering) its wait: a wake must notify. */
    private volatile boolean sleeping;

    @Override
    public void idle(long ms) throws InterruptedException {
        if (ms <= 0 || pending) {
            pending = false;
            return;
        }
        sleeping = true;
        try {
            synchronized (this) {
                long deadline = ms == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + ms * 1_000_000L;
                while (!pending) {
                    if (deadline == Long.MAX_VALUE) {
                        wait();
                        continue;
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    wait(left / 1_000_000L, (int) (left % 1_000_000L));
                }
            }
        } finally {
            sleeping = false;
            pending = false;
        }
    }

    @Override
    public boolean asleep() {
        return sleeping;
    }

    @Override
    public void wake() {
        pending = true;
        if (sleeping) {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    @Override
    public String describe() {
        return "monitor wait (woken by calls and reader threads; descriptors polled on the tick)";
    }
}
