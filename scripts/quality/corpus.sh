#!/usr/bin/env bash
# Generates the synthetic 1,000-incident site (examples/gen_corpus.rs) and builds it.
#
#   bash scripts/quality/corpus.sh OUT [--incidents N] [--seed S] [--base-url URL]
#
# Writes the source site to OUT/src and the built site to OUT/public (OUT must not exist or be
# empty). Uses target/release/examples/gen_corpus and target/release/briefwerk when they are
# built (`cargo build --release --bins --examples`), else builds them through cargo.
# Prints `corpus: built ... into OUT/public` and the site's base URL as `corpus_base_url=URL`.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
out="${1:?usage: corpus.sh OUT [--incidents N] [--seed S] [--base-url URL]}"
shift
incidents=1000 seed=1 base_url=""
while [ $# -gt 0 ]; do
  case "$1" in
    --incidents) incidents="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --base-url) base_url="$2"; shift 2 ;;
    *) echo "corpus.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
if [ ! -f "$repo/examples/gen_corpus.rs" ]; then
  echo "corpus.sh: examples/gen_corpus.rs does not exist yet" >&2; exit 2
fi
gen="$repo/target/release/examples/gen_corpus"
bw="$repo/target/release/briefwerk"
if [ ! -x "$gen" ] || [ ! -x "$bw" ]; then
  (cd "$repo" && cargo build --release --bins --examples)
fi
rm -rf "$out"
mkdir -p "$out"
"$gen" --incidents "$incidents" --seed "$seed" --out "$out/src" >/dev/null
args=(build --root "$out/src" --output "$out/public" --quiet)
[ -n "$base_url" ] && args+=(--base-url "$base_url")
"$bw" "${args[@]}"
cfg_base=$(sed -n 's/^base_url: *"\{0,1\}\([^"]*\)"\{0,1\} *$/\1/p' "$out/src/site.yaml" | head -n1)
echo "corpus: $incidents incidents (seed $seed) built into $out/public ($(find "$out/public" -name '*.html' | wc -l) pages)"
echo "corpus_base_url=${base_url:-${cfg_base:-/}}"
