# MeshEdge build, run and test. `make run` and `make test` are the two commands a newcomer needs.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
RID ?= linux-x64
ARTIFACTS := artifacts/$(RID)
BIN := $(ARTIFACTS)/meshedge
RESULTS := artifacts/test-results
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE := 1

.PHONY: all deps interop-deps http-peers h2-peers tls-peers build run test unit functional format format-check bench bench-http bench-bolt bench-footprint bench-tls bench-tls-count bench-h2 bench-xds microbench fuzz clean

all: build

## deps: the native toolchain NativeAOT links with (installed only when missing)
deps:
	@scripts/ensure-packages.sh clang lld zlib1g-dev

## interop-deps: the real peers' npm packages the interop tests drive (npm ci only when missing or stale): sofa-rpc-node (Bolt), @grpc/grpc-js (gRPC)
interop-deps:
	@scripts/ensure-node-packages.sh tests/interop/bolt
	@scripts/ensure-node-packages.sh tests/interop/grpc

## http-peers: the real HTTP peers the functional tests drive (nginx as upstream, curl and wrk as clients; python3-h2 drives the HTTP/2 connection layer's interop test)
http-peers:
	@scripts/ensure-packages.sh nginx-light curl wrk python3-h2

## h2-peers: the HTTP/2 tools (nghttp2: h2load and nghttp as clients, nghttpd as an h2 origin, nghttpx as a peer proxy in bench/h2)
h2-peers:
	@scripts/ensure-packages.sh nghttp2-client nghttp2-server nghttp2-proxy

## tls-peers: the TLS peers the functional tests drive (the openssl CLI: s_server backends, s_client, certificates; testssl.sh, installed as `testssl`, scans a default listener; socat terminates and originates TLS around the Bolt peers)
tls-peers:
	@scripts/ensure-packages.sh openssl testssl.sh socat

## build: publish the NativeAOT binary to artifacts/linux-x64/meshedge; any trim/AOT warning fails it
build: deps
	@mkdir -p $(ARTIFACTS)
	dotnet publish src/Proxy.Native/Proxy.Native.csproj -c Release -r $(RID) -o $(ARTIFACTS) -nologo 2>&1 | tee $(ARTIFACTS)/publish.log
	@if grep -qE 'warning (IL|CS)[0-9]+' $(ARTIFACTS)/publish.log; then echo "trim/AOT warnings in the publish (see $(ARTIFACTS)/publish.log)"; exit 1; fi
	@rm -f $(ARTIFACTS)/*.dbg
	@ls -l $(BIN)

## run: build, then serve on the embedded default config (127.0.0.1:10000 -> 127.0.0.1:8080)
run: build
	$(BIN) run

## test: format check, AOT build and release artifacts, then unit, functional and packaging tests
test: format-check build dist interop-deps http-peers h2-peers tls-peers
	@rm -rf $(RESULTS)
# (the summary runs after a red run too: its last lines name the failed tests, where CI's tail shows them)
	@status=0; dotnet test MeshEdge.sln -c Release --blame-hang-timeout 5m --logger "trx" --logger "console;verbosity=normal" --results-directory $(RESULTS) \
	    || status=1; \
	  scripts/stop-test-leftovers.sh; \
	  scripts/test-summary.sh $(RESULTS) || status=1; \
	  exit $$status

format:
	dotnet format MeshEdge.sln

format-check:
	dotnet format MeshEdge.sln --verify-no-changes

## bench: side-by-side load benchmarks against HAProxy and nginx: TCP, HTTP/1.1, then Bolt RPC (see bench/README.md)
bench: build
	bench/tcp/run.sh
	bench/http/run.sh
	bench/bolt/run.sh

## bench-http: the HTTP/1.1 benchmark alone: MeshEdge vs HAProxy `mode http` vs nginx `proxy_pass`
bench-http: build
	bench/http/run.sh

## bench-bolt: the Bolt RPC benchmark alone: MeshEdge (default and busy_poll) vs HAProxy `mode tcp` vs direct
bench-bolt: build
	bench/bolt/run.sh

## bench-footprint: memory: MeshEdge's RSS idle, per idle keep-alive connection and under load, beside HAProxy and nginx
bench-footprint: build
	bench/footprint/run.sh

## bench-tls: TLS termination: full handshakes/s and CPU per handshake (ECDSA P-256, RSA 2048), keep-alive HTTPS CPU per request, memory per idle TLS connection; MeshEdge vs nginx vs HAProxy
bench-tls: build
	bench/tls/run.sh

## bench-tls-count: TLS termination in counts, not time: user-space instructions (callgrind, by library) and system calls per keep-alive request and per handshake; MeshEdge vs nginx vs HAProxy
bench-tls-count: build
	bench/tls/count.sh

## bench-h2: HTTP/2 and gRPC: h2load through MeshEdge vs nginx vs HAProxy (h1 and h2 to the origin) vs nghttpx, GET and gRPC unary shapes
bench-h2: build h2-peers interop-deps
	bench/h2/run.sh

## bench-xds: a control plane pushes 10,000 clusters with their endpoints over ADS (SotW and delta): push to ACK and to traffic, memory per cluster, one endpoint change; beside Envoy's figure and issue 19's targets
bench-xds: build
	bench/xds/run.sh

microbench:
	dotnet run -c Release --project bench/Proxy.Benchmarks -- --filter '*'

## fuzz: afl-fuzz (afl++ through SharpFuzz) each codec target for FUZZ_SECONDS; not part of `make test`
##   make fuzz FUZZ_TARGETS=hpack FUZZ_SECONDS=600    (targets: h2-frames h2-session hpack http1 bolt tls-client-hello; see README)
FUZZ_TARGETS ?= h2-frames hpack http1 bolt tls-client-hello
FUZZ_SECONDS ?= 60
fuzz:
	@status=0; for target in $(FUZZ_TARGETS); do scripts/fuzz.sh $$target $(FUZZ_SECONDS) || status=1; done; exit $$status

clean:
	rm -rf artifacts
	find . -name bin -o -name obj -type d -prune -exec rm -rf {} +

include packaging/dist.mk
