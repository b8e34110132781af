#!/usr/bin/env bash
# Benchmarks Bun workers on the sample workers/api and writes the "Bun" section of
# docs/benchmarks.md:
#   - reload time: save a new text in src/index.ts, then time the first GET /api/ that
#     returns it (EDITS edits, p50 and p95);
#   - throughput of GET /api/bench with wrk, through the proxy and straight to the worker;
#   - time until bun exits after TQServer gets SIGKILL;
#   - peak RSS of bench/bun-memory.ts with and without BUN_JSC_forceRAMSize and --smol.
# Everything runs on loopback in a copy of the worker under /tmp. Needs the jar from
# scripts/build-dev.sh, the Bun from scripts/install-bun.sh, and wrk (installed with apt-get
# when missing).
#
# Settings (environment): PORT front port (default 20000, workers use PORT+1..PORT+400),
# EDITS (20), DURATION of each wrk run (10s), CONNECTIONS (32), THREADS (2).
set -euo pipefail
cd "$(dirname "$0")/.."
home=$PWD

port=${PORT:-20000}
edits=${EDITS:-20}
duration=${DURATION:-10s}
connections=${CONNECTIONS:-32}
threads=${THREADS:-2}
bun=${BUN:-$home/tools/bun/node_modules/.bin/bun}
jar=$home/server/target/tqserver.jar
classpath="$jar:$home/server/target/lib/*"

if [[ ! -f $jar ]]; then
    echo "bun.sh: $jar not found; run scripts/build-dev.sh" >&2
    exit 1
fi
if [[ ! -x $bun ]]; then
    echo "bun.sh: $bun not found; run scripts/install-bun.sh or set BUN" >&2
    exit 1
fi
if ! command -v wrk >/dev/null; then
    sudo_cmd=()
    [[ "$(id -u)" != 0 ]] && sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get install -y --no-install-recommends wrk
fi

work=$(mktemp -d /tmp/tqserver-bun-bench.XXXXXX)
daemon_pid=
cleanup() {
    if [[ -n $daemon_pid ]] && kill -0 "$daemon_pid" 2>/dev/null; then
        kill -TERM "$daemon_pid"
        wait "$daemon_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

# A copy of the api worker and the library it imports, with its own server.yaml.
mkdir -p "$work/config" "$work/workers" "$work/logs"
cp -r pkg-worker-ts "$work/"
cp -r workers/api "$work/workers/"
rm -rf "$work/workers/api/bin" "$work/workers/api/node_modules"
cat > "$work/config/server.yaml" <<YAML
server:
  port: $port
  log_file: $work/logs/server_{date}.log
workers:
  directory: $work/workers
  port_range_start: $((port + 1))
  port_range_end: $((port + 400))
YAML

start_daemon() {
    (cd "$work" && BUN=$bun exec java -jar "$jar" --mode dev --config config/server.yaml \
        >"$work/daemon.out" 2>&1) &
    daemon_pid=$!
    for _ in $(seq 1 600); do
        if curl -sf "http://127.0.0.1:$port/api/health" >/dev/null; then
            return 0
        fi
        sleep 0.1
    done
    echo "bun.sh: /api not ready after 60 s; daemon output:" >&2
    cat "$work/daemon.out" >&2
    exit 1
}

# Prints Requests/sec and the count of failed responses of one wrk run.
run_wrk() {
    local url=$1 output
    wrk -t2 -c"$connections" -d2s "$url" >/dev/null
    output=$(wrk -t"$threads" -c"$connections" -d"$duration" "$url")
    local rate errors
    rate=$(awk '/^Requests\/sec:/ {print $2}' <<<"$output")
    errors=$(awk '/Non-2xx or 3xx responses:/ {print $5}' <<<"$output")
    echo "$rate ${errors:-0}"
}

load=$(cut -d' ' -f1 /proc/loadavg)
start_daemon
echo "daemon pid=$daemon_pid port=$port load_average=$load"

# Reload through the dev-mode file watcher, when the daemon has one.
reload_mode="file watcher (edit saved, daemon running)"
if ! reload=$(java -cp "$classpath" bench/BunReloadBench.java "$work" "$edits" watch "$port" \
        2>"$work/reload.err" | tail -n 1) || [[ $reload != p50_ms=* ]]; then
    reload=
fi
echo "reload (watcher): ${reload:-not served: this daemon has no dev-mode file watcher}"

# Throughput, proxied and direct, to the instance that serves the route now.
worker_port=$(sed -n 's/.*worker ready worker=api pid=[0-9]* port=\([0-9]*\).*/\1/p' \
    "$work/daemon.out" | tail -n 1)
read -r proxied proxied_errors < <(run_wrk "http://127.0.0.1:$port/api/bench")
read -r direct direct_errors < <(run_wrk "http://127.0.0.1:$worker_port/bench")
ratio=$(awk -v p="$proxied" -v d="$direct" 'BEGIN {printf "%.2f", p / d}')
echo "throughput: proxied=$proxied req/s direct=$direct req/s ratio=$ratio"

# Exit of bun after SIGKILL of TQServer.
bun_pids=$(ps --ppid "$daemon_pid" -o pid=,comm= | awk '$2 ~ /bun/ {print $1}' || true)
if [[ -z $bun_pids ]]; then
    echo "bun.sh: no bun child of the daemon found; daemon output:" >&2
    cat "$work/daemon.out" >&2
    exit 1
fi
kill -KILL "$daemon_pid"
wait "$daemon_pid" 2>/dev/null || true
daemon_pid=
killed=$(date +%s%N)
orphan_ms=
for _ in $(seq 1 1000); do
    alive=0
    for pid in $bun_pids; do
        state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || true)
        if [[ -n $state && $state != Z ]]; then
            alive=1
        fi
    done
    if [[ $alive == 0 ]]; then
        orphan_ms=$(( ($(date +%s%N) - killed) / 1000000 ))
        break
    fi
    sleep 0.01
done
echo "bun exit after TQServer SIGKILL: ${orphan_ms:-still running after 10 s} ms"

# Reload through Supervisor.swap in one JVM, which leaves out change detection.
swap_reload=$(java -cp "$classpath" bench/BunReloadBench.java "$work" "$edits" swap \
    2>"$work/swap.err" | tail -n 1)
echo "reload (swap): $swap_reload"

# Peak RSS of the allocation script.
memory() {
    env "$@" "$bun" bench/bun-memory.ts | awk '{print $1}'
}
mem_default=$(memory X=1 | tail -n 1)
mem_forced=$(memory BUN_JSC_forceRAMSize=134217728)
mem_smol=$(env "$bun" --smol bench/bun-memory.ts | awk '{print $1}')
mem_smol_forced=$(BUN_JSC_forceRAMSize=134217728 "$bun" --smol bench/bun-memory.ts \
    | awk '{print $1}')
echo "peak RSS MiB: default=$mem_default forceRAMSize=128MiB:$mem_forced smol=$mem_smol" \
    "smol+forceRAMSize:$mem_smol_forced"

cpu=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
section=$(cat <<MD
## Bun

Measured by \`bench/bun.sh\` on $(date -u +%Y-%m-%d), $(nproc) cores ($cpu), Bun
$("$bun" --version), $(java -version 2>&1 | head -n 1). Sample worker \`workers/api\`,
daemon in dev mode; wrk, the daemon and the worker share the machine, whose 1-minute load
average was $load at the start (other builds and daemons ran beside the benchmark).

| measure | result |
|---|---|
| reload, file watcher: save → first response with the new text ($edits edits) | ${reload:-not measured: this build has no dev-mode file watcher} |
| reload, \`Supervisor.swap\` right after the save ($edits edits) | $swap_reload |
| \`GET /api/bench\` through the proxy (wrk -t$threads -c$connections -d$duration) | $proxied req/s, $proxied_errors failed |
| \`GET /bench\` straight to the worker | $direct req/s, $direct_errors failed |
| proxied / direct | $ratio |
| bun exits after SIGKILL of TQServer | ${orphan_ms:-not within 10 s} ms |
| peak RSS of \`bench/bun-memory.ts\`, MiB: default / \`BUN_JSC_forceRAMSize\` 128 MiB | $mem_default / $mem_forced |
| the same with \`--smol\` | $mem_smol / $mem_smol_forced |

The swap reload leaves out change detection and the watcher's debounce
(\`file_watcher.debounce_ms\`). It is the build, the start, the first health check and the
route change, and it includes \`workers.startup_delay_ms\` (default 100 ms), the least time an
instance runs before it gets traffic; Bun itself answers \`/health\` sooner.
MD
)
python3 - "$section" <<'PY'
import pathlib, re, sys
path = pathlib.Path("docs/benchmarks.md")
text = path.read_text() if path.exists() else "# Benchmarks\n"
section = sys.argv[1].rstrip() + "\n"
pattern = re.compile(r"^## Bun\n.*?(?=^## |\Z)", re.S | re.M)
if pattern.search(text):
    text = pattern.sub(lambda _: section + "\n", text).rstrip() + "\n"
else:
    text = text.rstrip() + "\n\n" + section
path.write_text(text)
PY
echo "wrote the Bun section of docs/benchmarks.md"
