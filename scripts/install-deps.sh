#!/bin/sh
# Installs every Debian 12 package that tumen's build, tests and benches need.
# Run as root (CI does). Safe to run again. chromium is only for the report test (headless);
# set TUMEN_NO_CHROMIUM=1 to leave it out (that test then skips).
set -eu
export DEBIAN_FRONTEND=noninteractive
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
PKGS="build-essential cmake pkg-config clang libclang-rt-14-dev \
  libutf8proc-dev libsqlite3-dev sqlite3 wordnet-base libjansson-dev libssl-dev \
  iso-codes python3 time chromium ${TUMEN_EXTRA_PKGS:-}"
if [ "${TUMEN_NO_CHROMIUM:-0}" = "1" ]; then
  PKGS=$(echo "$PKGS" | sed 's/ chromium//')
fi
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  $SUDO apt-get update -qq
  # shellcheck disable=SC2086
  $SUDO apt-get install -y --no-install-recommends $missing
fi
