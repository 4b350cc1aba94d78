'use strict';
// One Bolt client connection built from sofa-bolt-node's own encoder and decoder, with the response
// status made visible: sofa-bolt-node turns every non-success status into the same generic error,
// and the tests need to tell TIMEOUT from NO_PROCESSOR from CONNECTION_CLOSED.
const net = require('net');
const bolt = require('sofa-bolt-node');
const RpcResponseCommand = require('sofa-bolt-node/lib/protocol/rpc_res_cmd');

const originalDecode = RpcResponseCommand.decode;
RpcResponseCommand.decode = (byteBuffer, ctx) => {
  // The status is the u16 the response decoder reads first; peek it without moving the position.
  const status = byteBuffer.getShort(byteBuffer.position());
  const result = originalDecode(byteBuffer, ctx);
  result.status = status;
  lastStatus.set(ctx.packetId, status);
  return result;
};
const lastStatus = new Map();

let nextId = 1;

class BoltPeer {
  // options.version 2 speaks Bolt v2; options.crc appends the CRC32 that v2 receivers verify.
  constructor(host, port, options = {}) {
    this.pending = new Map();
    // Responses are numbered in the order they came off the connection, so a test can check the
    // order in which the proxy wrote them (the byte stream keeps it).
    this.arrivals = 0;
    this.socket = net.connect(port, host);
    this.socket.setNoDelay(true);
    this.encoder = bolt.encoder({ sentReqs: new Map(), classCache: new Map() });
    if (options.version === 2) {
      this.encoder.protocolType = 'bolt2';
      this.encoder.boltVersion = 2;
      this.encoder.crcEnable = !!options.crc;
    }
    this.decoder = bolt.decoder({ sentReqs: new Map(), classCache: new Map() });
    this.encoder.pipe(this.socket).pipe(this.decoder);
    this.closed = new Promise(resolve => this.socket.once('close', resolve));
    this.socket.on('error', () => {});
    this.decoder.on('response', res => this._settle(res.packetId, {
      status: lastStatus.get(res.packetId),
      value: res.data && res.data.appResponse,
      error: res.data && res.data.error ? String(res.data.error.message || res.data.error) : null,
    }));
    this.decoder.on('heartbeat_ack', ack => this._settle(ack.packetId, { status: 0, heartbeat: true }));
    this.decoder.on('error', err => { this.decodeError = String(err); });
    this.socket.once('close', () => {
      for (const [ id, entry ] of this.pending) {
        entry.resolve({ status: null, error: 'connection closed', elapsedMs: Date.now() - entry.start });
        this.pending.delete(id);
      }
    });
  }

  ready() {
    return new Promise((resolve, reject) => {
      this.socket.once('connect', resolve);
      this.socket.once('error', reject);
    });
  }

  _settle(id, result) {
    const entry = this.pending.get(id);
    if (!entry) return;
    this.pending.delete(id);
    lastStatus.delete(id);
    result.elapsedMs = Date.now() - entry.start;
    result.arrival = ++this.arrivals;
    entry.resolve(result);
  }

  _await(id) {
    return new Promise(resolve => this.pending.set(id, { resolve, start: Date.now() }));
  }

  call(service, method, args, timeoutMs, oneway) {
    const id = nextId++;
    const promise = oneway ? null : this._await(id);
    this.encoder.writeRequest(id, {
      serverSignature: service,
      methodName: method,
      args: args.map(toHessian),
      timeout: timeoutMs,
      oneway: !!oneway,
      requestProps: {},
    });
    return promise;
  }

  heartbeat() {
    const id = nextId++;
    const promise = this._await(id);
    this.encoder.writeHeartbeat(id, { timeout: 3000, clientUrl: 'meshedge-test' });
    return promise;
  }

  close() {
    this.socket.end();
    return this.closed;
  }
}

function toHessian(value) {
  if (typeof value === 'number') return { $class: 'int', $: value };
  return { $class: 'java.lang.String', $: String(value) };
}

module.exports = BoltPeer;
module.exports.toHessian = toHessian;
