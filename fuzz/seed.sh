#!/bin/bash
# Seeds fuzz/corpus/parse_content from every content file of the check fixtures, each
# prefixed with the kind byte the target reads first (see src/lib.rs).
set -euo pipefail
cd "$(dirname "$0")"
out=corpus/parse_content
mkdir -p "$out"
find ../tests/fixtures/check -type f \( -name '*.md' -o -name '*.yaml' \) | while read -r f; do
  case "$f" in
    *.yaml) k='\x01' ;; */groups/*) k='\x02' ;; */briefings/*) k='\x03' ;; */pages/*) k='\x04' ;; *) k='\x00' ;;
  esac
  h=$(sha1sum "$f" | cut -c1-16)
  { printf "$k"; cat "$f"; } > "$out/seed-$h"
done
ls "$out" | wc -l
