package io.jwip.netif.tun;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The few libc calls a TUN device needs, bound with JNA's direct mapping: a direct-mapped call with
 * primitive and pointer arguments boxes nothing, makes no argument array and copies no Java array, so
 * the packet path
 * ({@link #read}, {@link #write}) allocates nothing on the Java heap. {@code size_t}/{@code ssize_t} are
 * mapped to {@code long}, which is right on LP64 Linux (x86_64, aarch64, riscv64), the platforms TUN
 * support is for. errno comes from {@link Native#getLastError()} (no exceptions on the packet path).
 */
final class LibC {
    static {
        Native.register(NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    private LibC() {}

    static final int O_RDWR = 2;
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;
    static final int AF_INET = 2;
    static final int SOCK_DGRAM = 2;

    static final int EINTR = 4;
    static final int EIO = 5;
    static final int EAGAIN = 11;
    static final int ENOBUFS = 105;

    static native int open(String path, int flags);

    static native int close(int fd);

    static native int ioctl(int fd, long request, Pointer arg);

    /** An ioctl whose argument is a value, not a pointer (TUNSETOFFLOAD). */
    static native int ioctl(int fd, long request, long arg);

    static native long read(int fd, Pointer buf, long count);

    static native long write(int fd, Pointer buf, long count);

    static native int socket(int domain, int type, int protocol);

    static native String strerror(int errnum);
}
