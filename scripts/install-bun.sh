#!/usr/bin/env bash
# Installs the Bun runtime pinned in tools/bun/package-lock.json into
# tools/bun/node_modules/.bin/bun, where TQServer looks for it when neither
# bun.binary in a worker.yaml nor the BUN environment variable names another.
# Skips the download when that version is already installed.
set -euo pipefail
cd "$(dirname "$0")/../tools/bun"

wanted=$(node -p 'require("./package-lock.json").packages["node_modules/bun"].version' \
    2>/dev/null || true)
if [[ -x node_modules/.bin/bun && -n "$wanted" \
        && "$(node_modules/.bin/bun --version 2>/dev/null)" == "$wanted" ]]; then
    echo "bun $wanted already installed: tools/bun/node_modules/.bin/bun"
    exit 0
fi
if ! command -v npm >/dev/null; then
    echo "install-bun: npm not found; install Node.js and npm, or point BUN at a bun" \
        "executable, to run type: bun workers" >&2
    exit 1
fi
npm ci --no-audit --no-fund
echo "bun $(node_modules/.bin/bun --version) installed: tools/bun/node_modules/.bin/bun"
