#!/usr/bin/env bash
# Determinism gate: two builds must be byte-for-byte identical.
#
#   bash scripts/quality/same-tree.sh DIR_A DIR_B [LABEL]
#
# Compares the trees with `diff -r` (file lists and contents), prints the first differences and
# `deterministic=1` (identical) or `deterministic=0`; exits 1 when they differ.
set -u
a="${1:?usage: same-tree.sh DIR_A DIR_B [LABEL]}"
b="${2:?usage: same-tree.sh DIR_A DIR_B [LABEL]}"
label="${3:-}"
files=$(find "$a" -type f | wc -l)
if out=$(diff -r -q "$a" "$b" 2>&1); then
  echo "${label:+$label }deterministic=1 files=$files"
  exit 0
fi
n=$(printf '%s\n' "$out" | wc -l)
echo "--- $n difference(s) between $a and $b (first 20) ---"
printf '%s\n' "$out" | head -n 20
first=$(printf '%s\n' "$out" | sed -n 's/^Files \(.*\) and \(.*\) differ$/\1 \2/p' | head -n1)
if [ -n "$first" ]; then
  # shellcheck disable=SC2086
  diff -u $first | head -n 30
fi
echo "${label:+$label }deterministic=0 files=$files differing=$n"
exit 1
