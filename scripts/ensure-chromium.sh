#!/usr/bin/env bash
# The browser tests drive Debian's Chromium through playwright-core; no browser is downloaded.
set -euo pipefail
if [ -x "${AGENTMETER_CHROMIUM:-/usr/bin/chromium}" ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "installing Debian chromium for the browser tests"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "The browser tests need Chromium at /usr/bin/chromium: run 'sudo apt-get install chromium'" >&2
echo "(or set AGENTMETER_CHROMIUM to another Chromium binary)." >&2
exit 1
