#!/usr/bin/env bash
# How long `briefwerk serve` takes to update the site after one incident is edited, against a
# clean `briefwerk build` of the same site, measured in one run.
#
# usage: scripts/bench-serve.sh [N]        (default N = 10000 incidents)
#
# Environment (optional): EDITS=6 (edits timed), BUILDS=3 (clean builds timed), SEED=42,
# BENCH_TMP=/work/bench-tmp, SKIP_BUILD=1 (do not run `cargo build --release`), PORT=0 (a free one),
# BINS="old/briefwerk new/briefwerk" (compare binaries in one run, on one corpus: each gets its
# clean builds and its serve session in turn; default: this checkout's release binary).
#
# The corpus comes from examples/gen_corpus.rs. Each clean build writes into a fresh directory
# that is deleted afterwards; serve's private output lives in the run's own directory too
# (TMPDIR), deleted when serve stops. The edits alternate between a body change (a sentence appended)
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
BINS=${BINS:-$ROOT/target/release/briefwerk}

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
export TMPDIR="$WORK"
cleanup() {
  [ -z "$SERVE_PID" ] || kill "$SERVE_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

say "generating $N incidents (seed $SEED)"
rustc --edition 2024 -O -o "$WORK/gen_corpus" examples/gen_corpus.rs
"$WORK/gen_corpus" --incidents "$N" --seed "$SEED" --out "$WORK/site" >/dev/null

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# Waits until serve's log $1 holds $2 "rebuilt" lines and prints the time of the last in ms.
wait_rebuilt() {
  local n
  for _ in $(seq 600); do
    n=$(grep -c '^rebuilt ' "$1" || true)
    if [ "$n" -ge "$2" ]; then
      grep '^rebuilt ' "$1" | sed -n "${2}p" | sed -E 's/.* in ([0-9]+) ms.*/\1/'
      return
    fi
    sleep 0.1
  done
  echo "no rebuild reported: $(tail -5 "$1")" >&2
  return 1
}

mapfile -t files < <(find "$WORK/site/content/incidents" -name '*.md' | sort)
count=${#files[@]}
results=()

# Clean builds, then a serve session with EDITS edits, for the binary $1.
bench_one() {
  local bin=$1 builds=() body=() title=() k out start log f kind seen=0 t
  say "$bin: clean builds"
  for k in $(seq "$BUILDS"); do
    out="$WORK/out-$k"
    start=$(date +%s%N)
    "$bin" build --quiet --root "$WORK/site" --output "$out"
    builds+=($(( ($(date +%s%N) - start) / 1000000 )))
    rm -rf "$out"
  done

  say "$bin: starting serve"
  log="$WORK/serve.log"
  "$bin" serve --root "$WORK/site" --port "$PORT" >"$log" 2>&1 &
  SERVE_PID=$!
  for _ in $(seq 600); do
    grep -q "watching for changes" "$log" && break
    kill -0 "$SERVE_PID" 2>/dev/null || die "serve stopped: $(tail -5 "$log")"
    sleep 0.5
  done
  grep -q "watching for changes" "$log" || die "serve did not start"

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
    t=$(wait_rebuilt "$log" "$seen") || die "serve did not rebuild"
    if [ "$kind" = body ]; then body+=("$t"); else title+=("$t"); fi
    say "edit $k ($kind): $(grep '^rebuilt ' "$log" | sed -n "${seen}p")"
    cp "$WORK/original.md" "$f"
    seen=$((seen + 1))
    wait_rebuilt "$log" "$seen" >/dev/null || die "serve did not rebuild"
  done
  kill -INT "$SERVE_PID" 2>/dev/null || true
  wait "$SERVE_PID" 2>/dev/null || true
  SERVE_PID=""

  local b e_body e_title
  b=$(printf '%s\n' "${builds[@]}" | median)
  e_body=$(printf '%s\n' "${body[@]}" | median)
  e_title=$(printf '%s\n' "${title[@]:-0}" | median)
  results+=("$(awk -v bin="$bin" -v n="$N" -v b="$b" -v eb="$e_body" -v et="$e_title" \
    'BEGIN { printf "| %s | %d | %d ms | %d ms (%.1f%%) | %d ms (%.1f%%) |", bin, n, b, eb, 100 * eb / b, et, 100 * et / b }')")
  results+=("|   | body edits (ms): ${body[*]}; title edits (ms): ${title[*]:-}; clean builds (ms): ${builds[*]} | | | |")
}

for b in $BINS; do
  [ -x "$b" ] || die "no binary at $b"
  bench_one "$b"
done

echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| binary | N | clean build (median) | serve after a body edit (median) | after a title edit (median) |"
echo "|---|---:|---:|---:|---:|"
printf '%s\n' "${results[@]}"
