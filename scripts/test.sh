#!/usr/bin/env bash
# Runs every test of Arena, the way CI does:
#   1. installs the Debian packages the tests drive (when root and something is missing),
#   2. finds a JDK 25,
#   3. builds and resolves everything Maven needs (this is the only step that uses the network),
#   4. runs the whole suite offline inside a private network namespace where only loopback exists
#      (`unshare -n`, lo up): real peers (Chromium, aiortc) can reach nothing but 127.0.0.1.
# Usage: scripts/test.sh [extra Maven args, e.g. -pl rtc -Dtest=UdpEndpointTest]
# Environment: ARENA_NO_APT=1 skips step 1; ARENA_NO_NETNS=1 runs step 4 without a namespace (debugging only).
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

say() { echo "test.sh: $*" >&2; }
die() { say "$*"; echo "RESULT: FAIL ($*)"; exit 1; }

# 1. Debian packages that the tests use.
PACKAGES=(chromium chromium-driver python3-aiortc janus iproute2 nftables libssl3 openssl)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
# Node.js and npm build the web module (any install will do, e.g. NodeSource's nodejs, which has npm inside).
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ "${#missing[@]}" -gt 0 ] && [ -z "${ARENA_NO_APT:-}" ]; then
  if [ "$(id -u)" -eq 0 ]; then
    say "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q && apt-get install -y -q --no-install-recommends "${missing[@]}" \
      || die "apt-get install ${missing[*]} failed"
  else
    die "missing Debian packages: ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})"
  fi
fi

# 2. A JDK 25 or newer.
java_major() { "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1; }
find_jdk() {
  local d candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  candidates+=(/usr/lib/jvm/temurin-25-jdk-amd64)
  for d in /usr/lib/jvm/*25*; do [ -d "$d" ] && candidates+=("$d"); done
  for d in "${candidates[@]}"; do
    if [ -x "$d/bin/java" ] && [ "$(java_major "$d")" -ge 25 ] 2>/dev/null; then echo "$d"; return 0; fi
  done
  return 1
}
JDK="$(find_jdk)" || die "no JDK 25 found: set JAVA_HOME to a JDK 25+ or install one (e.g. temurin-25-jdk from packages.adoptium.net)"
export JAVA_HOME="$JDK"
export PATH="$JAVA_HOME/bin:$PATH"
command -v mvn >/dev/null || die "Maven (mvn) not found: apt-get install maven"
say "JDK $JAVA_HOME"

# 3. Outside the namespace: build, install (the test-jar too), and let surefire fetch its JUnit providers.
say "building and resolving dependencies (network allowed here)"
mvn -B -q -DskipTests install || die "build failed (mvn -B -DskipTests install)"
mvn -B -q -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false test \
  || die "resolving test dependencies failed"

# 4. Inside a loopback-only network namespace, offline.
mkdir -p target
LOG="$ROOT/target/test-suite.log"
MVN=(mvn -B -o verify "$@")
if [ -n "${ARENA_NO_NETNS:-}" ]; then
  say "ARENA_NO_NETNS set: running without a private network namespace"
  "${MVN[@]}" 2>&1 | tee "$LOG"
  rc=${PIPESTATUS[0]}
else
  command -v ip >/dev/null || die "ip (iproute2) not found"
  if [ "$(id -u)" -eq 0 ]; then NS=(unshare -n); else NS=(unshare -rn); fi
  "${NS[@]}" true 2>/dev/null \
    || die "cannot create a network namespace with '${NS[*]}' (needs root or unprivileged user namespaces); ARENA_NO_NETNS=1 runs without one"
  say "running the suite inside '${NS[*]}' (only lo: 127.0.0.1, ::1)"
  "${NS[@]}" sh -c 'ip link set lo up && exec "$@"' sh "${MVN[@]}" 2>&1 | tee "$LOG"
  rc=${PIPESTATUS[0]}
fi

# Summary: add up surefire's per-module totals (the "Tests run:" lines that do not name a class).
read -r run fail err skip < <(grep -E '^\[(INFO|ERROR|WARNING)\] Tests run: [0-9]+' "$LOG" | grep -v ' -- in ' \
  | sed -E 's/.*Tests run: ([0-9]+), Failures: ([0-9]+), Errors: ([0-9]+), Skipped: ([0-9]+).*/\1 \2 \3 \4/' \
  | awk '{r+=$1; f+=$2; e+=$3; s+=$4} END {print r+0, f+0, e+0, s+0}')
if [ "$rc" -eq 0 ]; then
  echo "RESULT: PASS ($run tests, $fail failures, $err errors, $skip skipped; log $LOG)"
else
  echo "RESULT: FAIL (mvn exit $rc; $run tests, $fail failures, $err errors, $skip skipped; log $LOG)"
fi
exit "$rc"
