package io.jwip.netif.slip;

import io.jwip.netif.LinkException;
import java.io.IOException;
import jssc.SerialPort;
import jssc.SerialPortException;

/**
 * A SLIP line on a serial port through jssc, read without blocking from the stack's thread.
 *
 * <h2>jssc on Linux, and what this class does about it</h2>
 * <ul>
 *   <li>{@code setParams} returns false on pseudo-terminals (the termios calls for the line settings
 *       fail there). It is not fatal: a pty has no baud rate. We log it once and carry on;
 *       {@link #paramsApplied()} tells.</li>
 *   <li>When the other side hangs up (the pty master closes, a USB adapter is unplugged), every call
 *       fails with "Input/output error", and a blocking {@code readBytes(n)} can spin in its
 *       select/read loop. We never block in jssc: {@link #read} asks {@code getInputBufferBytesCount()}
 *       first and reads only what is there. {@link #MAX_ERRORS} consecutive errors, or
 *       {@link #MAX_EMPTY_READS} reads in a row that return nothing although bytes were announced, mark
 *       the line down.</li>
 *   <li>Every jssc read returns a new array ({@code readBytes(n)}: n + 16 bytes of heap, rounded to 8)
 *       and {@code getInputBufferBytesCount()} returns a new {@code int[2]} (24 bytes). That garbage is
 *       jssc's, made before our code sees the bytes; we copy out and let it go, so nothing of it reaches
 *       the stack's buffers. Each poll that finds the line idle costs 24 bytes; each read that finds
 *       data costs 24 + (n + 16) bytes. Reading in large chunks keeps it per packet small.</li>
 *   <li>{@code writeBytes(byte[])} writes a whole array, with no offset or length. To write a frame of
 *       any length without making an array per frame, we keep one array per power of two (1, 2, 4 ...
 *       up to the largest frame) and write a frame as the sum of its binary digits: at most
 *       log2(frame) native writes, no allocation.</li>
 * </ul>
 */
public final class JsscLine implements SlipLine {
    private static final System.Logger LOG = System.getLogger(JsscLine.class.getName());
    /** Consecutive failed jssc calls after which the line is down. */
    public static final int MAX_ERRORS = 3;
    /** Consecutive reads that returned nothing although the port announced bytes. */
    public static final int MAX_EMPTY_READS = 100;

    private final SerialPort port;
    private final String device;
    private final boolean paramsApplied;
    /** chunks[k] has length 1 << k; the write path's only arrays. */
    private final byte[][] chunks;
    private int errors;
    private int emptyReads;
    private String down;
    private long reads;
    private long polls;

    /** A plain message for a port that did not open. */
    static LinkException openFailure(String device, SerialPortException e) {
        String t = e.getExceptionType();
        if (SerialPortException.TYPE_PORT_NOT_FOUND.equals(t)) {
            return new LinkException(LinkException.Reason.NOT_FOUND, "serial port " + device
                    + " does not exist (check the device name, e.g. /dev/ttyUSB0)", e);
        }
        if (SerialPortException.TYPE_PORT_BUSY.equals(t) || SerialPortException.TYPE_PORT_ALREADY_OPENED.equals(t)) {
            return new LinkException(LinkException.Reason.BUSY, "serial port " + device
                    + " is in use by another process", e);
        }
        if (SerialPortException.TYPE_PERMISSION_DENIED.equals(t)) {
            return new LinkException(LinkException.Reason.PERMISSION, "no permission to open serial port " + device
                    + " (add the user to the group that owns it, e.g. dialout, or run as root)", e);
        }
        if (SerialPortException.TYPE_INCORRECT_SERIAL_PORT.equals(t)) {
            return new LinkException(LinkException.Reason.FAILED, device + " is not a serial port", e);
        }
        return new LinkException(LinkException.Reason.FAILED, "cannot open serial port " + device + ": " + t, e);
    }

    /**
     * Opens {@code device} at {@code baud} 8N1, no flow control.
     *
     * @param maxWrite the largest number of bytes one {@link #write} may carry (an encoded frame)
     */
    public JsscLine(String device, int baud, int maxWrite) throws IOException {
        this.device = device;
        this.port = new SerialPort(device);
        boolean ok;
        try {
            if (!port.openPort()) {
                throw new LinkException(LinkException.Reason.FAILED, "cannot open serial port " + device);
            }
            ok = port.setParams(baud, SerialPort.DATABITS_8, SerialPort.STOPBITS_1, SerialPort.PARITY_NONE);
            port.setFlowControlMode(SerialPort.FLOWCONTROL_NONE);
        } catch (SerialPortException e) {
            try {
                port.closePort();
            } catch (SerialPortException ignored) {
                // already failing
            }
            throw openFailure(device, e);
        }
        if (!ok) {
            LOG.log(System.Logger.Level.DEBUG, "jssc: setParams({0}) returned false on {1}: normal for a "
                    + "pseudo-terminal, carrying on", String.valueOf(baud), device); // not {0} of an int: "115,200"
        }
        this.paramsApplied = ok;
        int k = 1;
        while ((1 << (k - 1)) < maxWrite) {
            k++;
        }
        chunks = new byte[k][];
        for (int i = 0; i < k; i++) {
            chunks[i] = new byte[1 << i];
        }
    }

    /** False when jssc could not apply baud rate and framing (expected on a pty). */
    public boolean paramsApplied() {
        return paramsApplied;
    }

    /** Number of reads that returned bytes (each one a jssc array). */
    public long reads() {
        return reads;
    }

    /** Number of {@link #read} calls (each one a jssc {@code int[2]}). */
    public long polls() {
        return polls;
    }

    @Override
    public int read(byte[] b, int off, int n) {
        if (down != null) {
            return -1;
        }
        polls++;
        try {
            int avail = port.getInputBufferBytesCount();
            if (avail <= 0) {
                errors = 0;
                return 0;
            }
            byte[] got = port.readBytes(Math.min(avail, n)); // jssc allocates this array
            errors = 0;
            if (got == null || got.length == 0) {
                if (++emptyReads >= MAX_EMPTY_READS) {
                    down = "jssc read spins without data (peer hung up?)";
                    return -1;
                }
                return 0;
            }
            emptyReads = 0;
            reads++;
            System.arraycopy(got, 0, b, off, got.length);
            return got.length;
        } catch (SerialPortException e) {
            if (++errors >= MAX_ERRORS) {
                down = "jssc: " + e.getExceptionType() + " (" + device + ")";
                return -1;
            }
            return 0;
        }
    }

    @Override
    public void write(byte[] b, int off, int n) throws IOException {
        if (down != null) {
            throw new IOException(down);
        }
        if ((n >>> chunks.length) != 0) {
            throw new IOException("jssc: write of " + n + " bytes is larger than the line was made for");
        }
        try {
            int at = off;
            for (int k = chunks.length - 1; k >= 0; k--) {
                int size = 1 << k;
                if ((n & size) != 0) {
                    byte[] c = chunks[k];
                    System.arraycopy(b, at, c, 0, size);
                    if (!port.writeBytes(c)) {
                        throw new IOException("jssc: short write on " + device);
                    }
                    at += size;
                }
            }
        } catch (SerialPortException e) {
            if (++errors >= MAX_ERRORS) {
                down = "jssc: " + e.getExceptionType() + " (" + device + ")";
            }
            throw new IOException("jssc: " + e.getMessage(), e);
        }
    }

    @Override
    public String downReason() {
        return down;
    }

    @Override
    public void close() {
        try {
            if (port.isOpened()) {
                port.closePort();
            }
        } catch (SerialPortException e) {
            // closing anyway
        }
        if (down == null) {
            down = "closed";
        }
    }
}
