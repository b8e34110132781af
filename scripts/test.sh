#!/usr/bin/env bash
# Runs every test: unit tests (Surefire) and end-to-end tests (Failsafe) that
# start real tqserver, php-fpm, Bun and Python worker processes on loopback.
# First installs what those tests need when it is missing (install-deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
mvn -B verify
