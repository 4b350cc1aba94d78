#!/usr/bin/env python3
"""bench/tls/idle_tls.py PORT COUNT [FIRST]: hold COUNT idle HTTPS/1.1 keep-alive connections to
127.0.0.1:PORT (see bench/README.md, bench/tls).

Each connection completes its TLS handshake (certificates not verified: the bench's own, made at run
time) and one GET, whose response is read whole: every connection has served a request and is now
idle, as a keep-alive client leaves it (and a server that releases idle buffers has released them).
Then it writes "ready COUNT" on stdout and holds them all, sending nothing, until its stdin closes;
then it closes them and exits 0. With FIRST, it stops once after FIRST connections, writes "ready
FIRST" and waits for a line on stdin before opening the rest: the server's memory read at both
points gives the cost of the last COUNT - FIRST connections alone, without what the first ones
fault in once. Any failure: a message on stderr, exit 1.
"""

import socket
import ssl
import sys

REQUEST = b"GET / HTTP/1.1\r\nHost: bench\r\nUser-Agent: meshedge-bench-tls\r\n\r\n"


def fail(message):
    sys.stderr.write(f"idle_tls: {message}\n")
    sys.exit(1)


def read_response(conn):
    data = b""
    while True:
        end = data.find(b"\r\n\r\n")
        if end >= 0:
            length = None
            for line in data[:end].decode("latin-1").split("\r\n")[1:]:
                name, _, value = line.partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value.strip())
            if length is None:
                fail("response without Content-Length")
            if len(data) >= end + 4 + length:
                return data[:data.find(b"\r\n")].decode("latin-1")
        chunk = conn.recv(65536)
        if not chunk:
            fail("connection closed before the response ended")
        data += chunk


def main():
    port, count = int(sys.argv[1]), int(sys.argv[2])
    first = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    held = []
    for i in range(count):
        try:
            raw = socket.create_connection(("127.0.0.1", port), timeout=30)
            conn = context.wrap_socket(raw, server_hostname="bench")
            conn.sendall(REQUEST)
            status = read_response(conn)
        except OSError as error:
            fail(f"connection {i + 1}: {error}")
        if not status.startswith("HTTP/1.1 200"):
            fail(f"connection {i + 1}: {status}")
        held.append(conn)
        if len(held) == first and first < count:
            sys.stdout.write(f"ready {first}\n")
            sys.stdout.flush()
            sys.stdin.readline()
    sys.stdout.write(f"ready {len(held)}\n")
    sys.stdout.flush()
    sys.stdin.read()
    for conn in held:
        conn.close()


if __name__ == "__main__":
    main()
