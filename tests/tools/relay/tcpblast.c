/*
 * tcpblast: the bench's fast TCP sink and source on the Linux side, so that the peer tool is never the
 * bottleneck of a throughput figure (socat's 8 KB buffers and a pipe to wc are).
 *
 *   tcpblast sink HOST PORT SECONDS   connects, reads for SECONDS (256 KB reads), prints "BYTES SECONDS"
 *   tcpblast source PORT              listens, and writes zeros to each connection until it closes
 *                                     (one connection at a time; the reference for jwip's chargen)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static char buf[262144];

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static int sink(const char *host, int port, double seconds) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((unsigned short)port);
    if (inet_pton(AF_INET, host, &a.sin_addr) != 1) {
        fprintf(stderr, "tcpblast: not an IPv4 address: %s\n", host);
        return 2;
    }
    if (connect(s, (struct sockaddr *)&a, sizeof a) < 0) {
        perror("tcpblast: connect");
        return 1;
    }
    double t0 = now(), t;
    long long total = 0;
    while ((t = now()) - t0 < seconds) {
        ssize_t n = read(s, buf, sizeof buf);
        if (n <= 0) {
            break;
        }
        total += n;
    }
    printf("%lld %.6f\n", total, now() - t0);
    close(s);
    return 0;
}

static int source(int port) {
    signal(SIGPIPE, SIG_IGN);
    int l = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((unsigned short)port);
    if (bind(l, (struct sockaddr *)&a, sizeof a) < 0 || listen(l, 16) < 0) {
        perror("tcpblast: bind/listen");
        return 1;
    }
    printf("ready\n");
    fflush(stdout);
    for (;;) {
        int c = accept(l, NULL, NULL);
        if (c < 0) {
            if (errno == EINTR) {
                continue;
            }
            perror("tcpblast: accept");
            return 1;
        }
        while (write(c, buf, sizeof buf) > 0) {
        }
        close(c);
    }
}

int main(int argc, char **argv) {
    if (argc == 5 && strcmp(argv[1], "sink") == 0) {
        return sink(argv[2], atoi(argv[3]), atof(argv[4]));
    }
    if (argc == 3 && strcmp(argv[1], "source") == 0) {
        return source(atoi(argv[2]));
    }
    fprintf(stderr, "usage: tcpblast sink HOST PORT SECONDS | tcpblast source PORT\n");
    return 2;
}
