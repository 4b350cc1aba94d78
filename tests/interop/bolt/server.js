'use strict';
// A SOFARPC server from the SOFA team's own Node implementation (sofa-rpc-node), for the interop
// tests. Usage: node server.js '{"name":"a","services":["com.meshedge.Echo:1.0"]}'
// Prints one JSON object per line: {"event":"listening","port":N} once, then one line per call the
// server receives ({"event":"request","method":...}), so a test can act once calls are in flight;
// "quiet": true leaves out the lines for echo, for load tests that make many thousands of calls;
// a quiet server reports its echo count instead, every 100 ms while it changes ({"event":"echoes","count":N}).
// SIGUSR2 opens the gate that gated(v) calls wait behind ({"event":"gateOpened"}), so a test decides
// when calls in flight are answered.
const { RpcServer } = require('sofa-rpc-node').server;

const spec = JSON.parse(process.argv[2] || '{}');
const name = spec.name || 'server';
const services = spec.services || [ 'com.meshedge.Echo:1.0' ];
const quiet = { info() {}, warn() {}, error() {}, debug() {} };

function report(obj) {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

let echoes = 0;
let reportedEchoes = 0;
if (spec.quiet) {
  setInterval(() => {
    if (echoes !== reportedEchoes) {
      reportedEchoes = echoes;
      report({ event: 'echoes', count: echoes });
    }
  }, 100).unref();
}

let openGate;
const gate = new Promise(resolve => { openGate = resolve; });
process.once('SIGUSR2', () => {
  openGate();
  report({ event: 'gateOpened' });
});

const handlers = {
  // Returns the argument tagged with the server's name, so a test sees which server answered.
  async echo(value) {
    echoes++;
    if (!spec.quiet) report({ event: 'request', method: 'echo' });
    return name + ':' + value;
  },
  // Returns the length of what it got and the same string back (large payloads both ways).
  async mirror(value) {
    report({ event: 'request', method: 'mirror', length: value.length });
    return value;
  },
  // Answers after a delay: calls stay in flight long enough for a test to kill the server.
  async delay(ms, value) {
    report({ event: 'request', method: 'delay' });
    await new Promise(resolve => setTimeout(resolve, ms));
    return name + ':' + value;
  },
  // Answers once the test opens the gate (SIGUSR2): calls stay in flight exactly as long as a test needs.
  async gated(value) {
    report({ event: 'request', method: 'gated' });
    await gate;
    return name + ':' + value;
  },
  // Never answers.
  async hang() {
    report({ event: 'request', method: 'hang' });
    await new Promise(() => {});
  },
  // Called oneway: records the value it got.
  async note(value) {
    report({ event: 'note', value });
    return null;
  },
};

async function main() {
  const server = new RpcServer({ logger: quiet, port: 0, maxIdleTime: 600000 });
  for (const id of services) {
    const [ interfaceName, version ] = id.split(':');
    server.addService({ interfaceName, version: version || '1.0' }, handlers);
  }
  await server.start();
  report({ event: 'listening', port: server._servers[0].address().port, name });
}

main().catch(err => {
  process.stderr.write(String(err && err.stack || err) + '\n');
  process.exit(1);
});
