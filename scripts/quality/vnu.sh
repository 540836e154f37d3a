#!/usr/bin/env bash
# HTML validity gate: the Nu Html Checker (npm vnu-jar, run with the machine's Java) over every
# .html file under DIR.
#
#   bash scripts/quality/vnu.sh DIR [LABEL]
#
# Prints every error (GNU format: file:line.col-line.col: error: message), then the distinct
# messages with their counts, then `html_errors=N pages=P` (prefixed with LABEL when given).
# Exits 1 when there is any error, 2 when the checker cannot run (no Java, no vnu.jar).
set -u
here="$(cd "$(dirname "$0")" && pwd)"
dir="${1:?usage: vnu.sh DIR [LABEL]}"
label="${2:-}"
jar="$here/node_modules/vnu-jar/build/dist/vnu.jar"
if ! command -v java >/dev/null 2>&1; then echo "vnu: no java on PATH"; exit 2; fi
if [ ! -f "$jar" ]; then echo "vnu: $jar missing (run: npm ci --ignore-scripts in scripts/quality)"; exit 2; fi
if [ ! -d "$dir" ]; then echo "vnu: no directory $dir"; exit 2; fi
pages=$(find "$dir" -type f -name '*.html' | wc -l)
if [ "$pages" -eq 0 ]; then echo "vnu: no .html files under $dir"; exit 2; fi
abs="$(cd "$dir" && pwd)"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
# vnu exits 1 on errors; it writes its report to stderr. One JVM for all files.
java -Xss4m -jar "$jar" --errors-only --format gnu --skip-non-html "$abs" 2>"$log" >/dev/null
rc=$?
# Show paths relative to DIR: "file:/abs/dir/x/index.html":3.4-3.9: error: ...
sed -e "s#^\"file:$abs/#\"#" "$log" > "$log.rel"
mv "$log.rel" "$log"
errors=$(grep -c ': error: \|: fatal: \|: error:$' "$log" || true)
other=$(grep -vc ': error: \|: fatal: \|: info\|: warning' "$log" || true)
if [ "$errors" -gt 0 ]; then
  echo "--- Nu Html Checker errors (first 60) ---"
  head -n 60 "$log"
  echo "--- distinct messages ---"
  sed -e 's/^[^:]*:[0-9.-]*: //' "$log" | grep '^error\|^fatal' | sort | uniq -c | sort -rn | head -n 30
fi
if [ "$errors" -eq 0 ] && [ "$rc" -ne 0 ]; then
  echo "vnu: the checker failed (exit $rc) without reporting errors:"; head -n 20 "$log"; exit 2
fi
echo "${label:+$label }html_errors=$errors pages=$pages"
[ "$errors" -eq 0 ]
