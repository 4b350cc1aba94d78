'use strict';
// The SOFA team's own client as a load generator for bench/bolt: sofa-rpc-node's RpcClient (the
// client applications use), CONNS clients with one connection each, each keeping INFLIGHT echo
// calls outstanding for SECONDS; every call is timed from invoke to result. Usage:
//   node sofa-load.js HOST:PORT CONNS INFLIGHT SECONDS PAYLOAD
// Prints the same one line as BoltLoad: requests=N seconds=S rps=R p50_us=X p99_us=Y errors=E
// (an error is a failed call or an answer that is not the server's echo of what was sent).
// The packages come from tests/interop/bolt (scripts/ensure-node-packages.sh installs them).
const path = require('path');

const interop = path.join(__dirname, '..', '..', 'tests', 'interop', 'bolt');
const { RpcClient } = require(require.resolve('sofa-rpc-node', { paths: [ interop ] })).client;

const SERVICE = 'com.meshedge.Bench';
const VERSION = '1.0';

async function main() {
  const [ target, conns, inflight, seconds, payloadLength ] = process.argv.slice(2);
  const quiet = { info() {}, warn() {}, error() {}, debug() {} };
  const consumers = [];
  for (let i = 0; i < Number(conns); i++) {
    const client = new RpcClient({ logger: quiet });
    consumers.push(client.createConsumer({ interfaceName: SERVICE, version: VERSION, serverHost: target }));
  }
  await Promise.all(consumers.map(c => c.ready()));

  const payload = 'x'.repeat(Number(payloadLength || 64));
  const latencies = [];
  let requests = 0;
  let errors = 0;
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(Math.round(Number(seconds) * 1e9));

  async function loop(consumer) {
    while (process.hrtime.bigint() < deadline) {
      const sent = process.hrtime.bigint();
      try {
        const result = await consumer.invoke('echo', [ { $class: 'java.lang.String', $: payload } ], { responseTimeout: 20000 });
        if (typeof result !== 'string' || !result.endsWith(':' + payload)) errors++;
      } catch (e) {
        errors++;
      }
      latencies.push(Number(process.hrtime.bigint() - sent) / 1000);
      requests++;
    }
  }

  const loops = [];
  for (const consumer of consumers) {
    for (let i = 0; i < Number(inflight); i++) loops.push(loop(consumer));
  }
  await Promise.all(loops);
  const elapsed = Math.min(Number(process.hrtime.bigint() - started) / 1e9, Number(seconds));
  latencies.sort((a, b) => a - b);
  const percentile = p => (latencies.length === 0 ? 0 : latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]);
  process.stdout.write(`requests=${requests} seconds=${elapsed.toFixed(2)} rps=${(requests / elapsed).toFixed(0)}` +
    ` p50_us=${percentile(0.5).toFixed(0)} p99_us=${percentile(0.99).toFixed(0)} errors=${errors}\n`, () => process.exit(0));
}

main().catch(e => {
  process.stderr.write(String(e && e.stack || e) + '\n');
  process.exit(1);
});
