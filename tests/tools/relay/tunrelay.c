/*
 * tunrelay: the bench's ceiling for a userspace program on TUN. It opens two TUN devices and copies every
 * packet read from one to the other, nothing else: no stack, no checksums, no copies but the kernel's.
 * Linux in one network namespace talks to Linux in another through it, so each packet crosses TUN twice
 * (jwip's path crosses it once, plus jwip's stack). Single-threaded, poll(2) on both descriptors, reads
 * until EAGAIN, like jwip's port.
 *
 *   tunrelay DEV_A DEV_B      creates both devices (IFF_TUN | IFF_NO_PI), prints "ready", relays until
 *                             SIGTERM/SIGINT, then prints the packet counts.
 * The bench moves the devices into their namespaces and configures them after "ready".
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_signal(int s) { (void)s; stop = 1; }

static int tun_open(const char *name) {
    int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        fprintf(stderr, "tunrelay: open /dev/net/tun: %s\n", strerror(errno));
        exit(1);
    }
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
    strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
        fprintf(stderr, "tunrelay: TUNSETIFF %s: %s\n", name, strerror(errno));
        exit(1);
    }
    return fd;
}

/* Moves every packet waiting on `from` to `to`; returns packets moved (at most 64 per call). */
static long relay(int from, int to, char *buf, long *dropped) {
    long n = 0;
    for (int i = 0; i < 64; i++) {
        ssize_t r = read(from, buf, 65536);
        if (r <= 0) {
            break;
        }
        if (write(to, buf, (size_t)r) != r) {
            (*dropped)++;
        }
        n++;
    }
    return n;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: tunrelay DEV_A DEV_B\n");
        return 2;
    }
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    int a = tun_open(argv[1]);
    int b = tun_open(argv[2]);
    printf("ready\n");
    fflush(stdout);
    static char buf[65536];
    long ab = 0, ba = 0, dropped = 0;
    struct pollfd p[2] = {{a, POLLIN, 0}, {b, POLLIN, 0}};
    while (!stop) {
        int moved = 0;
        long k = relay(a, b, buf, &dropped);
        ab += k;
        moved += k > 0;
        k = relay(b, a, buf, &dropped);
        ba += k;
        moved += k > 0;
        if (!moved && poll(p, 2, -1) < 0 && errno != EINTR) {
            perror("tunrelay: poll");
            return 1;
        }
    }
    printf("relayed %ld a->b, %ld b->a, %ld writes failed\n", ab, ba, dropped);
    return 0;
}
