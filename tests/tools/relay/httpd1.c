/*
 * httpd1: the bench's reference server for short HTTP connections on the Linux kernel's TCP. One thread:
 * accept, read the request up to its blank line, send a fixed small page, close (the server closes first,
 * as jwip's HTTP server does, so the server side holds TIME_WAIT). No parsing beyond that, no logging:
 * what it measures is the kernel's connection handling.
 *
 *   httpd1 PORT      listens on 0.0.0.0:PORT, prints "ready", serves until SIGTERM/SIGINT
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static const char PAGE[] = "<html><body>jwip</body></html>\n";

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: httpd1 PORT\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    int l = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((unsigned short)atoi(argv[1]));
    if (bind(l, (struct sockaddr *)&a, sizeof a) < 0 || listen(l, 128) < 0) {
        perror("httpd1: bind/listen");
        return 1;
    }
    char resp[256];
    int rlen = snprintf(resp, sizeof resp,
                        "HTTP/1.0 200 OK\r\nContent-Type: text/html\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n%s",
                        sizeof PAGE - 1, PAGE);
    printf("ready\n");
    fflush(stdout);
    char buf[4096];
    long served = 0;
    for (;;) {
        int c = accept(l, NULL, NULL);
        if (c < 0) {
            if (errno == EINTR) {
                continue;
            }
            perror("httpd1: accept");
            return 1;
        }
        int have = 0;
        for (;;) {
            ssize_t n = read(c, buf + have, sizeof buf - 1 - (size_t)have);
            if (n <= 0) {
                break;
            }
            have += (int)n;
            buf[have] = 0;
            if (strstr(buf, "\r\n\r\n") || have >= (int)sizeof buf - 1) {
                if (write(c, resp, (size_t)rlen) == rlen) {
                    served++;
                }
                break;
            }
        }
        close(c);
    }
}
