# An HTTP/2 client (python3-h2, Debian's package) talking to our server role through stdin/stdout.
# Lockstep: each turn it writes one message (4-byte big-endian length, then the bytes it has to send)
# and reads one back. Three requests: a GET, a POST with a body larger than a window, and a POST with
# trailers. When every stream has ended it prints what it saw as JSON on stderr and exits.
import json
import struct
import sys

import h2.config
import h2.connection
import h2.events

out, inp = sys.stdout.buffer, sys.stdin.buffer
conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True, header_encoding="utf-8"))
conn.initiate_connection()
base = [(":scheme", "http"), (":authority", "example.com")]
conn.send_headers(1, [(":method", "GET"), *base, (":path", "/big")], end_stream=True)
conn.send_headers(3, [(":method", "POST"), *base, (":path", "/upload"), ("content-length", "100000")])
pending = {3: b"u" * 100_000}
conn.send_headers(5, [(":method", "POST"), *base, (":path", "/grpc"), ("te", "trailers")])
conn.send_data(5, b"abc")
conn.send_headers(5, [("x-trailer", "t1")], end_stream=True)
seen = {1: {"body": 0}, 3: {"body": 0}, 5: {"body": 0}}


def push_pending():
    for stream_id, rest in list(pending.items()):
        room = min(conn.local_flow_control_window(stream_id), conn.max_outbound_frame_size, len(rest))
        if room > 0:
            conn.send_data(stream_id, rest[:room], end_stream=room == len(rest))
            pending[stream_id] = rest[room:]
            if not pending[stream_id]:
                del pending[stream_id]


for turn in range(10_000):
    push_pending()
    data = conn.data_to_send()
    out.write(struct.pack(">I", len(data)) + data)
    out.flush()
    header = inp.read(4)
    if len(header) < 4:
        break
    incoming = inp.read(struct.unpack(">I", header)[0])
    for event in conn.receive_data(incoming):
        if isinstance(event, h2.events.ResponseReceived):
            seen[event.stream_id]["headers"] = dict(event.headers)
        elif isinstance(event, h2.events.DataReceived):
            seen[event.stream_id]["body"] += len(event.data)
            conn.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
        elif isinstance(event, h2.events.TrailersReceived):
            seen[event.stream_id]["trailers"] = dict(event.headers)
        elif isinstance(event, h2.events.StreamEnded):
            seen[event.stream_id]["ended"] = True
        elif isinstance(event, (h2.events.StreamReset, h2.events.ConnectionTerminated)):
            seen.setdefault("errors", []).append(repr(event))
    if all(seen[s].get("ended") for s in (1, 3, 5)) or "errors" in seen:
        break

conn.close_connection()
data = conn.data_to_send()
out.write(struct.pack(">I", len(data)) + data)
out.flush()
sys.stderr.write(json.dumps(seen))
