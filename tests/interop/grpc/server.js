'use strict';
// A gRPC echo server (@grpc/grpc-js, h2c) on 127.0.0.1 at a free port (or spec.port), serving the four
// call shapes of echo.proto. Argument: JSON {name, quiet, port}. Reports on stdout, one JSON object a
// line: {"event":"listening","port"}, and unless quiet, per call {"event":"call","method","metadata",
// "deadlineMs","authority"}, {"event":"cancelled","method"} when the call is cancelled (by the client,
// a proxy's RST_STREAM or the deadline) and {"event":"finished","method","code"} when it ends.
//
// Metadata: each request header named x-echo-* comes back in the response headers, with
// x-echo-server: NAME; the trailers always hold x-trailer-server: NAME and x-trailer-message (the
// last request message), on OK and error endings alike.
const { grpc, Echo } = require('./echo-service');

const spec = JSON.parse(process.argv[2] || '{}');
const name = spec.name || 'grpc-js';
const quiet = !!spec.quiet;

function report(event) {
  if (!quiet) process.stdout.write(JSON.stringify(event) + '\n');
}

function plain(metadata) {   // metadata as a JSON object; binary values in base64
  const out = {};
  for (const [key, value] of Object.entries(metadata.getMap())) {
    out[key] = Buffer.isBuffer(value) ? value.toString('base64') : value;
  }
  return out;
}

function started(call, method) {
  const deadline = call.getDeadline();
  const at = deadline instanceof Date ? deadline.getTime() : Number(deadline);
  report({
    event: 'call',
    method,
    metadata: plain(call.metadata),
    deadlineMs: Number.isFinite(at) ? at - Date.now() : null,
    authority: call.getHost ? call.getHost() : null,
  });
  // grpc-js also emits 'cancelled' when the stream closes after a normal end: only a call that had
  // not finished (see finish) reports it.
  call.on('cancelled', () => {
    if (!call.finishedByServer) report({ event: 'cancelled', method });
  });
  const headers = new grpc.Metadata();
  headers.set('x-echo-server', name);
  for (const [key, values] of Object.entries(call.metadata.toJSON())) {
    if (key.startsWith('x-echo-')) for (const v of values) headers.add(key, v);
  }
  call.sendMetadata(headers);
}

function finish(call, method, code) {   // marks the call as ended by the server, before its status goes out
  call.finishedByServer = true;
  report({ event: 'finished', method, code });
}

function trailers(lastMessage) {
  const t = new grpc.Metadata();
  t.set('x-trailer-server', name);
  t.set('x-trailer-message', lastMessage || '');
  return t;
}

function failure(request) {   // the status a request asks for, or null
  if (!request || !request.failCode) return null;
  return { code: request.failCode, details: request.failMessage, metadata: trailers(request.message) };
}

// A client's RST_STREAM reaches grpc-js as the end of the request stream first and as the stream's
// close (call.cancelled) a few turns later: a half-close is acted on only after those turns, so that
// a cancelled call is reported as such rather than answered.
const afterHalfClose = (fn) => setTimeout(fn, 50);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const service = {
  unary(call, callback) {
    started(call, 'Unary');
    const request = call.request;
    if (request.hang) return;
    setTimeout(() => {
      if (call.cancelled) return;
      const failed = failure(request);
      finish(call, 'Unary', failed ? failed.code : 0);
      if (failed) callback(failed);
      else callback(null, { message: `${name}:${request.message}`, index: 0 }, trailers(request.message));
    }, request.delayMs || 0);
  },

  async serverStream(call) {
    started(call, 'ServerStream');
    const request = call.request;
    if (request.hang) return;
    for (let i = 0; i < request.count; i++) {
      if (request.delayMs) await sleep(request.delayMs);
      if (call.cancelled) return;
      call.write({ message: `${name}:${request.message}`, index: i });
    }
    if (call.cancelled) return;
    const failed = failure(request);
    finish(call, 'ServerStream', failed ? failed.code : 0);
    if (failed) call.emit('error', failed);
    else call.end(trailers(request.message));
  },

  clientStream(call, callback) {
    started(call, 'ClientStream');
    const messages = [];
    let last = null;
    call.on('data', (request) => {
      messages.push(request.message);
      last = request;
    });
    call.on('end', () => afterHalfClose(() => {
      if (call.cancelled || (last && last.hang)) return;
      const failed = failure(last);
      finish(call, 'ClientStream', failed ? failed.code : 0);
      if (failed) callback(failed);
      else callback(null, { message: `${name}:${messages.join(',')}`, index: messages.length }, trailers(last && last.message));
    }));
  },

  bidi(call) {
    started(call, 'Bidi');
    let index = 0;
    let last = null;
    let failed = null;
    call.on('data', (request) => {
      if (failed || call.cancelled) return;
      last = request;
      failed = failure(request);
      if (failed) {
        finish(call, 'Bidi', failed.code);
        call.emit('error', failed);
        return;
      }
      call.write({ message: `${name}:${request.message}`, index: index++ });
    });
    call.on('end', () => afterHalfClose(() => {
      if (failed || call.cancelled || (last && last.hang)) return;
      finish(call, 'Bidi', 0);
      call.end(trailers(last && last.message));
    }));
  },
};

const server = new grpc.Server();
server.addService(Echo.service, service);
server.bindAsync(`127.0.0.1:${spec.port || 0}`, grpc.ServerCredentials.createInsecure(), (error, port) => {
  if (error) {
    process.stderr.write(`bind failed: ${error.message}\n`);
    process.exit(1);
  }
  process.stdout.write(JSON.stringify({ event: 'listening', port }) + '\n');
});

process.on('SIGTERM', () => server.tryShutdown(() => process.exit(0)));
