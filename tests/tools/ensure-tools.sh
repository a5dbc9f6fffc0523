#!/usr/bin/env bash
# Checks (and, as root, installs from Debian's packages) the host tools that `make test` needs, or with
# --bench those that `make bench`'s TUN part needs.
# Usage: ensure-tools.sh [--install] [--bench]   Prints what is missing and exits 1 if anything still is.
set -u
install=0
bench=0
for arg in "$@"; do
  case "$arg" in
    --install) install=1 ;;
    --bench) bench=1 ;;
    *) echo "usage: ensure-tools.sh [--install] [--bench]" >&2; exit 2 ;;
  esac
done

if [ $bench = 0 ]; then
  # command             package           used by
  need_cmds=(tshark     socat   ping          nc              ip        curl  scapy          node     setpriv     chromium  dnsmasq       slirp  gcc  script)
  need_pkgs=(tshark     socat   iputils-ping  netcat-openbsd  iproute2  curl  python3-scapy  nodejs   util-linux  chromium  dnsmasq-base  slirp  gcc  bsdutils)
  # tshark: pcap test (tshark -r must open our captures)
  # socat:  SLIP over a real pty pair, UDP echo from the Linux side of a TUN (tests/.../reallink)
  # ping:   Linux pings jwip over TUN;  ip: network namespaces and TUN setup;  nc: TCP/UDP echo peers
  # curl:   Linux downloads files from jwip's HTTP service over TUN (directly and through a gateway)
  # scapy:  hostile peers over TUN (tests/tools/hostile: a SYN flood, a zero-window hold), with Debian's python3
  # node:   runs the TeaVM build of the demo and a transfer (examples SecondRuntimeTest: a second runtime)
  # setpriv: runs jwip as nobody to check the "needs root" message (CliErrorsTest)
  # chromium: loads the live /status page headless over TUN, runs its JavaScript, takes a screenshot (StatusPageBrowserTest)
  # dnsmasq: DHCP and DNS server on the Linux side of a TAP device (DhcpDnsmasqTest)
  # slirp, gcc, script: a foreign PPP peer on a pty pair, its select() shim (tests/tools/slirp), a controlling tty (SlirpPppTest)
else
  need_cmds=(ip        socat   curl   ping          ab             iperf  iperf3  gcc)
  need_pkgs=(iproute2  socat   curl   iputils-ping  apache2-utils  iperf  iperf3  gcc)
  # ip: namespace and TUN setup;  socat: Linux sends to jwip's discard service;  curl: downloads from jwip's
  # HTTP server;  ping: RTT;  ab (ApacheBench): short HTTP connections per second;  iperf: Linux -> stack;
  # iperf3: the kernel loopback reference;  gcc: builds the C references (tests/tools/relay)
fi

# A command, or for scapy the module in Debian's own python3 (a python3 earlier on PATH may lack it).
have() {
  case "$1" in
    scapy) /usr/bin/python3 -c 'import scapy' >/dev/null 2>&1 ;;
    *) command -v "$1" >/dev/null 2>&1 ;;
  esac
}

missing=()
for i in "${!need_cmds[@]}"; do
  have "${need_cmds[$i]}" || missing+=("${need_pkgs[$i]}")
done

if [ ${#missing[@]} -gt 0 ] && [ $install = 1 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "ensure-tools: installing ${missing[*]} from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null 2>&1 || true
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 || true
  missing=()
  for i in "${!need_cmds[@]}"; do
    have "${need_cmds[$i]}" || missing+=("${need_pkgs[$i]}")
  done
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "ensure-tools: missing host packages: ${missing[*]}" >&2
  echo "ensure-tools: install them with: apt-get install ${missing[*]}   (or run 'make $([ $bench = 1 ] && echo bench || echo test)' as root)" >&2
  exit 1
fi
exit 0
