#!/usr/bin/env bash
# Idle memory per connection of the RxNet echo server (demos/EchoServer) over tcp:, unix: and tls:, measured by
# the project's load driver (benchmarks/RxNet.Load, idle scenario) attached to the RxNet server itself.
# The driver speaks plain TCP, so every row goes through the same socat relay (separate processes, not measured)
# to the server's socket: TCP, a Unix socket, or TLS (socat as the TLS client). The rows therefore differ only in
# the server's transport. Needs the .NET SDK, socat and openssl.
# Usage: benchmarks/idle-memory.sh [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
conns=${1:-1000}
command -v socat >/dev/null || { echo "needs socat (apt-get install -y socat)" >&2; exit 1; }
command -v openssl >/dev/null || { echo "needs openssl (apt-get install -y openssl)" >&2; exit 1; }
dotnet build -c Release benchmarks/RxNet.Load -v q -nologo >/dev/null   # builds demos/EchoServer too
load=benchmarks/RxNet.Load/bin/Release/net10.0/RxNet.Load.dll
server=demos/EchoServer/bin/Release/net10.0/EchoServer.dll
tmp=$(mktemp -d); pids=()
cleanup() { for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost \
  -keyout "$tmp/key.pem" -out "$tmp/cert.pem" 2>/dev/null
ulimit -n "$(ulimit -Hn)"

measure() { # name, --listen string, socat target given the server's port
  local name=$1 listen=$2 target=$3 out port relay spid rpid
  out="$tmp/$name.out"
  dotnet "$server" --listen "$listen" --drain 0 >"$out" 2>&1 & spid=$!; pids+=("$spid")
  for _ in $(seq 100); do grep -q '^listening' "$out" && break; sleep 0.1; done
  port=$(sed -n 's/^listening //p' "$out" | head -1)
  relay=$(dotnet "$load" free-port)
  socat "TCP-LISTEN:$relay,bind=127.0.0.1,fork,reuseaddr,backlog=1024" "${target//\{port\}/$port}" & rpid=$!; pids+=("$rpid")
  for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$relay") 2>/dev/null && break; sleep 0.1; done
  dotnet "$load" run --server "$name=attach:$relay:$spid" --scenarios "idle$conns" --warmup 1 --duration 5 | grep '^run'
  kill "$rpid" "$spid" 2>/dev/null || true; wait "$rpid" "$spid" 2>/dev/null || true
}

measure tcp  "tcp:0:interface=127.0.0.1" "TCP:127.0.0.1:{port}"
measure unix "unix:$tmp/echo.sock"       "UNIX-CONNECT:$tmp/echo.sock"
measure tls  "tls:0:interface=127.0.0.1:certificate=$tmp/cert.pem:privateKey=$tmp/key.pem" "OPENSSL:127.0.0.1:{port},verify=0"
