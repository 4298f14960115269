#!/usr/bin/env bash
# Installs Debian's `chromium` for the browser end-to-end tests (test/e2e-*.test.ts), which launch
# /usr/bin/chromium through playwright-core. Idempotent: does nothing when chromium is already there,
# so CI can call it on every run.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  echo "chromium already installed: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
  exit 0
fi

SUDO=''
if [ "$(id -u)" -ne 0 ]; then
  SUDO='sudo'
fi

$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y chromium

/usr/bin/chromium --version
