#!/usr/bin/env bash
# How long `briefwerk serve` takes to update the site after one incident is edited, against a
# clean `briefwerk build` of the same site, measured in one run.
#
# usage: scripts/bench-serve.sh [N]        (default N = 10000 incidents)
#
# Environment (optional): EDITS=6 (edits timed), BUILDS=3 (clean builds timed), SEED=42,
# BENCH_TMP=/work/bench-tmp, SKIP_BUILD=1 (do not run `cargo build --release`), PORT=0 (a free one).
#
# The corpus comes from examples/gen_corpus.rs. Each clean build writes into a fresh directory
# that is deleted afterwards. The edits alternate between a body change (a sentence appended)
# and a title change (which every list showing the incident must follow), spread over the
# corpus; each is timed by serve itself ("rebuilt ... in N ms", which covers reading,
# validating, rendering and writing the changed files) and put back afterwards.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
N=${1:-10000}
EDITS=${EDITS:-6}
BUILDS=${BUILDS:-3}
SEED=${SEED:-42}
PORT=${PORT:-0}
BENCH_TMP=${BENCH_TMP:-/work/bench-tmp}
BIN=$ROOT/target/release/briefwerk

say() { printf '[bench-serve] %s\n' "$*" >&2; }
die() { printf '[bench-serve] ERROR: %s\n' "$*" >&2; exit 1; }
[[ $N =~ ^[1-9][0-9]*$ ]] || die "N='$N' is not a positive integer"

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  say "cargo build --release"
  cargo build --release --quiet || die "cargo build failed"
fi
mkdir -p "$BENCH_TMP"
WORK=$(mktemp -d "$BENCH_TMP/serve-XXXXXX")
SERVE_PID=""
cleanup() {
  [ -z "$SERVE_PID" ] || kill "$SERVE_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

say "generating $N incidents (seed $SEED)"
rustc --edition 2024 -O -o "$WORK/gen_corpus" examples/gen_corpus.rs
"$WORK/gen_corpus" --incidents "$N" --seed "$SEED" --out "$WORK/site" >/dev/null

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

say "clean builds"
builds=()
for k in $(seq "$BUILDS"); do
  out="$WORK/out-$k"
  start=$(date +%s%N)
  "$BIN" build --quiet --root "$WORK/site" --output "$out"
  builds+=($(( ($(date +%s%N) - start) / 1000000 )))
  rm -rf "$out"
done
build_ms=$(printf '%s\n' "${builds[@]}" | median)

say "starting serve"
LOG="$WORK/serve.log"
"$BIN" serve --root "$WORK/site" --port "$PORT" >"$LOG" 2>&1 &
SERVE_PID=$!
for _ in $(seq 600); do
  grep -q "watching for changes" "$LOG" && break
  kill -0 "$SERVE_PID" 2>/dev/null || die "serve stopped: $(cat "$LOG")"
  sleep 0.5
done
grep -q "watching for changes" "$LOG" || die "serve did not start"

# Waits for the rebuilt line number $1 and prints its time in ms.
wait_rebuilt() {
  for _ in $(seq 600); do
    local n
    n=$(grep -c '^rebuilt ' "$LOG" || true)
    if [ "$n" -ge "$1" ]; then
      grep '^rebuilt ' "$LOG" | sed -n "${1}p" | sed -E 's/.* in ([0-9]+) ms.*/\1/'
      return
    fi
    sleep 0.1
  done
  die "no rebuild reported: $(tail -5 "$LOG")"
}

mapfile -t files < <(find "$WORK/site/content/incidents" -name '*.md' | sort)
count=${#files[@]}
seen=0
times=()
for k in $(seq "$EDITS"); do
  f=${files[$(( (k * 7919 + count / 3) % count ))]}
  cp "$f" "$WORK/original.md"
  if [ $((k % 2)) -eq 1 ]; then
    printf '\nA sentence added in edit %s.\n' "$k" >>"$f"
    kind=body
  else
    sed -i "0,/^title: \"/s//title: \"Edit $k: /" "$f"
    kind=title
  fi
  seen=$((seen + 1))
  t=$(wait_rebuilt "$seen")
  times+=("$t")
  say "edit $k ($kind): $(grep '^rebuilt ' "$LOG" | sed -n "${seen}p")"
  cp "$WORK/original.md" "$f"
  seen=$((seen + 1))
  wait_rebuilt "$seen" >/dev/null
done
edit_ms=$(printf '%s\n' "${times[@]}" | median)

echo
echo "| N | clean build (median of $BUILDS) | serve update after one edit (median of $EDITS) | ratio |"
echo "|---:|---:|---:|---:|"
awk -v n="$N" -v b="$build_ms" -v e="$edit_ms" \
  'BEGIN { printf "| %d | %d ms | %d ms | %.1f%% |\n", n, b, e, 100 * e / b }'
echo
echo "edits (ms): ${times[*]}; clean builds (ms): ${builds[*]}"
