#!/usr/bin/env python3
"""conform serve under slowloris (docs/bench.md, "conform serve against nginx"; issue #12).

Starts CONFORM serve on a free loopback port, opens N connections (default 300) that each send
"GET / HTTP/1.1" and one header line per second, never finishing the head, and once a second
times an ordinary client (a new connection, GET /, 3 s to connect and answer). Prints the
ordinary client's times ("none" when it got no answer). Before issue #12 the slow connections
held all 128 slots and the ordinary clients could not even connect; after, they are answered in
milliseconds, and the slow connections get 408 once --head-timeout (10 s) has passed.

Usage: bench/serve_slowloris.py [CONFORM [N [SECONDS]]]   (default build/conform 300 12)
"""
import re
import socket
import subprocess
import sys
import time

conform = sys.argv[1] if len(sys.argv) > 1 else "build/conform"
nslow = int(sys.argv[2]) if len(sys.argv) > 2 else 300
secs = int(sys.argv[3]) if len(sys.argv) > 3 else 12


def send(s, data):
    try:
        s.send(data)
    except OSError:
        pass


def ordinary(port):
    t = time.time()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=3) as c:
            c.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            if c.recv(100).startswith(b"HTTP/1.1 200"):
                return "%.0fms" % ((time.time() - t) * 1000)
    except OSError:
        pass
    return "none"


srv = subprocess.Popen([conform, "serve", "--listen", "127.0.0.1:0", "--quiet"],
                       stdout=subprocess.PIPE)
slow = []
try:
    port = int(re.search(r":(\d+)$", srv.stdout.readline().decode().strip()).group(1))
    for _ in range(nslow):
        s = socket.socket()
        s.setblocking(False)
        try:
            s.connect(("127.0.0.1", port))
        except BlockingIOError:
            pass
        slow.append(s)
    time.sleep(0.5)
    for s in slow:
        send(s, b"GET / HTTP/1.1\r\nHost: x\r\n")
    times = []
    for _ in range(secs):
        time.sleep(1)
        for s in slow:
            send(s, b"X-Slow: 1\r\n")
        times.append(ordinary(port))
    print("%s, %d slow connections: ordinary client each second: %s"
          % (conform, nslow, " ".join(times)))
finally:
    for s in slow:
        s.close()
    srv.terminate()
    srv.wait()
