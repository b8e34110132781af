#!/usr/bin/env bash
# Builds what `tqserver --mode dev` needs: the daemon, its launcher's jar,
# pkg-worker, and the runtimes of the sample workers (php-fpm and the pinned
# Bun, installed by install-deps.sh when missing). Workers themselves are
# built by TQServer when it starts.
set -euo pipefail
cd "$(dirname "$0")/.."

# Java workers run without php-fpm and Bun, so a failed install only warns.
scripts/install-deps.sh \
    || echo "warning: php-fpm or Bun not installed; type: php or bun workers will not start" >&2
mvn -B package -DskipTests
echo "built: server/target/tqserver.jar; run: server/bin/tqserver --mode dev"
