#!/usr/bin/env python3
"""A SYN flood from spoofed sources against jwip over TUN, then an honest client's handshake and echo, timed.

usage: synflood.py TARGET PORT COUNT
Runs inside the test's network namespace (the TUN's Linux side). The spoofed sources lie in the TUN's /24,
so jwip's SYN,ACKs come back to a Linux that does not forward them: nobody answers, as in a real flood.
Prints one line for the flood and one for the honest client; exits 1 if the echo was wrong."""
import random
import socket
import sys
import time

from scapy.all import IP, TCP, conf, send

conf.verb = 0
target, port, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
net = target.rsplit(".", 1)[0]
rnd = random.Random(4987)
pkts = [IP(src="%s.%d" % (net, rnd.randint(3, 250)), dst=target)
        / TCP(sport=rnd.randint(1024, 65535), dport=port, flags="S", seq=rnd.getrandbits(32), window=65535,
              options=[("MSS", 1460)])
        for _ in range(count)]
t0 = time.monotonic()
send(pkts)
t1 = time.monotonic()
print("flood: %d spoofed SYNs in %.0f ms" % (count, (t1 - t0) * 1000))
sys.stdout.flush()
msg = b"hello through the flood\n"
t2 = time.monotonic()
s = socket.create_connection((target, port), timeout=10)
s.sendall(msg)
got = b""
while len(got) < len(msg):
    chunk = s.recv(4096)
    if not chunk:
        break
    got += chunk
t3 = time.monotonic()
s.close()
print("honest: handshake + echo in %.1f ms, %s" % ((t3 - t2) * 1000, "echo ok" if got == msg else "echo WRONG"))
sys.exit(0 if got == msg else 1)
