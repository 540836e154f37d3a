#!/usr/bin/env bash
# Times the possible-duplicate search (issue 15) on in-memory incidents with the spread of
# examples/gen_corpus.rs, at 10k, 100k and 1M incidents (or the sizes given): the median of
# RUNS runs of `validate::duplicates::pairs`, with the pairs found and the records warned.
#
# usage: scripts/bench-duplicates.sh [N ...]     (RUNS=3 by default)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
RUNS=${RUNS:-3}
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(10000 100000 1000000)
cargo build --release --example duplicates_bench >&2
for n in "${SIZES[@]}"; do
  target/release/examples/duplicates_bench "$n" "$RUNS"
done
