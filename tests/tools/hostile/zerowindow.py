#!/usr/bin/env python3
"""A peer that holds jwip's window closed: it connects from a spoofed address, asks for a page, announces a
zero window and answers every probe with a zero window again, until jwip gives up with a RST.

usage: zerowindow.py IFACE TARGET PORT SRC TIMEOUT_S
Runs inside the test's network namespace; sniffs jwip's segments on the TUN device IFACE (SRC is not a
Linux address, so the kernel neither answers nor resets them). Prints what happened; exits 0 if jwip reset
the connection within TIMEOUT_S seconds, 1 if not."""
import sys
import threading
import time

from scapy.all import IP, TCP, AsyncSniffer, conf, send

conf.verb = 0
iface, target, port, src, timeout = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], float(sys.argv[5])
sport = 40000
state = {"ack": 0, "seq": 1000, "probes": 0, "data": 0, "rst": None, "synack": threading.Event()}
done = threading.Event()
t0 = time.monotonic()


def seg(flags, payload=b"", window=0):
    p = IP(src=src, dst=target) / TCP(sport=sport, dport=port, flags=flags, seq=state["seq"], ack=state["ack"],
                                      window=window)
    if payload:
        p = p / payload
    send(p)
    state["seq"] += len(payload)


def handle(p):
    if TCP not in p or p[IP].src != target or p[TCP].dport != sport:
        return
    t = p[TCP]
    if t.flags & 0x04:
        state["rst"] = time.monotonic() - t0
        done.set()
        return
    if t.flags & 0x02 and t.flags & 0x10:
        state["ack"] = t.seq + 1
        state["seq"] = 1001
        state["synack"].set()
        return
    n = len(t.payload)
    if n:
        state["data"] += n
    else:
        state["probes"] += 1
    seg("A")  # still zero: a live peer whose application does not read


sniffer = AsyncSniffer(iface=iface, prn=handle, store=False)
sniffer.start()
time.sleep(0.5)
send(IP(src=src, dst=target) / TCP(sport=sport, dport=port, flags="S", seq=1000, window=8192,
                                   options=[("MSS", 1460)]))
if not state["synack"].wait(5):
    print("no SYN,ACK from %s:%d" % (target, port))
    sniffer.stop()
    sys.exit(1)
seg("A", b"GET /status HTTP/1.0\r\n\r\n", window=0)
done.wait(timeout)
sniffer.stop()
if state["rst"] is None:
    print("no RST within %.0f s: %d probes answered" % (timeout, state["probes"]))
    sys.exit(1)
print("reset after %.1f s: %d zero-window probes answered, %d data bytes" % (state["rst"], state["probes"],
                                                                            state["data"]))
