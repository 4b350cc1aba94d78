'use strict';
// Steady Bolt load for the hot-upgrade tests: sofa-rpc-node's RpcClient (the full SOFA client) on
// long-lived connections, each keeping many calls in flight, until SIGINT. Usage:
//   node load-client.js '{"target":"127.0.0.1:N","service":"com.meshedge.Echo:1.0","connections":4,"inFlight":16}'
// Every TCP connection the client opens is counted with its local port (net.connect is wrapped
// before sofa-rpc-node loads), so a test can tell a surviving connection from a reconnect.
// Prints {"event":"connected","ports":[...]}, {"event":"stats",...} every 500 ms, and on SIGINT waits
// for the calls in flight and prints {"event":"done", ok, failed, errors, connects, closes, ports}.
const net = require('net');

const sockets = [];
let connects = 0;
let closes = 0;
const originalConnect = net.connect;
net.connect = function (...args) {
  const socket = originalConnect.apply(this, args);
  socket.once('connect', () => { connects++; sockets.push(socket); });
  socket.once('close', () => { closes++; });
  return socket;
};

const { RpcClient } = require('sofa-rpc-node').client;

function report(obj) {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

function livePorts() {
  return sockets.filter(s => !s.destroyed).map(s => s.localPort).sort((a, b) => a - b);
}

async function main() {
  const spec = JSON.parse(process.argv[2]);
  const quiet = { info() {}, warn() {}, error() {}, debug() {} };
  const [ interfaceName, version ] = spec.service.split(':');
  const clients = [];
  const consumers = [];
  // One RpcClient per connection: each keeps its own connection to the address.
  for (let i = 0; i < (spec.connections || 4); i++) {
    const client = new RpcClient({ logger: quiet });
    clients.push(client);
    consumers.push(client.createConsumer({ interfaceName, version: version || '1.0', serverHost: spec.target }));
  }
  await Promise.all(consumers.map(c => c.ready()));

  let ok = 0;
  let failed = 0;
  let mismatched = 0;
  const errors = [];
  let stopping = false;
  let sequence = 0;
  async function loop(consumer) {
    while (!stopping) {
      const value = String(sequence++);
      try {
        const result = await consumer.invoke(spec.method || 'echo', [ { $class: 'java.lang.String', $: value } ], { responseTimeout: spec.timeoutMs || 20000 });
        // The server answers "name:value": any other value is a response given to the wrong call.
        if (typeof result === 'string' && result.endsWith(':' + value)) {
          ok++;
        } else {
          mismatched++;
          failed++;
          if (errors.length < 20) errors.push('call ' + value + ' got ' + JSON.stringify(result));
        }
      } catch (err) {
        failed++;
        if (errors.length < 20) errors.push(err.name + ': ' + err.message);
      }
    }
  }

  report({ event: 'connected', ports: livePorts(), connects });
  const loops = [];
  for (const consumer of consumers) {
    for (let i = 0; i < (spec.inFlight || 16); i++) loops.push(loop(consumer));
  }
  const ticker = setInterval(() => report({ event: 'stats', ok, failed, connects, closes }), 500);
  await new Promise(resolve => process.once('SIGINT', resolve));
  stopping = true;
  await Promise.all(loops);
  clearInterval(ticker);
  const ports = livePorts();
  report({ event: 'done', ok, failed, mismatched, errors, connects, closes, ports });
  await Promise.race([ Promise.all(clients.map(c => c.close())), new Promise(resolve => setTimeout(resolve, 2000)) ]);
  process.exit(0);
}

main().catch(err => {
  process.stderr.write(String(err && err.stack || err) + '\n');
  process.exit(1);
});
