#!/usr/bin/env python3
"""Free TCP ports for the servers a harness starts (bench/, chaos/, ops/), by the rule the Java tests'
FreePort follows: a random port below the kernel's ephemeral range that nothing listens on.

A port probed with bind(0) comes from the ephemeral range, so between the probe and the server's own
bind any outgoing connection on the machine (a JDBC or gRPC client, a browser) may be given it, and the
server then fails with "address already in use". The kernel hands out no port below the range, so only
a server that names one can take it.

    ops/free_port.py [COUNT] [--below PORT]   prints COUNT (default 1) distinct ports, one a line;
                                              --below caps them (Temporal's membership ports go into a
                                              smallint column: --below 32768)
From Python: sys.path has ops/, then `from free_port import free_ports`."""
import argparse, random, socket

LOWEST = 10_000
EPHEMERAL_RANGE = "/proc/sys/net/ipv4/ip_local_port_range"


def ephemeral_start():
    """The first port of the kernel's ephemeral range (Linux); IANA's 49152 elsewhere."""
    try:
        with open(EPHEMERAL_RANGE) as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 49_152


def bindable(port):
    """Nothing listens on `port` on any address."""
    with socket.socket() as s:
        try:
            s.bind(("", port))
            return True
        except OSError:
            return False


def free_ports(count=1, below=None):
    """`count` distinct free ports below the ephemeral range (and below `below`): take every port a
    caller needs in one call, so no two are the same."""
    given = set()
    top = min(ephemeral_start(), below or 65_536)
    if top - LOWEST < 1_000:
        raise SystemExit(f"free_port: no room below port {top} (the ephemeral range starts there)")
    ports = []
    for _ in range(200 * count):
        port = random.randrange(LOWEST, top)
        if port not in given and bindable(port):
            given.add(port)
            ports.append(port)
            if len(ports) == count:
                return ports
    raise SystemExit(f"free_port: found {len(ports)} of {count} free ports in {LOWEST}-{top - 1}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", nargs="?", type=int, default=1)
    parser.add_argument("--below", type=int)
    args = parser.parse_args()
    print("\n".join(map(str, free_ports(args.count, args.below))))
