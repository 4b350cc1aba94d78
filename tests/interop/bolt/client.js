'use strict';
// Drives Bolt calls for the functional tests. Usage: node client.js '<json spec>'
// Prints {"event":"connected"} and {"event":"sent"} as it goes, then {"event":"done","results":[...]}.
//   spec.target    "host:port" (the proxy, or a server directly)
//   spec.mode      "bolt" (sofa-bolt-node codec on one connection; statuses visible) or
//                  "rpc" (sofa-rpc-node's RpcClient consumer, the full SOFA client)
//   spec.calls     [{service, method, args, count, timeoutMs, oneway}] all started at once
//   spec.heartbeats  heartbeats to send first (bolt mode)
//   spec.noRead    stop reading after sending, hold spec.holdMs, then leave (bolt mode)
//   spec.version, spec.crc  2 and true: Bolt v2 frames with CRC32 (bolt mode)
//   spec.payloadLength  replaces each "$payload" argument with a string of that many characters
//   spec.followUp  calls to start on the same connection when the process gets SIGUSR2 (bolt mode);
//                  prints {"event":"followUpSent"} then, and their results come as "followUp"
// Each answered call's result carries "arrival": its position among the responses on the connection.
const BoltPeer = require('./bolt-peer');

function report(obj, then) {
  process.stdout.write(JSON.stringify(obj) + '\n', then);
}

function payloadOf(length) {
  const unit = 'meshedge-bolt-payload-';
  let text = '';
  while (text.length < length) text += unit + text.length + ';';
  return text.slice(0, length);
}

function expand(spec) {
  const payload = spec.payload;
  const calls = [];
  for (const call of spec.calls || []) {
    for (let i = 0; i < (call.count || 1); i++) {
      const args = (call.args || []).map(a => (a === '$payload' ? payload : a === '$i' ? String(i) : a));
      calls.push(Object.assign({}, call, { args, index: i }));
    }
  }
  return calls;
}

// A 1 MiB echo printed back would drown the output: large values are summarised against the payload.
function summarise(result, payload) {
  if (payload && typeof result.value === 'string' && result.value.length > 1024) {
    result.valueLength = result.value.length;
    result.valueMatchesPayload = result.value === payload;
    delete result.value;
  }
  return result;
}

async function runBolt(spec, host, port) {
  const peer = new BoltPeer(host, port, { version: spec.version, crc: spec.crc });
  await peer.ready();
  report({ event: 'connected' });
  const heartbeats = [];
  for (let i = 0; i < (spec.heartbeats || 0); i++) heartbeats.push(peer.heartbeat());
  const calls = expand(spec);
  const promises = calls.map(c => peer.call(c.service, c.method, c.args, c.timeoutMs || 3000, c.oneway));
  const followUpCalls = expand({ calls: spec.followUp || [], payload: spec.payload });
  const followUpSent = new Promise(resolve => {
    if (followUpCalls.length === 0) return resolve([]);
    process.once('SIGUSR2', () => {
      const started = followUpCalls.map(c => peer.call(c.service, c.method, c.args, c.timeoutMs || 3000, c.oneway));
      report({ event: 'followUpSent', count: started.length });
      resolve(started);
    });
  });
  report({ event: 'sent', count: calls.length });
  if (spec.noRead) {
    // A client that stops reading: its responses pile up in the proxy, which must stop taking its
    // requests (watermarks) without holding back anyone else. Hold, then leave without reading.
    peer.socket.pause();
    await new Promise(resolve => setTimeout(resolve, spec.holdMs || 5000));
    peer.socket.destroy();
    return { results: [], heartbeats: [], decodeError: null };
  }
  const waitMs = spec.waitMs || 30000;
  const guard = new Promise(resolve => setTimeout(() => resolve({ status: null, error: 'no answer within ' + waitMs + 'ms' }), waitMs));
  const results = await Promise.all(promises.map((p, i) => (p ? Promise.race([ p, guard ]) : Promise.resolve({ oneway: true }))
    .then(r => summarise(Object.assign({ service: calls[i].service, method: calls[i].method, index: calls[i].index }, r), spec.payload))));
  const heartbeatResults = await Promise.all(heartbeats.map(p => Promise.race([ p, guard ])));
  const followUpPromises = await Promise.race([ followUpSent, guard.then(() => followUpCalls.map(() => null)) ]);
  const followUp = await Promise.all(followUpPromises.map((p, i) => (p ? Promise.race([ p, guard ]) : Promise.resolve({ status: null, error: 'not sent' }))
    .then(r => Object.assign({ service: followUpCalls[i].service, method: followUpCalls[i].method, index: followUpCalls[i].index }, r))));
  if (spec.holdMs) await new Promise(resolve => setTimeout(resolve, spec.holdMs));
  await Promise.race([ peer.close(), new Promise(resolve => setTimeout(resolve, 2000)) ]);
  return { results, heartbeats: heartbeatResults, followUp, decodeError: peer.decodeError || null };
}

async function runRpc(spec) {
  const { RpcClient } = require('sofa-rpc-node').client;
  const quiet = { info() {}, warn() {}, error() {}, debug() {} };
  const client = new RpcClient({ logger: quiet });
  const consumers = new Map();
  for (const call of spec.calls || []) {
    if (!consumers.has(call.service)) {
      const [ interfaceName, version ] = call.service.split(':');
      const consumer = client.createConsumer({ interfaceName, version: version || '1.0', serverHost: spec.target });
      consumers.set(call.service, consumer);
    }
  }
  await Promise.all([ ...consumers.values() ].map(c => c.ready()));
  report({ event: 'connected' });
  const calls = expand(spec);
  const promises = calls.map(c => consumers.get(c.service)
    .invoke(c.method, c.args.map(a => (typeof a === 'number' ? { $class: 'int', $: a } : { $class: 'java.lang.String', $: a })), { responseTimeout: c.timeoutMs || 3000 })
    .then(value => ({ value }), err => ({ error: err.name + ': ' + err.message })));
  report({ event: 'sent', count: calls.length });
  const results = (await Promise.all(promises)).map((r, i) => summarise(Object.assign({ service: calls[i].service, method: calls[i].method, index: calls[i].index }, r), spec.payload));
  await client.close();
  return { results };
}

async function main() {
  const spec = JSON.parse(process.argv[2]);
  spec.payload = spec.payloadLength ? payloadOf(spec.payloadLength) : null;
  const [ host, port ] = spec.target.split(':');
  const outcome = spec.mode === 'rpc' ? await runRpc(spec) : await runBolt(spec, host, Number(port));
  // Exit once the line is written: a pipe takes 64 KiB at a time, and exiting earlier cuts a long line short.
  report(Object.assign({ event: 'done' }, outcome), () => process.exit(0));
}

main().catch(err => {
  process.stderr.write(String(err && err.stack || err) + '\n');
  process.exit(1);
});
