'use strict';
// The echo service's definition (echo.proto), loaded once for server.js and client.js.
const path = require('path');
const grpc = require('@grpc/grpc-js');
const loader = require('@grpc/proto-loader');

const definition = loader.loadSync(path.join(__dirname, 'echo.proto'), {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
});

module.exports = { grpc, Echo: grpc.loadPackageDefinition(definition).meshedge.echo.Echo };
