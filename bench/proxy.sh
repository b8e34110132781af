#!/usr/bin/env bash
# Measures requests per second and latency of the sample index worker three ways in one run:
# direct to the worker, through TQServer, and through nginx proxying to the same worker
# instance with an upstream keep-alive pool. Runs alternate between the three, each case is
# repeated, and the medians go into the "Proxy throughput" section of docs/benchmarks.md.
#
# Usage: bench/proxy.sh [--quick] [--runs N] [--duration SECONDS] [--doc FILE | --no-doc]
#   --quick         1 s per run instead of 3 s (about 4 minutes in all instead of 10)
#   --runs N        runs per case and contender (default 3); the median is reported
#   --duration S    seconds per wrk run
#   --doc FILE      Markdown file to write the section into (default docs/benchmarks.md)
#   --no-doc        print the section only
#   --only CASES    measure a subset, such as "tiny keep-alive 64": words among tiny, large,
#                   keep-alive, close and concurrency levels; implies --no-doc
# Environment: BENCH_ACCESS_LOG=1 turns the access log of TQServer and nginx on (both off by
# default, so only relaying is measured); BENCH_NO_BUILD=1 skips the Maven build when the jar
# exists; BENCH_KEEP=1 keeps the temporary folder with logs and raw wrk output.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

runs=3
duration=3
doc=$BENCH_REPO/docs/benchmarks.md
write_doc=1
quick=0
only=""
while (($# > 0)); do
    case $1 in
        --quick) quick=1; duration=1 ;;
        --runs) runs=$2; shift ;;
        --duration) duration=$2; shift ;;
        --doc) doc=$2; shift ;;
        --no-doc) write_doc=0 ;;
        --only) only=$2; write_doc=0; shift ;;
        -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown option: $1 (see --help)" ;;
    esac
    shift
done
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || die "--runs: $runs (expected: a whole number of 1 or more)"
[[ "$duration" =~ ^[1-9][0-9]*$ ]] || die "--duration: $duration (expected: whole seconds)"

CONCURRENCY=(1 8 64 256)
BODIES=(tiny large)
CONNECTIONS=(keep-alive close)
CONTENDERS=(direct tqserver nginx)
if [[ -n "$only" ]]; then
    keep() {
        local -n list=$1
        local kept=() item
        for item in "${list[@]}"; do
            if [[ " $only " == *" $item "* ]]; then
                kept+=("$item")
            fi
        done
        if ((${#kept[@]} > 0)); then
            list=("${kept[@]}")
        fi
    }
    keep CONCURRENCY
    keep BODIES
    keep CONNECTIONS
fi

ensure_tools
make_bench_dir
build_tqserver
load_before=$(uptime)
start_tqserver index
wait_for_workers >/dev/null
WORKER_PORT=$(worker_port index)
[[ -n "$WORKER_PORT" ]] || die "worker port of index not found in $TQ_LOG"
WORKER_PID=$(grep -E "worker (ready|swapped) worker=index " "$TQ_LOG" | tail -1 \
    | sed -E 's/.* pid=([0-9]+).*/\1/')
CLOCK_TICKS=$(getconf CLK_TCK)
start_nginx "$WORKER_PORT"
say "worker 127.0.0.1:$WORKER_PORT, tqserver :$TQ_PORT (pid $TQ_PID), nginx :$NGINX_PORT"

url_of() {
    local contender=$1 body=$2 port path
    case $contender in
        direct) port=$WORKER_PORT ;;
        tqserver) port=$TQ_PORT ;;
        nginx) port=$NGINX_PORT ;;
    esac
    path=/bench
    if [[ $body == large ]]; then
        path=/bench/1m
    fi
    echo "http://127.0.0.1:$port$path"
}

# Prints the CPU ticks used so far by the process that relays for $1.
proxy_ticks() {
    case $1 in
        direct) echo 0 ;;
        tqserver) cpu_ticks "$TQ_PID" ;;
        nginx) cpu_ticks "$NGINX_PID" tree ;;
    esac
}

# Runs wrk once for contender $1 and prints: requests/s, p50 ms, p99 ms, errors, and the CPU
# time in microseconds per request of the proxy and of the worker.
measure() {
    local contender=$1 proxy_before worker_before proxy_after worker_after out=$6 line
    proxy_before=$(proxy_ticks "$contender")
    worker_before=$(cpu_ticks "$WORKER_PID")
    line=$(run_wrk "${@:2}")
    proxy_after=$(proxy_ticks "$contender")
    worker_after=$(cpu_ticks "$WORKER_PID")
    awk -v line="$line" -v p=$((proxy_after - proxy_before)) \
        -v w=$((worker_after - worker_before)) -v hz="$CLOCK_TICKS" '
        /requests in/ { requests = $1 }
        END {
            us = 1000000 / hz
            if (requests > 0) printf "%s\t%.1f\t%.1f\n", line, p * us / requests, w * us / requests
            else printf "%s\t0\t0\n", line
        }' "$out"
}

# Runs wrk once and prints: requests/s, p50 ms, p99 ms, errors.
run_wrk() {
    local url=$1 connections=$2 mode=$3 seconds=$4 out=$5 threads=2
    local header=()
    if ((connections < threads)); then
        threads=$connections
    fi
    if [[ $mode == close ]]; then
        header=(-H 'Connection: close')
    fi
    wrk -t "$threads" -c "$connections" -d "${seconds}s" --timeout 10s --latency \
        "${header[@]}" "$url" >"$out" 2>&1 || true
    awk '
        function ms(v) {
            if (v ~ /us$/) return v * 0.001
            if (v ~ /ms$/) return v + 0
            if (v ~ /m$/) return v * 60000
            if (v ~ /s$/) return v * 1000
            return v
        }
        /^ +50%/ { p50 = ms($2) }
        /^ +99%/ { p99 = ms($2) }
        /^Requests\/sec:/ { rps = $2 }
        /Socket errors:/ { gsub(/,/, ""); errors += $4 + $6 + $8 + $10 }
        /Non-2xx or 3xx responses:/ { errors += $5 }
        END { printf "%.0f\t%.3f\t%.3f\t%d\n", rps, p50, p99, errors }
    ' "$out"
}

# Waits until the worker responds to /health again. A run with many large responses leaves the
# worker writing to connections that wrk has closed, and the next run must not queue behind it.
settle() {
    for _ in $(seq 30); do
        if curl -s -o /dev/null -m 2 "http://127.0.0.1:$WORKER_PORT/health"; then
            return
        fi
    done
    say "warning: the worker did not answer /health within 60 s"
}

# Warms each contender up until its throughput is steady, since a JVM reaches its steady state
# only after its JIT compilers have finished. Each contender first gets one 3 s run of the
# large body and one with a new connection per request, so that every code path is compiled
# before it is measured. Then 3 s runs of the tiny body at concurrency 64 follow until two runs
# in a row are within 5 % of each other, at least 5 runs and at most 20.
warm_up() {
    local contender seconds=3 round rps previous stable
    say "warming up each contender until two 3 s runs in a row differ by 5 % or less"
    for contender in "${CONTENDERS[@]}"; do
        run_wrk "$(url_of "$contender" large)" 8 keep-alive "$seconds" /dev/null >/dev/null
        settle
        run_wrk "$(url_of "$contender" tiny)" 64 close "$seconds" /dev/null >/dev/null
        previous=0
        stable=0
        for ((round = 1; round <= 20; round++)); do
            rps=$(run_wrk "$(url_of "$contender" tiny)" 64 keep-alive "$seconds" \
                "$BENCH_DIR/warm.txt" | cut -f1)
            if ((round >= 5 && previous > 0)) \
                && ((rps * 100 >= previous * 95 && rps * 100 <= previous * 105)); then
                stable=1
                break
            fi
            previous=$rps
        done
        say "  $contender: $rps req/s after $((round < 20 ? round : 20)) runs$(
            ((stable == 1)) || echo ", not steady")"
    done
}

results=$BENCH_DIR/results.tsv
: >"$results"
mkdir -p "$BENCH_DIR/wrk"
warm_up
started=$(date +%s)
total=$((${#BODIES[@]} * ${#CONNECTIONS[@]} * ${#CONCURRENCY[@]} * runs * ${#CONTENDERS[@]}))
done_runs=0
for body in "${BODIES[@]}"; do
    for mode in "${CONNECTIONS[@]}"; do
        for connections in "${CONCURRENCY[@]}"; do
            for ((run = 1; run <= runs; run++)); do
                # Rotate the order every run, so no contender always goes first after a pause.
                for ((i = 0; i < ${#CONTENDERS[@]}; i++)); do
                    contender=${CONTENDERS[$(((i + run - 1) % ${#CONTENDERS[@]}))]}
                    name="$body-$mode-c$connections-$contender-$run"
                    line=$(measure "$contender" "$(url_of "$contender" "$body")" \
                        "$connections" "$mode" "$duration" "$BENCH_DIR/wrk/$name.txt")
                    settle
                    printf '%s\t%s\t%s\t%s\t%s\n' "$body" "$mode" "$connections" "$contender" \
                        "$line" >>"$results"
                    done_runs=$((done_runs + 1))
                done
            done
            say "$done_runs/$total runs, $body $mode c=$connections done"
        done
    done
done
elapsed=$(($(date +%s) - started))
load_after=$(uptime)

# Prints the median of column $5 (rps), $6 (p50), $7 (p99), $9 (proxy CPU µs per request),
# $10 (worker CPU µs per request), or the sum of column $8 (errors).
median_of() {
    local body=$1 mode=$2 connections=$3 contender=$4 column=$5
    awk -F'\t' -v b="$body" -v m="$mode" -v c="$connections" -v k="$contender" -v col="$column" '
        $1 == b && $2 == m && $3 == c && $4 == k { print $col }
    ' "$results" | sort -g | awk -v col="$column" '
        { v[NR] = $1; sum += $1 }
        END {
            if (NR == 0) { print "n/a"; exit }
            if (col == 8) { print sum; exit }
            print v[int((NR + 1) / 2)]
        }'
}

ratio() {
    awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'
}

section=$BENCH_DIR/section.md
{
    echo "## Proxy throughput"
    echo
    flags=""
    if ((quick == 1)); then
        flags=" --quick"
    fi
    echo "Measured by \`bench/proxy.sh$flags\` on $(date -u +%Y-%m-%d)."
    echo "One run measures three contenders against the same sample \`index\` worker instance"
    echo "(one JVM, \`pkg-worker\`): **direct** to the worker's port, through **TQServer**"
    echo "(\`server/bin/tqserver --mode prod\`, default JVM options of the launcher), and through"
    echo "**nginx** (\`worker_processes auto\`, \`proxy_pass\` to an upstream with \`keepalive 512\`,"
    echo "HTTP/1.1 upstream, the same \`X-Forwarded-*\` headers, \`proxy_max_temp_file_size 0\` so"
    access_logs="off in both"
    if [[ "${BENCH_ACCESS_LOG:-0}" == 1 ]]; then
        access_logs="on in both (nginx buffered, 64 KiB)"
    fi
    echo "large bodies are never spooled to disk). Access logs: $access_logs. wrk runs on the"
    echo "same machine over loopback with"
    echo "2 threads (1 at concurrency 1). Each case runs $runs times for ${duration} s per"
    echo "contender, alternating contenders and rotating their order every run, after a warm-up;"
    echo "the tables show the median run. Bodies: tiny is \`/bench\` (2 bytes), large is"
    echo "\`/bench/1m\` (1 MiB). \`close\` sends \`Connection: close\`, so every request opens a new"
    echo "connection; \`keep-alive\` reuses connections."
    echo
    echo "Machine:"
    echo
    machine_summary
    echo "- Load before: \`${load_before# }\`"
    echo "- Load after: \`${load_after# }\`"
    echo "- Measuring took ${elapsed} s"
    echo
    echo "wrk, client and both proxies share the machine's cores, so every contender also"
    echo "competes with wrk and the worker for CPU; figures from a loaded machine vary by run."
    echo
    echo "Throughput, requests per second (median of $runs):"
    echo
    echo "| body | connection | c | direct | TQServer | nginx | TQServer/nginx | TQServer/direct |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|"
    for body in "${BODIES[@]}"; do
        for mode in "${CONNECTIONS[@]}"; do
            for connections in "${CONCURRENCY[@]}"; do
                direct=$(median_of "$body" "$mode" "$connections" direct 5)
                tq=$(median_of "$body" "$mode" "$connections" tqserver 5)
                ngx=$(median_of "$body" "$mode" "$connections" nginx 5)
                echo "| $body | $mode | $connections | $direct | $tq | $ngx |" \
                    "$(ratio "$tq" "$ngx") | $(ratio "$tq" "$direct") |"
            done
        done
    done
    echo
    echo "Latency in ms, p50 / p99 (median of $runs), and failed requests (socket errors and"
    echo "non-2xx responses, summed over the runs):"
    echo
    echo "| body | connection | c | direct | TQServer | nginx | TQServer/nginx p99 | errors d/t/n |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|"
    for body in "${BODIES[@]}"; do
        for mode in "${CONNECTIONS[@]}"; do
            for connections in "${CONCURRENCY[@]}"; do
                cells=()
                errors=()
                for contender in "${CONTENDERS[@]}"; do
                    p50=$(median_of "$body" "$mode" "$connections" "$contender" 6)
                    p99=$(median_of "$body" "$mode" "$connections" "$contender" 7)
                    cells+=("$p50 / $p99")
                    errors+=("$(median_of "$body" "$mode" "$connections" "$contender" 8)")
                done
                tq99=$(median_of "$body" "$mode" "$connections" tqserver 7)
                ngx99=$(median_of "$body" "$mode" "$connections" nginx 7)
                echo "| $body | $mode | $connections | ${cells[0]} | ${cells[1]} | ${cells[2]} |" \
                    "$(ratio "$tq99" "$ngx99") | ${errors[0]}/${errors[1]}/${errors[2]} |"
            done
        done
    done
    echo
    echo "CPU time per request in µs (user plus system, from /proc, median of $runs): of the"
    echo "proxy process (TQServer's JVM without its workers; nginx's master and workers), and of"
    echo "the worker JVM in the same runs. This is the cost that decides throughput when all"
    echo "cores are busy, and it varies less with machine load than requests per second do."
    echo
    echo "| body | connection | c | TQServer | nginx | TQServer/nginx |" \
        "worker: direct | via TQServer | via nginx |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|---:|"
    for body in "${BODIES[@]}"; do
        for mode in "${CONNECTIONS[@]}"; do
            for connections in "${CONCURRENCY[@]}"; do
                tq=$(median_of "$body" "$mode" "$connections" tqserver 9)
                ngx=$(median_of "$body" "$mode" "$connections" nginx 9)
                echo "| $body | $mode | $connections | $tq | $ngx | $(ratio "$tq" "$ngx") |" \
                    "$(median_of "$body" "$mode" "$connections" direct 10) |" \
                    "$(median_of "$body" "$mode" "$connections" tqserver 10) |" \
                    "$(median_of "$body" "$mode" "$connections" nginx 10) |"
            done
        done
    done
    echo
    echo "Rerun: \`bench/proxy.sh\` (about 10 minutes) or \`bench/proxy.sh --quick\`;"
    echo "\`BENCH_KEEP=1\` keeps the raw wrk output."
} >"$section"

cat "$section"
if ((write_doc == 1)); then
    replace_section "$doc" "## Proxy throughput" "$section"
    say "wrote the Proxy throughput section of $doc"
fi
