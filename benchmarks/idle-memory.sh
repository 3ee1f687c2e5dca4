#!/usr/bin/env bash
# Idle memory per connection of the RxNet echo server (demos/EchoServer) over tcp:, unix: and tls:,
# measured by echoload in idle mode with --server-pid set to the RxNet server itself. echoload belongs to an
# external load-generator kit, not to this repository: set BENCH to the folder you keep it in.
# echoload speaks plain TCP, so every row goes through the same socat relay (separate processes, not
# measured) to the server's socket: TCP, a Unix socket, or TLS (socat as the TLS client). The rows
# therefore differ only in the server's transport.
# Usage: BENCH=/path/to/bench benchmarks/idle-memory.sh [CONNECTIONS]
set -euo pipefail
[ -n "${BENCH:-}" ] || { echo "set BENCH to the folder of the external echoload kit: BENCH=/path/to/bench $0 [CONNECTIONS]" >&2; exit 1; }
[ -d "$BENCH" ] || { echo "BENCH=$BENCH: no such directory (it must be the folder of the external echoload kit)" >&2; exit 1; }
bench=$(cd "$BENCH" && pwd)
[ -x "$bench/bin/echoload" ] || [ -x "$bench/build.sh" ] ||
  { echo "BENCH=$bench holds neither bin/echoload nor build.sh: not an echoload kit" >&2; exit 1; }
cd "$(dirname "$0")/.."
conns=${1:-1000}
[ -x "$bench/bin/echoload" ] || "$bench/build.sh" c >/dev/null
command -v socat >/dev/null || { echo "needs socat (apt-get install -y socat)" >&2; exit 1; }
dotnet build -c Release demos/EchoServer -v q -nologo >/dev/null
server=demos/EchoServer/bin/Release/net10.0/EchoServer.dll
tmp=$(mktemp -d); pids=()
cleanup() { for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost \
  -keyout "$tmp/key.pem" -out "$tmp/cert.pem" 2>/dev/null
ulimit -n "$(ulimit -Hn)"

free_port() { "$bench/bin/echoload" freeport; }

measure() { # name, --listen string, socat target given the server's port
  local name=$1 listen=$2 target=$3 out port relay spid rpid
  out="$tmp/$name.out"
  dotnet "$server" --listen "$listen" --drain 0 >"$out" 2>&1 & spid=$!; pids+=("$spid")
  for _ in $(seq 100); do grep -q '^listening' "$out" && break; sleep 0.1; done
  port=$(sed -n 's/^listening //p' "$out" | head -1)
  relay=$(free_port)
  socat "TCP-LISTEN:$relay,bind=127.0.0.1,fork,reuseaddr,backlog=1024" "${target//\{port\}/$port}" & rpid=$!; pids+=("$rpid")
  for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$relay") 2>/dev/null && break; sleep 0.1; done
  printf '%s ' "$name"
  "$bench/bin/echoload" idle --port "$relay" --conns "$conns" --duration 5 --server-pid "$spid" --json
  kill "$rpid" "$spid" 2>/dev/null || true; wait "$rpid" "$spid" 2>/dev/null || true
}

measure tcp  "tcp:0:interface=127.0.0.1" "TCP:127.0.0.1:{port}"
measure unix "unix:$tmp/echo.sock"       "UNIX-CONNECT:$tmp/echo.sock"
measure tls  "tls:0:interface=127.0.0.1:certificate=$tmp/cert.pem:privateKey=$tmp/key.pem" "OPENSSL:127.0.0.1:{port},verify=0"
