'use strict';
// One gRPC call with @grpc/grpc-js (h2c) to the echo service, described by a JSON argument:
//   {target: "127.0.0.1:PORT", method: "Unary"|"ServerStream"|"ClientStream"|"Bidi",
//    requests: [EchoRequest...] (Unary and ServerStream send the first), metadata: {key: value}
//    (keys ending in -bin take base64), deadlineMs, cancelAfterMs, cancelAfterReplies,
//    cancelWhenFile (cancel once this path exists: the test makes it when the server has seen the
//    call, which a fixed time cannot promise on a loaded machine),
//    halfClose (default true: the client ends its side after the requests)}
// Bidi is ping-pong: each request is written only after the reply to the one before arrived, so a
// proxy that held requests back until the client's END_STREAM would stall the call.
// Prints one line: {"event":"result","code","details","replies":[{message,index}],"headers":{...},
// "trailers":{...},"elapsedMs"}; exits 0 whatever the status (the test judges it).
const fs = require('fs');
const { grpc, Echo } = require('./echo-service');

const spec = JSON.parse(process.argv[2]);
const client = new Echo(spec.target, grpc.credentials.createInsecure(), { 'grpc.enable_retries': 0 });

function plain(metadata) {
  const out = {};
  if (!metadata) return out;
  for (const [key, value] of Object.entries(metadata.getMap())) {
    out[key] = Buffer.isBuffer(value) ? value.toString('base64') : value;
  }
  return out;
}

const metadata = new grpc.Metadata();
for (const [key, value] of Object.entries(spec.metadata || {})) {
  metadata.set(key, key.endsWith('-bin') ? Buffer.from(value, 'base64') : value);
}
const options = spec.deadlineMs ? { deadline: Date.now() + spec.deadlineMs } : {};
const requests = spec.requests && spec.requests.length ? spec.requests : [{ message: 'hello' }];
const started = Date.now();
const result = { event: 'result', code: null, details: null, replies: [], headers: null, trailers: null, elapsedMs: null };
let call;

function finish(status) {
  if (result.code !== null) return;
  result.code = status.code;
  result.details = status.details;
  result.trailers = plain(status.metadata);
  result.elapsedMs = Date.now() - started;
  process.stdout.write(JSON.stringify(result) + '\n');
  client.close();
}

function reply(message) {
  result.replies.push({ message: message.message, index: message.index });
  if (spec.cancelAfterReplies && result.replies.length === spec.cancelAfterReplies) call.cancel();
}

switch (spec.method) {
  case 'Unary':
    call = client.unary(requests[0], metadata, options, (error, message) => {
      if (message) reply(message);
    });
    break;
  case 'ServerStream':
    call = client.serverStream(requests[0], metadata, options);
    call.on('data', reply);
    break;
  case 'ClientStream':
    call = client.clientStream(metadata, options, (error, message) => {
      if (message) reply(message);
    });
    for (const r of requests) call.write(r);
    if (spec.halfClose !== false) call.end();
    break;
  case 'Bidi': {
    call = client.bidi(metadata, options);
    let next = 0;
    const writeNext = () => {
      if (next < requests.length) call.write(requests[next++]);
      else if (spec.halfClose !== false) call.end();
    };
    call.on('data', (message) => {
      reply(message);
      writeNext();
    });
    writeNext();
    break;
  }
  default:
    process.stderr.write(`unknown method ${spec.method}\n`);
    process.exit(2);
}

call.on('metadata', (headers) => {
  result.headers = plain(headers);
});
call.on('status', finish);
call.on('error', () => {});   // the status event carries it
if (spec.cancelAfterMs) setTimeout(() => call.cancel(), spec.cancelAfterMs);
if (spec.cancelWhenFile) {
  const poll = setInterval(() => {
    if (fs.existsSync(spec.cancelWhenFile)) {
      clearInterval(poll);
      call.cancel();
    }
  }, 20);
  call.on('status', () => clearInterval(poll));
}
