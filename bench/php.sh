#!/usr/bin/env bash
# Benchmarks PHP workers: TQServer's FastCGI path against nginx's fastcgi_pass to the same
# php-fpm pool, on the sample workers/blog bench.php (a 3-byte body), and writes the "PHP"
# section of docs/benchmarks.md.
#
# Both front servers listen on 127.0.0.1 only and keep connections alive on both sides. Runs
# alternate between the two servers, at 8 and 64 connections, and repeat; the section gives the
# median of each and the TQServer/nginx ratio. nginx and wrk are installed with apt-get when
# missing. Environment: DURATION (default 10s), ROUNDS (default 3), THREADS (default 2).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

duration=${DURATION:-10s}
rounds=${ROUNDS:-3}
threads=${THREADS:-2}
concurrencies=(8 64)

install_missing() {
    local missing=()
    command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || missing+=(nginx)
    command -v wrk >/dev/null || missing+=(wrk)
    if (( ${#missing[@]} )); then
        local sudo_cmd=()
        [[ "$(id -u)" != 0 ]] && sudo_cmd=(sudo)
        "${sudo_cmd[@]}" apt-get update
        DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y \
            --no-install-recommends "${missing[@]}"
    fi
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

install_missing
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
if [[ ! -f server/target/tqserver.jar ]]; then
    mvn -B -q -pl server -am package -DskipTests
fi

work=$(mktemp -d /tmp/tqserver-php-bench.XXXXXX)
chmod 755 "$work"
tq_pid=""
cleanup() {
    if [[ -f "$work/nginx.pid" ]]; then
        kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
    fi
    if [[ -n "$tq_pid" ]]; then
        kill "$tq_pid" 2>/dev/null || true
        wait "$tq_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

# The daemon and its php-fpm pool. Pooled FastCGI connections close after 1 s idle, and so do
# nginx's, so that one server's idle connections do not hold the children the other needs.
tq_port=$(free_port)
range_start=$(( (tq_port % 20000) + 30000 ))
mkdir -p "$work/config" "$work/workers"
cp -r workers/blog "$work/workers/"
cat >"$work/workers/blog/config/worker.yaml" <<YAML
path: /blog
type: php
php:
  pool:
    manager: static
    max_workers: 8
    min_workers: 8
    start_workers: 8
YAML
cat >"$work/config/server.yaml" <<YAML
server:
  port: $tq_port
  idle_timeout_seconds: 1
  log_file: ~
workers:
  port_range_start: $range_start
  port_range_end: $(( range_start + 20 ))
YAML
(cd "$work" && exec "$root/server/bin/tqserver" --mode prod >tqserver.out 2>&1) &
tq_pid=$!
for _ in $(seq 1 300); do
    grep -q "tqserver ready" "$work/tqserver.out" 2>/dev/null && break
    sleep 0.1
done
fpm_port=$(grep -o "worker started worker=blog pid=[0-9]* port=[0-9]*" "$work/tqserver.out" \
    | head -n 1 | sed 's/.*port=//' || true)
if [[ -z "$fpm_port" ]]; then
    echo "tqserver did not start; its output:" >&2
    cat "$work/tqserver.out" >&2
    exit 1
fi

nginx_port=$(free_port)
docroot="$work/workers/blog/public"
user_line=""
[[ "$(id -u)" == 0 ]] && user_line="user root root;"
cat >"$work/nginx.conf" <<NGINX
$user_line
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    upstream php_fpm {
        server 127.0.0.1:$fpm_port;
        keepalive 8;
        keepalive_timeout 1s;
    }
    server {
        listen 127.0.0.1:$nginx_port;
        keepalive_requests 100000;
        location /blog/ {
            include /etc/nginx/fastcgi_params;
            fastcgi_param SCRIPT_FILENAME $docroot/bench.php;
            fastcgi_param SCRIPT_NAME /blog/bench.php;
            fastcgi_keep_conn on;
            fastcgi_pass php_fpm;
        }
    }
}
NGINX
"$nginx_bin" -c "$work/nginx.conf" -p "$work"

for url in "http://127.0.0.1:$tq_port/blog/bench.php" "http://127.0.0.1:$nginx_port/blog/bench.php"; do
    body=$(curl -s "$url")
    if [[ "$body" != "ok" ]]; then
        echo "unexpected response from $url: $body" >&2
        exit 1
    fi
done

# Prints requests per second, then the count of failed requests (errors and non-2xx).
measure() {
    local url=$1 connections=$2 out
    out=$(wrk -t"$threads" -c"$connections" -d"$duration" "$url")
    local rate errors non2xx
    rate=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    errors=$(awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10}' <<<"$out")
    non2xx=$(awk '/Non-2xx/ {print $5}' <<<"$out")
    echo "$rate $(( ${errors:-0} + ${non2xx:-0} ))"
}

declare -A rates failures
for round in $(seq 1 "$rounds"); do
    for connections in "${concurrencies[@]}"; do
        for server in tqserver nginx; do
            port=$tq_port
            [[ $server == nginx ]] && port=$nginx_port
            read -r rate failed < <(measure "http://127.0.0.1:$port/blog/bench.php" "$connections")
            rates[$server-$connections]+="$rate "
            failures[$server-$connections]=$(( ${failures[$server-$connections]:-0} + failed ))
            echo "round $round $server c=$connections: $rate req/s, $failed failed"
            # Lets idle FastCGI connections of this server close before the other runs.
            sleep 2
        done
    done
done

median() {
    tr ' ' '\n' <<<"$1" | sed '/^$/d' | sort -g | awk '{v[NR]=$1} END {
        if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

spread() {
    tr ' ' '\n' <<<"$1" | sed '/^$/d' | sort -g | awk 'NR == 1 {low = $1} {high = $1}
        END {print low "–" high}'
}

rows=""
for connections in "${concurrencies[@]}"; do
    tq=$(median "${rates[tqserver-$connections]}")
    ng=$(median "${rates[nginx-$connections]}")
    ratio=$(awk -v a="$tq" -v b="$ng" 'BEGIN {printf "%.2f", a / b}')
    rows+="| $connections | $tq ($(spread "${rates[tqserver-$connections]}")) |"
    rows+=" $ng ($(spread "${rates[nginx-$connections]}")) | $ratio |"
    rows+=" ${failures[tqserver-$connections]} / ${failures[nginx-$connections]} |"$'\n'
done

cpu=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
load=$(cut -d' ' -f1-3 /proc/loadavg)
section=$(cat <<MD
## PHP

Measured by \`bench/php.sh\` on $(date -u +%Y-%m-%d), $(nproc) cores ($cpu),
$("$nginx_bin" -v 2>&1), $(/usr/sbin/php-fpm* -v 2>/dev/null | head -n 1 | cut -d' ' -f1-2),
$(java -version 2>&1 | head -n 1), load average before the runs: $load. One php-fpm pool
(\`pm = static\`, 8 children) serves \`workers/blog/public/bench.php\` (3-byte body) to both
front servers: TQServer in prod mode and nginx \`fastcgi_pass\` with \`fastcgi_keep_conn on\`,
both on 127.0.0.1 with keep-alive on each side. wrk -t$threads -d$duration, runs alternated,
median of $rounds rounds with the lowest and highest in brackets; wrk, both servers and php-fpm
share the machine. Failed counts wrk's socket errors and non-2xx responses over all rounds.

| connections | TQServer req/s | nginx req/s | TQServer / nginx | failed (TQServer / nginx) |
|---|---|---|---|---|
$rows
MD
)
python3 - "$section" <<'PY'
import pathlib, re, sys
path = pathlib.Path("docs/benchmarks.md")
text = path.read_text() if path.exists() else "# Benchmarks\n"
section = sys.argv[1].rstrip() + "\n"
pattern = re.compile(r"^## PHP\n.*?(?=^## |\Z)", re.S | re.M)
if pattern.search(text):
    text = pattern.sub(lambda _: section + "\n", text).rstrip() + "\n"
else:
    text = text.rstrip() + "\n\n" + section
path.write_text(text)
PY
echo "wrote the PHP section of docs/benchmarks.md"
