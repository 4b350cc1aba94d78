#!/usr/bin/env python3
"""bench/tls/count_client.py MODE PORT N: a fixed amount of TLS work against 127.0.0.1:PORT, for
bench/tls/count.sh (see bench/README.md, bench/tls).

keepalive: one connection; its handshake and a first request, then "ready" on stdout; once a line
comes on stdin, N requests on it, one at a time (each response read whole before the next request),
then "done N".
handshake: N connections one after another, each a full handshake (no session offered) and one
HTTP/1.0 request, read to the server's close; then "done N".
Certificates are not verified (the bench's own, made at run time). Any failure: exit 1.
"""

import socket
import ssl
import sys

KEEPALIVE_REQUEST = b"GET / HTTP/1.1\r\nHost: bench\r\n\r\n"
CLOSING_REQUEST = b"GET / HTTP/1.0\r\nHost: bench\r\n\r\n"


def fail(message):
    sys.stderr.write(f"count_client: {message}\n")
    sys.exit(1)


def connect(context, port):
    raw = socket.create_connection(("127.0.0.1", port))
    raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return context.wrap_socket(raw, server_hostname="bench")


def read_response(conn):
    """One response with a Content-Length, read whole; anything else fails the run."""
    data = b""
    while True:
        end = data.find(b"\r\n\r\n")
        if end >= 0:
            head = data[:end].decode("latin-1")
            if not head.startswith("HTTP/1.1 200"):
                fail(f"unexpected response: {head.splitlines()[0]!r}")
            lengths = [line.split(":", 1)[1] for line in head.split("\r\n")[1:] if line.lower().startswith("content-length:")]
            if not lengths:
                fail("a response without Content-Length")
            if len(data) >= end + 4 + int(lengths[0]):
                return
        chunk = conn.recv(65536)
        if not chunk:
            fail("connection closed mid-response")
        data += chunk


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("keepalive", "handshake"):
        fail("usage: count_client.py keepalive|handshake PORT N")
    mode, port, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    try:
        if mode == "keepalive":
            conn = connect(context, port)
            conn.sendall(KEEPALIVE_REQUEST)
            read_response(conn)
            print("ready", flush=True)
            sys.stdin.readline()
            for _ in range(count):
                conn.sendall(KEEPALIVE_REQUEST)
                read_response(conn)
            conn.close()
        else:
            for _ in range(count):
                conn = connect(context, port)
                conn.sendall(CLOSING_REQUEST)
                data = b""
                while chunk := conn.recv(65536):
                    data += chunk
                if not data.startswith(b"HTTP/1.1 200"):
                    fail(f"unexpected response: {data[:40]!r}")
                conn.close()
    except OSError as error:
        fail(str(error))
    print("done", count, flush=True)


main()
