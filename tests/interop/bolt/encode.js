'use strict';
// Encodes Bolt request frames with sofa-bolt-node's own encoder, for tests that drive the proxy
// from a raw socket (to see exactly how the proxy ends the connection: a FIN or a reset).
// Usage: node encode.js '{"calls":[{service, method, args, count, timeoutMs}]}'
// Prints {"event":"encoded","frames":[{"id":N,"hex":"..."}, ...]}: one frame per call, ids 1, 2, ...;
// "$i" in args becomes the call's index.
const bolt = require('sofa-bolt-node');
const { toHessian } = require('./bolt-peer');

const spec = JSON.parse(process.argv[2] || '{}');
const encoder = bolt.encoder({ sentReqs: new Map(), classCache: new Map() });
const chunks = [];
encoder.on('data', chunk => chunks.push(chunk));
let id = 1;
for (const call of spec.calls || []) {
  for (let i = 0; i < (call.count || 1); i++) {
    encoder.writeRequest(id++, {
      serverSignature: call.service,
      methodName: call.method,
      args: (call.args || []).map(a => toHessian(a === '$i' ? String(i) : a)),
      timeout: call.timeoutMs || 3000,
      requestProps: {},
    });
  }
}

// Once every push has been read, cut the bytes into frames by the Bolt v1 request header: 22 bytes,
// the request id at 5, then class (u16 at 14), header (u16 at 16) and content (u32 at 18) lengths.
setImmediate(() => {
  const all = Buffer.concat(chunks);
  const frames = [];
  for (let at = 0; at < all.length;) {
    const length = 22 + all.readUInt16BE(at + 14) + all.readUInt16BE(at + 16) + all.readUInt32BE(at + 18);
    frames.push({ id: all.readInt32BE(at + 5), hex: all.subarray(at, at + length).toString('hex') });
    at += length;
  }
  process.stdout.write(JSON.stringify({ event: 'encoded', frames }) + '\n', () => process.exit(0));
});
