#!/usr/bin/env bash
# Installs what the sample workers and the end-to-end tests need when it is
# missing. From Debian's packages, through sudo unless run as root: php-fpm 8.2
# for PHP workers, Node.js with npm to install the pinned Bun, python3 for the
# exec worker tests, procps and curl. Then it installs Bun itself.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v ps >/dev/null || missing+=(procps)
command -v curl >/dev/null || missing+=(curl)
[[ -x /usr/sbin/php-fpm8.2 ]] || missing+=(php8.2-fpm php8.2-cli)
command -v npm >/dev/null || missing+=(nodejs npm)
command -v python3 >/dev/null || missing+=(python3)
if ((${#missing[@]} > 0)); then
    sudo_cmd=()
    if [[ "$(id -u)" != 0 ]]; then
        sudo_cmd=(sudo)
    fi
    echo "install-deps: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    "${sudo_cmd[@]}" apt-get update
    "${sudo_cmd[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
fi
scripts/install-bun.sh
