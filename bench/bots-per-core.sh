#!/usr/bin/env bash
# Receiving bots per core: how much CPU a load generator's process spends per WHEP receiver of one stream
# (1 Mbit/s VP8 + Opus), Pion v3 receivers and Arena's own bots side by side against the same node and stream.
#
#   bench/bots-per-core.sh [--bots pion|arena|both] [--n "100 200"] [--window 30] [--settle 5] [--rate 20]
#
# One run: an Arena node (./arena, demo on, its own data dir), one WHIP publisher in its own process (the Pion
# program's -publish mode: 1 Mbit/s VP8-shaped video, keyframe every 2 s, 48 kbit/s Opus-sized audio), then for
# each implementation and each N: N receivers in ONE process, each with its own listener token and
# PeerConnection; once the node counts N viewers, SETTLE seconds to settle, then utime+stime of that process
# (/proc/PID/stat) over WINDOW seconds. % of a core per receiver = process CPU % / receivers joined;
# receivers per core = 100 / that. The node's and the publisher's CPU are not counted (shown for reference).
# Everything runs in a private network namespace (unshare -n, lo up): nothing leaves the machine.
#
# Arena's bots are `./arena bots run --target whip` with --tokens (one viewer token each), --publishers 0 and the
# same N and join rate, writing their JSON report (joined, loss after retransmission) when the script stops them
# with SIGTERM. ARENA_BOTS_CMD replaces that command (run with `exec`, so that the process it becomes is the one
# measured); it gets BENCH_WHEP_URL, BENCH_TOKENS (a file, one token per line), BENCH_N, BENCH_RATE and BENCH_JSON
# (where to write a bots report) in its environment.
#
# Known (Debian's Pion v3.1.56, pion/ice v2.3.1): a Pion agent sends no ICE consent check while it sends any
# other packet (RTCP) and receives media, so the node's RFC 7675 consent (30 s after the last check) expires and
# each Pion receiver loses ~2-4 s of media every 30 s, seen as ~7% loss once a group has run for 30 s (fixed in
# pion/ice v4.0.8, "Always send KeepAlives"). That flatters Pion's CPU a little; for figures without it keep
# joining + settle + window under 30 s (e.g. --rate 50 --settle 3 --window 20 for N <= 200).
#
# Other settings (environment): ARENA_NODE_CMD (default ./arena: builds on first use), BENCH_PORT (8080),
# BENCH_UDP_PORT (40000), BENCH_KEEP=1 keeps the work folder (logs, tokens, summaries).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

ARGS=("$@")
BOTS=pion
NS="100 200"
WINDOW=30
SETTLE=5
RATE=20
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --bots) BOTS="$2"; shift 2 ;;
    --n) NS="$2"; shift 2 ;;
    --window) WINDOW="$2"; shift 2 ;;
    --settle) SETTLE="$2"; shift 2 ;;
    --rate) RATE="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bots-per-core: unknown option $1 (--help)" >&2; exit 2 ;;
  esac
done
case "$BOTS" in
  pion) IMPLS="pion" ;;
  arena) IMPLS="arena" ;;
  both) IMPLS="pion arena" ;;
  *) echo "bots-per-core: --bots is pion, arena or both" >&2; exit 2 ;;
esac
for n in $NS; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "bots-per-core: --n takes positive numbers, got '$n'" >&2; exit 2; }
done
[[ "$WINDOW" =~ ^[1-9][0-9]*$ && "$SETTLE" =~ ^[0-9]+$ && "$RATE" =~ ^[1-9][0-9]*$ ]] \
  || { echo "bots-per-core: --window, --settle and --rate take whole numbers (window and rate > 0)" >&2; exit 2; }
# shellcheck disable=SC2016 # expanded by the bash -c that runs it, with the BENCH_* variables set
DEFAULT_BOTS_CMD='exec ./arena bots run --target whip --whep-url "$BENCH_WHEP_URL" --tokens "$BENCH_TOKENS" --publishers 0 --listeners "$BENCH_N" --join-rate "$BENCH_RATE" --duration 24h --bind 127.0.0.1 --quiet --json "$BENCH_JSON"'
ARENA_BOTS_CMD="${ARENA_BOTS_CMD:-$DEFAULT_BOTS_CMD}"
if [[ "$IMPLS" == *arena* && -z "${BENCH_IN_NETNS:-}" ]]; then
  ./arena bots --help >/dev/null # builds the bots before anything is measured
fi
for tool in curl jq unshare ip; do
  command -v "$tool" >/dev/null || { echo "bots-per-core: needs $tool" >&2; exit 2; }
done

# Into a private network namespace with only lo (as root; else as a user namespace's root).
if [ -z "${BENCH_IN_NETNS:-}" ]; then
  flags=-n; [ "$(id -u)" -eq 0 ] || flags=-rn
  exec unshare $flags env BENCH_IN_NETNS=1 bash "$0" "${ARGS[@]}"
fi
ip link set lo up

PION=bench/pion-receivers/pion-receivers
if [ ! -x "$PION" ] || [ bench/pion-receivers/main.go -nt "$PION" ]; then
  echo "bots-per-core: building $PION" >&2
  bench/pion-receivers/build.sh
fi

PORT="${BENCH_PORT:-8080}"
UDP_PORT="${BENCH_UDP_PORT:-40000}"
BASE="http://127.0.0.1:$PORT"
WORK="$(mktemp -d /tmp/bots-per-core.XXXXXX)"
HZ="$(getconf CLK_TCK)"
PIDS=()

cleanup() {
  local i
  # last started first: bots and publisher end their sessions while the node still answers
  for (( i = ${#PIDS[@]} - 1; i >= 0; i-- )); do stop "${PIDS[i]}"; done
  if [ -n "${BENCH_KEEP:-}" ]; then echo "bots-per-core: logs in $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# utime + stime of a process, in clock ticks (fields 14 and 15 of /proc/PID/stat, after the command name)
cpu_ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }
now() { date +%s.%N; }
metric() { # metric SERIES: one sample's value from the node's /metrics, e.g. metric 'arena_tracks'
  curl -fs "$BASE/metrics" | awk -v s="$1" '$1 == s {printf "%.0f", $2; exit}'
}
udp_counter() { # udp_counter NAME: a Udp counter of /proc/net/snmp (this namespace only: the node and the bots)
  awk -v n="$1" '/^Udp:/ { if (!h) { for (i = 2; i <= NF; i++) col[$i] = i; h = 1 } else { print $col[n]; exit } }' /proc/net/snmp
}
viewers() { local v; v="$(metric 'arena_participants{role="viewer"}' || true)"; echo "${v:-0}"; }
forget() { # forget PID: it has been stopped and reaped; cleanup must not signal its number again
  local keep=() p
  for p in "${PIDS[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done
  PIDS=("${keep[@]}")
}

# stop PID: SIGTERM, then up to 60 s for it to leave and print its summary, then SIGKILL
stop() {
  kill -TERM "$1" 2>/dev/null || return 0
  for _ in $(seq 600); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

echo "bots-per-core: starting the node (${ARENA_NODE_CMD:-./arena}) on $BASE" >&2
${ARENA_NODE_CMD:-./arena} --data-dir "$WORK/data" --http-port "$PORT" --udp-port "$UDP_PORT" \
  >"$WORK/node.log" 2>&1 &
NODE=$!
PIDS+=("$NODE")
for _ in $(seq 600); do
  curl -fs "$BASE/health" >/dev/null 2>&1 && break
  kill -0 "$NODE" 2>/dev/null || { echo "bots-per-core: the node stopped:" >&2; tail -20 "$WORK/node.log" >&2; exit 1; }
  sleep 0.2
done
curl -fs "$BASE/health" >/dev/null || { echo "bots-per-core: the node did not come up" >&2; exit 1; }

EVENT="$(curl -fs -X POST -H 'Content-Type: application/json' -d '{"hostName":"bench"}' "$BASE/demo/events")"
ROOM="$(jq -r .room <<<"$EVENT")"
HOST_TOKEN="$(jq -r .hostToken <<<"$EVENT")"

"$PION" -publish -url "$BASE/whip/$ROOM" -token "$HOST_TOKEN" -duration 24h -json \
  >"$WORK/publisher.out" 2>"$WORK/publisher.err" &
PUBLISHER=$!
PIDS+=("$PUBLISHER")
for _ in $(seq 200); do grep -q "publishing to" "$WORK/publisher.err" && break; sleep 0.1; done
grep -q "publishing to" "$WORK/publisher.err" || { echo "bots-per-core: the publisher did not connect:" >&2; cat "$WORK/publisher.err" >&2; exit 1; }
sleep 2 # a keyframe or two through the node

ROWS=()
LOADS=()
for impl in $IMPLS; do
  for n in $NS; do
    tokens="$WORK/tokens-$impl-$n"
    for i in $(seq "$n"); do
      curl -fs -X POST -H 'Content-Type: application/json' -d "{\"room\":\"$ROOM\",\"name\":\"$impl-$i\"}" \
        "$BASE/demo/tokens" | jq -r .token
    done >"$tokens"
    out="$WORK/$impl-$n.out"
    err="$WORK/$impl-$n.err"
    echo "bots-per-core: $impl: $n receivers at $RATE/s" >&2
    case "$impl" in
      pion) "$PION" -url "$BASE/whep/$ROOM" -tokens "$tokens" -n "$n" -rate "$RATE" -duration 24h -json \
              >"$out" 2>"$err" & ;;
      # >>> Arena's bots: ARENA_BOTS_CMD (see the top of this file) <<<
      arena) BENCH_WHEP_URL="$BASE/whep/$ROOM" BENCH_TOKENS="$tokens" BENCH_N="$n" BENCH_RATE="$RATE" \
               BENCH_JSON="$WORK/$impl-$n.json" bash -c "exec ${ARENA_BOTS_CMD#exec }" >"$out" 2>"$err" & ;;
    esac
    BOT=$!
    PIDS+=("$BOT")

    # joined: the node counts n viewers, or the bots say all joined, or the join time is over
    deadline=$(( SECONDS + n / RATE + 60 ))
    while [ "$SECONDS" -lt "$deadline" ]; do
      [ "$(viewers)" -ge "$n" ] && break
      grep -q "all joined" "$err" "$out" 2>/dev/null && break
      kill -0 "$BOT" 2>/dev/null || break
      sleep 0.5
    done
    if ! kill -0 "$BOT" 2>/dev/null; then
      echo "bots-per-core: $impl stopped early:" >&2; tail -5 "$err" >&2; wait "$BOT" || true; forget "$BOT"; ROWS+=("$impl|$n|failed|||||||"); continue
    fi
    sleep "$SETTLE"

    c0=$(cpu_ticks "$BOT"); k0=$(cpu_ticks "$NODE"); p0=$(cpu_ticks "$PUBLISHER"); t0=$(now)
    b0=$(metric 'arena_udp_bytes_total{direction="out"}'); seen=$(viewers); l0=$(cut -d' ' -f1 /proc/loadavg)
    u0=$(udp_counter InDatagrams); r0=$(udp_counter RcvbufErrors)
    sleep "$WINDOW"
    c1=$(cpu_ticks "$BOT"); k1=$(cpu_ticks "$NODE"); p1=$(cpu_ticks "$PUBLISHER"); t1=$(now)
    b1=$(metric 'arena_udp_bytes_total{direction="out"}'); l1=$(cut -d' ' -f1 /proc/loadavg)
    u1=$(udp_counter InDatagrams); r1=$(udp_counter RcvbufErrors)
    curl -fs "$BASE/metrics" >"$WORK/metrics-$impl-$n.txt" || true # the node's view (drops, NACKs), kept with BENCH_KEEP
    LOADS+=("$impl N=$n: load average (1 min) $l0 at the window's start, $l1 at its end; UDP datagrams dropped on full receive buffers in the window: $((r1 - r0)) (delivered: $((u1 - u0)))")

    stop "$BOT"
    forget "$BOT"
    summary="$(grep '^{' "$out" | tail -1 || true)"
    if [ -s "$WORK/$impl-$n.json" ]; then # a bots report: joined, loss after retransmission
      summary="$(jq -c '{joined: .joined, lossPct: (if .media.packetsExpected > 0 then 100 * .media.packetsLost / .media.packetsExpected else 0 end)}' "$WORK/$impl-$n.json")"
    fi
    joined="$(jq -r '.joined // empty' <<<"$summary" 2>/dev/null || true)"
    loss="$(jq -r '.lossPct // empty' <<<"$summary" 2>/dev/null || true)"
    [ -n "$joined" ] || { joined=$seen; echo "bots-per-core: $impl printed no summary; joined = viewers the node counted" >&2; }
    ROWS+=("$(awk -v impl="$impl" -v n="$n" -v j="$joined" -v loss="$loss" -v hz="$HZ" \
      -v c="$((c1 - c0))" -v k="$((k1 - k0))" -v p="$((p1 - p0))" -v t0="$t0" -v t1="$t1" -v b0="$b0" -v b1="$b1" 'BEGIN {
        dt = t1 - t0; cpu = 100 * c / hz / dt
        per = j > 0 ? cpu / j : 0
        lossText = loss == "" ? "?" : sprintf("%.3f", loss)
        perCore = per > 0 ? sprintf("%.0f", 100 / per) : "-"
        kbps = j > 0 ? (b1 - b0) * 8 / 1000 / dt / j : 0
        printf "%s|%d|%d|%s|%.1f|%.3f|%s|%.1f|%.1f|%.0f\n", impl, n, j, lossText, cpu, per, perCore,
          100 * k / hz / dt, 100 * p / hz / dt, kbps }')")
    # the node ends the sessions (DELETE) before the next group joins
    for _ in $(seq 100); do [ "$(viewers)" -eq 0 ] && break; sleep 0.2; done
  done
done

echo
echo "Receiving bots per core: one WHEP stream (1 Mbit/s VP8 + 48 kbit/s Opus) to N receivers in one process,"
echo "CPU of that process over a ${WINDOW} s window (after joining + ${SETTLE} s); node and publisher in other processes."
{
  echo "implementation|N|joined|loss %|CPU % of a core|% per receiver|receivers per core|node CPU %|publisher CPU %|node kbit/s out per receiver"
  printf '%s\n' "${ROWS[@]}"
} | column -t -s '|'
echo
echo "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1); $(uname -sr)"
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
printf '%s\n' "${LOADS[@]}"
echo "command: bench/bots-per-core.sh --bots $BOTS --n \"$NS\" --window $WINDOW --settle $SETTLE --rate $RATE"
