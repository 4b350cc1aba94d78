#!/usr/bin/env python3
"""bench/footprint/idle_conns.py PORT COUNT WINDOW: hold COUNT idle HTTP/1.1 keep-alive connections
to 127.0.0.1:PORT (see bench/README.md, bench/footprint).

Connects them BATCH at a time (a burst of SYNs past the listen backlog is dropped and retried a
second later), then sends one GET on each with at most WINDOW in flight (so a proxy needs no more
upstream connections than under the wrk load of the same run) and reads each response whole: every
connection has served a request and is now idle, as a keep-alive client leaves it. Then it writes
"ready COUNT" on stdout and holds them all, sending nothing, until its stdin closes; then it closes
them and exits 0. Any failure: a message on stderr, exit 1.
"""

import selectors
import socket
import sys
import time

BATCH = 256
TIMEOUT = 60.0
REQUEST = b"GET / HTTP/1.1\r\nHost: bench\r\nUser-Agent: meshedge-bench-footprint\r\n\r\n"


def fail(message):
    sys.stderr.write(f"idle_conns: {message}\n")
    sys.exit(1)


def connect_all(port, count):
    socks = []
    sel = selectors.DefaultSelector()
    deadline = time.monotonic() + TIMEOUT
    while len(socks) < count:
        batch = []
        for _ in range(min(BATCH, count - len(socks))):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setblocking(False)
            s.connect_ex(("127.0.0.1", port))
            sel.register(s, selectors.EVENT_WRITE)
            batch.append(s)
        pending = len(batch)
        while pending:
            if time.monotonic() > deadline:
                fail(f"only {len(socks)} of {count} connections within {TIMEOUT:.0f}s")
            for key, _ in sel.select(1.0):
                s = key.fileobj
                sel.unregister(s)
                err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                if err:
                    fail(f"connection {len(socks) + 1}: error {err}")
                pending -= 1
        socks.extend(batch)
    sel.close()
    return socks


def response_complete(data):
    """None while incomplete; else the status line (the response must have a Content-Length)."""
    end = data.find(b"\r\n\r\n")
    if end < 0:
        return None
    head = data[:end].decode("latin-1").split("\r\n")
    length = None
    for line in head[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip())
    if length is None:
        fail(f"response without Content-Length: {head[0]}")
    return head[0] if len(data) >= end + 4 + length else None


def request_each(socks, window):
    sel = selectors.DefaultSelector()
    buffers = {}
    next_index = 0
    done = 0
    deadline = time.monotonic() + TIMEOUT
    while done < len(socks):
        while next_index < len(socks) and len(buffers) < window:
            s = socks[next_index]
            next_index += 1
            s.sendall(REQUEST)   # 70 bytes into an empty socket buffer: never blocks
            buffers[s] = b""
            sel.register(s, selectors.EVENT_READ)
        if time.monotonic() > deadline:
            fail(f"only {done} of {len(socks)} responses within {TIMEOUT:.0f}s")
        for key, _ in sel.select(1.0):
            s = key.fileobj
            chunk = s.recv(65536)
            if not chunk:
                fail(f"connection closed before its response ({done} answered)")
            buffers[s] += chunk
            status = response_complete(buffers[s])
            if status is None:
                continue
            if not status.startswith("HTTP/1.1 200"):
                fail(f"status {status!r}")
            sel.unregister(s)
            del buffers[s]
            done += 1
    sel.close()


def main():
    if len(sys.argv) != 4:
        fail("usage: idle_conns.py PORT COUNT WINDOW")
    port, count, window = (int(a) for a in sys.argv[1:])
    socks = connect_all(port, count)
    request_each(socks, window)
    print(f"ready {len(socks)}", flush=True)
    sys.stdin.read()   # hold until the script closes our stdin
    for s in socks:
        s.close()


if __name__ == "__main__":
    main()
