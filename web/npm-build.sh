#!/bin/sh
# Builds the browser SDK, components and demo with npm (run by Maven in the compile phase of the web module).
# `npm ci` only when node_modules is missing or older than package-lock.json, so that a build offline (the
# test suite runs inside `unshare -n`) works once a first build has installed the packages; when it must run
# offline it uses npm's cache.
set -eu
cd "$(dirname "$0")"
if ! command -v npm >/dev/null 2>&1; then
  echo "web: npm not found: install Node.js 20+ and npm (Debian: apt-get install nodejs npm)" >&2
  exit 1
fi
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # Offline, --prefer-offline may still ask the registry for package metadata; --offline takes npm's cache only.
  npm ci --prefer-offline --no-audit --no-fund --loglevel=error \
    || npm ci --offline --no-audit --no-fund --loglevel=error
fi
npm run --silent build
