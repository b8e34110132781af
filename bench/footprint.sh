#!/usr/bin/env bash
# Measures the footprint of TQServer: cold start until every sample worker is healthy, and the
# proxy JVM's resident memory and heap when idle, under load, and holding 1,000 idle
# keep-alive connections; nginx in front of the same worker is measured alongside. Writes the
# "Proxy footprint" section of docs/benchmarks.md.
#
# Usage: bench/footprint.sh [--doc FILE | --no-doc]
# Environment: BENCH_NO_BUILD=1 skips the Maven build when the jar exists; BENCH_KEEP=1 keeps
# the temporary folder.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

doc=$BENCH_REPO/docs/benchmarks.md
write_doc=1
while (($# > 0)); do
    case $1 in
        --doc) doc=$2; shift ;;
        --no-doc) write_doc=0 ;;
        -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown option: $1 (see --help)" ;;
    esac
    shift
done

IDLE_CONNECTIONS=1000

ensure_tools
make_bench_dir
build_tqserver
if [[ -x "$BENCH_REPO/scripts/install-bun.sh" ]]; then
    "$BENCH_REPO/scripts/install-bun.sh" >"$BENCH_DIR/bun-install.log" 2>&1 \
        || say "warning: Bun not installed, bun workers will not become healthy"
fi
load_before=$(uptime)

# Prints "used committed" heap in MiB of JVM $1, from jstat.
heap_mib() {
    jstat -gc "$1" | awk 'NR == 2 {
        printf "%.1f %.1f", ($3 + $4 + $6 + $8) / 1024, ($1 + $2 + $5 + $7) / 1024 }'
}

# Prints a table row: what, TQServer RSS, heap used, heap committed, nginx RSS.
sample_row() {
    local what=$1 heap
    heap=$(heap_mib "$TQ_PID")
    printf '| %s | %.1f | %s | %s | %.1f |\n' "$what" \
        "$(awk -v k="$(rss_kib "$TQ_PID" self)" 'BEGIN { print k / 1024 }')" \
        "${heap% *}" "${heap#* }" \
        "$(awk -v k="$(rss_kib "$NGINX_PID")" 'BEGIN { print k / 1024 }')"
}

# Opens $1 keep-alive connections to port $2 and sends one request on each. The file
# descriptors stay open in this shell until close_connections.
OPEN_FDS=()
open_connections() {
    local count=$1 port=$2 fd
    for ((i = 0; i < count; i++)); do
        exec {fd}<>"/dev/tcp/127.0.0.1/$port"
        printf 'GET /bench HTTP/1.1\r\nHost: bench\r\n\r\n' >&"$fd"
        OPEN_FDS+=("$fd")
    done
}

close_connections() {
    local fd
    for fd in "${OPEN_FDS[@]}"; do
        exec {fd}>&-
    done
    OPEN_FDS=()
}

established_to() {
    ss -Htn state established "dport = :$1" | wc -l
}

workers=()
for folder in "$BENCH_REPO"/workers/*/; do
    workers+=("$(basename "$folder")")
done
start_tqserver "${workers[@]}"
started_line=$(wait_for_workers)
cold_start_ms=$((($(date +%s%N) - TQ_STARTED_NANOS) / 1000000))
ready_lines=$(grep -E "worker ready worker=" "$TQ_LOG" | sed -E 's/.*worker ready //')
WORKER_PORT=$(worker_port index)
start_nginx "$WORKER_PORT"
sleep 5

rows=$BENCH_DIR/rows.md
sample_row "idle, after start" >"$rows"

wrk -t2 -c64 -d12s "http://127.0.0.1:$TQ_PORT/bench" >/dev/null &
wrk_tq=$!
wrk -t2 -c64 -d12s "http://127.0.0.1:$NGINX_PORT/bench" >/dev/null &
wrk_nginx=$!
sleep 10
sample_row "load: tiny body, 64 keep-alive connections each" >>"$rows"
wait "$wrk_tq" "$wrk_nginx" || true

wrk -t2 -c64 -d12s "http://127.0.0.1:$TQ_PORT/bench/1m" >/dev/null &
wrk_tq=$!
wrk -t2 -c64 -d12s "http://127.0.0.1:$NGINX_PORT/bench/1m" >/dev/null &
wrk_nginx=$!
sleep 10
sample_row "load: 1 MiB body, 64 keep-alive connections each" >>"$rows"
wait "$wrk_tq" "$wrk_nginx" || true
sleep 3

open_connections "$IDLE_CONNECTIONS" "$TQ_PORT"
open_connections "$IDLE_CONNECTIONS" "$NGINX_PORT"
sleep 3
tq_open=$(established_to "$TQ_PORT")
nginx_open=$(established_to "$NGINX_PORT")
sample_row "$IDLE_CONNECTIONS idle keep-alive connections each" >>"$rows"
close_connections
sleep 3
sample_row "idle again, connections closed" >>"$rows"
worker_rss=$(awk -v k="$(rss_kib "$(grep -E 'worker ready worker=index ' "$TQ_LOG" | tail -1 \
    | sed -E 's/.* pid=([0-9]+).*/\1/')" self)" 'BEGIN { printf "%.1f", k / 1024 }')
load_after=$(uptime)

section=$BENCH_DIR/section.md
{
    echo "## Proxy footprint"
    echo
    echo "Measured by \`bench/footprint.sh\` on $(date -u +%Y-%m-%d), on the machine described"
    echo "under Proxy throughput. TQServer runs \`server/bin/tqserver --mode prod\` with the"
    echo "launcher's default JVM options and every sample worker under \`workers/\`"
    echo "(${workers[*]}), one instance each; nginx proxies to the same \`index\` instance."
    echo
    echo "- Load before: \`${load_before# }\`"
    echo "- Load after: \`${load_after# }\`"
    echo
    echo "Cold start, from launching \`tqserver\` to the supervisor reporting every worker"
    echo "started, with worker jars built beforehand as \`scripts/build-prod.sh\` does:"
    echo "**${cold_start_ms} ms** (\`${started_line##* INFO  }\`). Each worker's time from its"
    echo "process start to a healthy \`/health\`:"
    echo
    while read -r line; do
        [[ -n "$line" ]] && echo "- \`$line\`"
    done <<<"$ready_lines"
    echo
    echo "Memory in MiB: resident set of the TQServer JVM (without its workers), its heap used"
    echo "and committed (\`jstat -gc\`), and the resident set of nginx's master and workers."
    echo "Under load, wrk drives both proxies at once for 12 s and the sample is taken at 10 s."
    echo "Open connections seen by \`ss\` during the idle-connection sample: TQServer $tq_open,"
    echo "nginx $nginx_open. The index worker JVM's resident set at the end: $worker_rss MiB."
    echo
    echo "| state | TQServer RSS | heap used | heap committed | nginx RSS |"
    echo "|---|---:|---:|---:|---:|"
    cat "$rows"
    echo
    echo "Rerun: \`bench/footprint.sh\` (about 2 minutes)."
} >"$section"

cat "$section"
if ((write_doc == 1)); then
    replace_section "$doc" "## Proxy footprint" "$section"
    say "wrote the Proxy footprint section of $doc"
fi
