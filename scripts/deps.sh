#!/usr/bin/env bash
# deps.sh build|test — install the Debian packages Cairn needs, when missing.
# As root it runs apt-get; otherwise it prints the exact command and fails.
set -euo pipefail
mode=${1:-build}
build_pkgs="pkg-config libmicrohttpd-dev libjansson-dev libsqlite3-dev libpq-dev libsodium-dev
  libcmark-gfm-dev libcmark-gfm-extensions-dev libcurl4-openssl-dev libcsv-dev"
test_pkgs="libcriterion-dev chromium postgresql tmux clang libclang-rt-dev" # clang: tests/fuzz
pkgs=$build_pkgs
[ "$mode" = test ] && pkgs="$build_pkgs $test_pkgs"
# Node.js runs the API and browser tests; a machine may already have its own.
if [ "$mode" = test ] && ! command -v node >/dev/null; then pkgs="$pkgs nodejs npm"; fi
if [ "$mode" = test ] && ! command -v npm >/dev/null; then pkgs="$pkgs npm"; fi

missing=()
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

cmd="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" != 0 ]; then
  echo "cairn: missing packages; run as root:" >&2
  echo "  apt-get update && $cmd" >&2
  exit 1
fi
echo "cairn: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
