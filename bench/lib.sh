# Functions shared by the benchmark scripts in this folder; source it, do not run it.
# Everything listens on 127.0.0.1 only and lives in one temporary folder, $BENCH_DIR.

BENCH_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_DIR=""
BENCH_PIDS=()

# Prints a line to stderr, prefixed with the script's name.
say() {
    echo "[$(basename "$0")] $*" >&2
}

die() {
    say "error: $*"
    exit 1
}

# Installs wrk and nginx from Debian's packages when they are missing.
ensure_tools() {
    local missing=()
    command -v wrk >/dev/null || missing+=(wrk)
    command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || missing+=(nginx-light)
    command -v java >/dev/null || die "java not found; install a JDK 17"
    command -v mvn >/dev/null || die "mvn not found; install Maven"
    command -v ss >/dev/null || missing+=(iproute2)
    command -v curl >/dev/null || missing+=(curl)
    if ((${#missing[@]} == 0)); then
        return
    fi
    say "installing ${missing[*]} with apt-get"
    local sudo=""
    if ((EUID != 0)); then
        sudo=sudo
    fi
    $sudo apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${missing[@]}" >/dev/null
}

nginx_bin() {
    command -v nginx || echo /usr/sbin/nginx
}

# Builds the server jar and pkg-worker unless BENCH_NO_BUILD=1.
build_tqserver() {
    if [[ "${BENCH_NO_BUILD:-0}" == 1 && -f "$BENCH_REPO/server/target/tqserver.jar" ]]; then
        return
    fi
    say "building tqserver (mvn package -DskipTests)"
    (cd "$BENCH_REPO" && mvn -B -q package -DskipTests) >"$BENCH_DIR/build.log" 2>&1 \
        || die "build failed, see $BENCH_DIR/build.log"
}

# Creates $BENCH_DIR and arranges for everything started by start_* to stop on exit.
make_bench_dir() {
    BENCH_DIR=$(mktemp -d "${TMPDIR:-/tmp}/tqserver-bench.XXXXXX")
    trap cleanup EXIT
    trap 'exit 130' INT TERM
}

cleanup() {
    local pid
    for pid in "${BENCH_PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${BENCH_PIDS[@]}"; do
        for _ in $(seq 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -9 "$pid" 2>/dev/null || true
    done
    if [[ "${BENCH_KEEP:-0}" == 1 ]]; then
        say "kept $BENCH_DIR"
    else
        rm -rf "$BENCH_DIR"
    fi
}

# Prints a port in 20000-31999 that nothing listens on and that is followed by `span` free
# ports, so a daemon can use it as its front port and the rest as its worker port range.
free_port_range() {
    local span=${1:-1} listening base candidate taken
    listening=$(ss -Htln | awk '{ n = split($4, a, ":"); print a[n] }' | sort -u)
    for _ in $(seq 200); do
        base=$((20000 + RANDOM % 12000))
        taken=0
        for ((candidate = base; candidate <= base + span; candidate++)); do
            if grep -qx "$candidate" <<<"$listening"; then
                taken=1
                break
            fi
        done
        if ((taken == 0)); then
            echo "$base"
            return
        fi
    done
    die "no free port range of $span ports found"
}

# Waits up to $2 seconds for a line matching the extended regex $3 in file $1; prints it.
wait_for_line() {
    local file=$1 seconds=$2 pattern=$3 line
    for _ in $(seq $((seconds * 10))); do
        line=$(grep -E -m1 "$pattern" "$file" 2>/dev/null || true)
        if [[ -n "$line" ]]; then
            echo "$line"
            return 0
        fi
        sleep 0.1
    done
    return 1
}

# Starts TQServer in $BENCH_DIR/tq with the workers named in $@ (folders under workers/),
# each limited to one instance. Sets TQ_PID, TQ_PORT and TQ_LOG; returns once it listens.
start_tqserver() {
    local home=$BENCH_DIR/tq worker
    mkdir -p "$home/config" "$home/workers" "$home/logs"
    for worker in "$@"; do
        cp -r "$BENCH_REPO/workers/$worker" "$home/workers/"
        sed -i 's/^\(\s*max_procs:\).*/\1 1/' "$home/workers/$worker/config/worker.yaml"
    done
    # Bun workers import the TypeScript runtime by a path relative to the repository root.
    if [[ -d "$BENCH_REPO/pkg-worker-ts" ]]; then
        ln -s "$BENCH_REPO/pkg-worker-ts" "$home/pkg-worker-ts"
    fi
    # Production mode runs prebuilt worker jars, as scripts/build-prod.sh makes them.
    (cd "$home" && java -cp "$BENCH_REPO/server/target/tqserver.jar" \
        io.tqserver.build.WorkerJarBuilder workers "$@") >"$home/worker-build.log" 2>&1 \
        || die "worker build failed, see $home/worker-build.log"
    TQ_PORT=$(free_port_range 60)
    cat >"$home/config/server.yaml" <<EOF
server:
  port: $TQ_PORT
  log_file: logs/server.log
  access_log: $( [[ "${BENCH_ACCESS_LOG:-0}" == 1 ]] && echo "logs/access.log" || echo "~")
workers:
  directory: workers
  port_range_start: $((TQ_PORT + 1))
  port_range_end: $((TQ_PORT + 60))
EOF
    TQ_LOG=$home/logs/server.log
    # TQServer looks for Bun under the working directory, which is the temporary folder here.
    if [[ -z "${BUN:-}" && -x "$BENCH_REPO/tools/bun/node_modules/.bin/bun" ]]; then
        export BUN=$BENCH_REPO/tools/bun/node_modules/.bin/bun
    fi
    (cd "$home" && exec setsid "$BENCH_REPO/server/bin/tqserver" --mode prod --quiet \
        </dev/null >"$home/console.log" 2>&1) &
    TQ_PID=$!
    BENCH_PIDS+=("$TQ_PID")
    TQ_STARTED_NANOS=$(date +%s%N)
    wait_for_line "$TQ_LOG" 60 "proxy listening port=" >/dev/null \
        || die "tqserver did not start; see $home/console.log"
}

# Waits until the supervisor has started every worker; prints its log line.
wait_for_workers() {
    wait_for_line "$TQ_LOG" 300 "supervisor started workers=" \
        || die "workers did not start within 300 s; see $TQ_LOG"
}

# Prints the port of the READY instance of worker $1, read from TQServer's log.
worker_port() {
    grep -E "worker (ready|swapped) worker=$1 " "$TQ_LOG" | tail -1 \
        | sed -E 's/.* port=([0-9]+).*/\1/'
}

# Starts nginx as the current user, proxying 127.0.0.1:$NGINX_PORT to 127.0.0.1:$1 through an
# upstream keep-alive pool. Sets NGINX_PID and NGINX_PORT.
start_nginx() {
    local upstream_port=$1 home=$BENCH_DIR/nginx
    mkdir -p "$home"
    NGINX_PORT=$(free_port_range 1)
    cat >"$home/nginx.conf" <<EOF
worker_processes auto;
daemon off;
pid $home/nginx.pid;
error_log $home/error.log warn;
$( ((EUID == 0)) && echo "user root;")
worker_rlimit_nofile 65536;
events {
    worker_connections 16384;
    multi_accept on;
}
http {
    $( [[ "${BENCH_ACCESS_LOG:-0}" == 1 ]] \
        && echo "access_log $home/access.log combined buffer=64k flush=1s;" \
        || echo "access_log off;")
    client_body_temp_path $home/client_body;
    proxy_temp_path $home/proxy;
    fastcgi_temp_path $home/fastcgi;
    uwsgi_temp_path $home/uwsgi;
    scgi_temp_path $home/scgi;
    keepalive_requests 1000000;
    upstream worker {
        server 127.0.0.1:$upstream_port;
        keepalive 512;
        keepalive_requests 1000000;
    }
    server {
        listen 127.0.0.1:$NGINX_PORT backlog=1024;
        location / {
            proxy_pass http://worker;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host \$host;
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto \$scheme;
            proxy_set_header X-Forwarded-Host \$host;
            proxy_max_temp_file_size 0;
        }
    }
}
EOF
    "$(nginx_bin)" -p "$home" -c "$home/nginx.conf" >"$home/console.log" 2>&1 &
    NGINX_PID=$!
    BENCH_PIDS+=("$NGINX_PID")
    for _ in $(seq 100); do
        if ss -Htln "sport = :$NGINX_PORT" | grep -q .; then
            return
        fi
        sleep 0.1
    done
    die "nginx did not start; see $home/console.log and $home/error.log"
}

# Prints the resident set size in KiB of process $1 and, unless $2 is self, its children.
rss_kib() {
    local pid=$1 scope=${2:-tree} total child
    total=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || echo 0)
    if [[ $scope == tree ]]; then
        for child in $(pgrep -P "$pid" 2>/dev/null); do
            total=$((total + $(rss_kib "$child")))
        done
    fi
    echo "${total:-0}"
}

# Prints the CPU time in clock ticks (user plus system) that process $1 and, with $2 = tree,
# its child processes have used so far.
cpu_ticks() {
    local pid=$1 scope=${2:-self} total child
    total=$(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0)
    if [[ $scope == tree ]]; then
        for child in $(pgrep -P "$pid" 2>/dev/null); do
            total=$((total + $(cpu_ticks "$child" tree)))
        done
    fi
    echo "$total"
}

# Prints the machine description used in the reports, one Markdown list item per line.
machine_summary() {
    local cpu
    cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
    echo "- CPU: $(nproc) cores online, ${cpu:-unknown model}"
    echo "- Memory: $(free -h | awk '/^Mem:/ { print $2 }')"
    echo "- Kernel: $(uname -sr)"
    echo "- Java: $(java -version 2>&1 | head -2 | tail -1)"
    echo "- wrk: $(wrk -v 2>&1 | head -1 | awk '{ print $1, $2 }')"
    echo "- nginx: $("$(nginx_bin)" -v 2>&1 | sed 's/.*: //')"
}

# Replaces the Markdown section that starts with heading $2 in file $1 by the contents of file
# $3, keeping every other section. Appends the section when the heading is missing.
replace_section() {
    local doc=$1 heading=$2 content=$3 tmp
    tmp=$(mktemp)
    if [[ ! -f "$doc" ]]; then
        printf '# Benchmarks\n\n' >"$doc"
    fi
    awk -v heading="$heading" -v content="$content" '
        function emit(   line) {
            while ((getline line < content) > 0) print line
            close(content)
            print ""
        }
        $0 == heading { skipping = 1; replaced = 1; emit(); next }
        skipping && /^## / { skipping = 0 }
        !skipping { print }
        END { if (!replaced) { print ""; emit() } }
    ' "$doc" | cat -s >"$tmp"
    mv "$tmp" "$doc"
}
