#!/usr/bin/env bash
# Links gate: the Rust link checker (briefwerk::links::check_links) over an already-built site.
#
#   bash scripts/quality/links.sh DIR BASE_URL [LABEL]
#
# Runs the `links_gate` test of tests/testsuite/quality.rs (debug profile, so it reuses what `cargo test`
# built) with BRIEFWERK_LINKS_DIR=DIR and BRIEFWERK_LINKS_BASE_URL=BASE_URL. Prints every broken
# link with file, line and column, then `broken_links=N`; exits 1 when N > 0.
set -u
repo="$(cd "$(dirname "$0")/../.." && pwd)"
dir="$(cd "${1:?usage: links.sh DIR BASE_URL [LABEL]}" && pwd)"
base="${2:?usage: links.sh DIR BASE_URL [LABEL]}"
label="${3:-}"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
(cd "$repo" && BRIEFWERK_LINKS_DIR="$dir" BRIEFWERK_LINKS_BASE_URL="$base" NO_COLOR=1 \
  cargo test -q --test testsuite quality::links_gate -- --nocapture --test-threads=1) >"$log" 2>&1
rc=$?
n=$(sed -n 's/^broken_links=\([0-9]*\)$/\1/p' "$log" | tail -n1)
if [ -z "$n" ]; then
  echo "links: the checker did not run (exit $rc):"; tail -n 30 "$log"; exit 2
fi
if [ "$n" -gt 0 ]; then
  # The diagnostics, without cargo's test-harness noise.
  sed -n '/^\(error\|warning\)/,/^$/p' "$log" | grep -v '^error: test failed' | head -n 200
  echo "--- distinct broken targets ---"
  sed -n 's/^error: broken link `\([^`]*\)`.*/\1/p' "$log" | sort | uniq -c | sort -rn | head -n 20
fi
summary=$(grep '^checked ' "$log" | tail -n1)
echo "${label:+$label }broken_links=$n ($summary)"
[ "$n" -eq 0 ]
