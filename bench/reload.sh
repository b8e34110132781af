#!/usr/bin/env bash
# Measures development-mode reload latency: edits the index worker 20 times and
# times each edit from the file write to the first response that shows the new
# text, polling every 5 ms. Runs the 20 edits once idle and once under wrk load,
# counting failed requests, then writes the figures to the "Reload" section of
# docs/benchmarks.md. Needs python3 and wrk; build first with scripts/build-dev.sh.
#
# Usage: bench/reload.sh [edits]   (front port from TQ_BENCH_PORT, default 19500)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
edits=${1:-20}
port=${TQ_BENCH_PORT:-19500}
jar="$repo/server/target/tqserver.jar"
[[ -f "$jar" ]] || { echo "reload.sh: $jar not found; run scripts/build-dev.sh" >&2; exit 1; }
command -v wrk >/dev/null || { echo "reload.sh: wrk not found (apt-get install wrk)" >&2; exit 1; }

work=$(mktemp -d /tmp/tqserver-reload.XXXXXX)
daemon_pid=
cleanup() {
    if [[ -n "$daemon_pid" ]]; then
        kill "$daemon_pid" 2>/dev/null || true
        wait "$daemon_pid" 2>/dev/null || true
    fi
    if [[ "${keep:-}" == 1 ]]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

mkdir -p "$work/config" "$work/workers"
cp -r "$repo/workers/index" "$work/workers/"
rm -rf "$work/workers/index/bin"
cat > "$work/config/server.yaml" <<YAML
server:
  port: $port
  log_file: ~
workers:
  port_range_start: $((port + 1))
  port_range_end: $((port + 400))
YAML
page="$work/workers/index/src/index/HomePage.java"

(cd "$work" && exec java -jar "$jar" --mode dev > "$work/daemon.log" 2>&1) &
daemon_pid=$!
for _ in $(seq 1 600); do
    grep -q "tqserver ready" "$work/daemon.log" && break
    sleep 0.1
done
grep -q "tqserver ready" "$work/daemon.log" || { cat "$work/daemon.log"; exit 1; }

# Edits the heading to "Hello from TQServer <marker>" by writing a copy and
# renaming it over the source, as editors do, and prints the milliseconds until
# GET / returns the new text. Polls from one python3 process over a kept-alive
# connection, so that polling itself costs little CPU.
edit_and_time() {
    local marker=$1
    # The copy is written outside workers/, so that only the rename is a change.
    sed "s/Hello from TQServer[^<]*/Hello from TQServer $marker/" "$page" > "$work/page.tmp"
    python3 - "$port" "TQServer $marker<" "$work/page.tmp" "$page" <<'PY'
import http.client, os, sys, time
port, expected, source, target = int(sys.argv[1]), sys.argv[2].encode(), sys.argv[3], sys.argv[4]
connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
start = time.monotonic()
os.rename(source, target)
deadline = start + 30
while time.monotonic() < deadline:
    try:
        connection.request("GET", "/")
        if expected in connection.getresponse().read():
            print(round((time.monotonic() - start) * 1000))
            sys.exit(0)
    except (OSError, http.client.HTTPException):
        connection.close()
    time.sleep(0.005)
sys.exit("reload.sh: edit not served within 30 s")
PY
}

# Prints "p50 p95 max" of the numbers in file $1.
percentiles() {
    sort -n "$1" | awk '{ v[NR] = $1 } END {
        p50 = v[int((NR - 1) * 0.50) + 1]; p95 = v[int((NR - 1) * 0.95) + 1];
        printf "%d %d %d\n", p50, p95, v[NR] }'
}

run_edits() {
    local label=$1 out=$2
    : > "$out"
    for i in $(seq 1 "$edits"); do
        edit_and_time "$label$i" >> "$out"
        sleep 0.3
    done
}

run_edits idle "$work/idle.ms"
read -r idle_p50 idle_p95 idle_max < <(percentiles "$work/idle.ms")
echo "idle:     p50=${idle_p50} ms p95=${idle_p95} ms max=${idle_max} ms"

wrk -t1 -c8 -d600s --timeout 5s "http://127.0.0.1:$port/bench" > "$work/wrk.out" 2>&1 &
wrk_pid=$!
sleep 1
run_edits load "$work/load.ms"
kill -INT "$wrk_pid"
wait "$wrk_pid" || true
read -r load_p50 load_p95 load_max < <(percentiles "$work/load.ms")
requests=$(awk '/requests in/ { print $1 }' "$work/wrk.out")
non2xx=$(awk '/Non-2xx/ { print $NF }' "$work/wrk.out")
socket_errors=$(awk -F'[ ,]+' '/Socket errors/ {
    s = 0; for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+$/) s += $i; print s }' "$work/wrk.out")
errors=$(( ${non2xx:-0} + ${socket_errors:-0} ))
echo "wrk load: p50=${load_p50} ms p95=${load_p95} ms max=${load_max} ms" \
    "requests=${requests:-0} errors=${errors}"

# Where each swap's time went, from the supervisor's log lines.
breakdown=$(grep -o 'build_ms=[0-9]* start_ms=[0-9]* ready_wait_ms=[0-9]*' "$work/daemon.log" \
    | awk -F'[= ]' '{ b += $2; s += $4; w += $6; n++ } END {
        if (n) printf "mean over %d swaps: build %d ms, start %d ms, ready wait %d ms", n, b/n, s/n, w/n }')
standby_swaps=$(grep -c 'worker swapped .* standby=true' "$work/daemon.log" || true)
breakdown="$breakdown, $standby_swaps of them on a standby JVM"
echo "$breakdown"

java_version=$(java -version 2>&1 | head -1)
section=$(cat <<MD
## Reload

\`bench/reload.sh\` edits \`workers/index/src/index/HomePage.java\` $edits times (write a copy,
rename it over the file) and times each edit from the rename to the first \`GET /\` that shows
the new text, polling every 5 ms. The second run repeats it while \`wrk -t1 -c8\` loads
\`/bench\`. Measured $(date -u +%Y-%m-%d) on $(nproc) cores, $java_version, debounce 50 ms.

| run | p50 | p95 | max | wrk requests | failed requests |
|---|---|---|---|---|---|
| idle | ${idle_p50} ms | ${idle_p95} ms | ${idle_max} ms | — | — |
| under wrk load | ${load_p50} ms | ${load_p95} ms | ${load_max} ms | ${requests:-0} | ${errors} |

Swap breakdown from the supervisor log, ${breakdown#mean over }.
MD
)

doc="$repo/docs/benchmarks.md"
[[ -f "$doc" ]] || printf '# Benchmarks\n' > "$doc"
# Replace the "## Reload" section (up to the next "## " heading) or append it.
SECTION="$section" awk '
    BEGIN { section = ENVIRON["SECTION"]; done = 0; skipping = 0 }
    /^## / {
        if (skipping) { skipping = 0 }
        if ($0 == "## Reload") { print section; print ""; done = 1; skipping = 1; next }
    }
    !skipping { print }
    END { if (!done) { print ""; print section } }
' "$doc" > "$doc.new"
mv "$doc.new" "$doc"
echo "results written to docs/benchmarks.md"
