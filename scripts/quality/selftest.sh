#!/usr/bin/env bash
# Self-test of the quality gates: each must FAIL on the deliberately broken built site in
# tests/fixtures/broken-site (see its README.md). A gate that passes there is itself broken.
#
#   bash scripts/quality/selftest.sh
#
# With QUALITY_REQUIRE_TOOLS=1 (as in CI) a gate whose tool is missing counts as a failure of
# the self-test; otherwise it is skipped with a message.
set -u
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
fixture="$repo/tests/fixtures/broken-site"
require="${QUALITY_REQUIRE_TOOLS:-0}"
shots="$repo/target/screenshots/selftest"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
ok=0 bad=0 skipped=0

# expect NAME EXPECTED_REGEX -- COMMAND...: the command must exit 1 and print a line matching
# the regex (the gate's own count of what it found).
expect() {
  local name="$1" re="$2"; shift 3
  local log="$work/$name.log" rc
  "$@" >"$log" 2>&1
  rc=$?
  local found
  found=$(grep -E "$re" "$log" | tail -n1)
  if [ "$rc" -eq 2 ] || [ "$rc" -eq 127 ]; then
    if [ "$require" = 1 ]; then
      echo "selftest: $name could not run (exit $rc):"; tail -n 15 "$log" | sed 's/^/    /'; bad=$((bad + 1))
    else
      echo "selftest: $name SKIPPED (tool missing, exit $rc): $(tail -n1 "$log")"; skipped=$((skipped + 1))
    fi
  elif [ "$rc" -ne 0 ] && [ -n "$found" ]; then
    echo "selftest: $name fails on the broken fixture, as it must: $found"; ok=$((ok + 1))
  else
    echo "selftest: $name DID NOT FAIL on the broken fixture (exit $rc; wanted /$re/):"
    tail -n 25 "$log" | sed 's/^/    /'; bad=$((bad + 1))
  fi
}

expect html 'html_errors=([4-9]|[1-9][0-9]+) ' -- bash "$here/vnu.sh" "$fixture" fixture
expect links 'broken_links=([4-9]|[1-9][0-9]+) ' -- bash "$here/links.sh" "$fixture" / fixture
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
expect browser 'axe_serious=[1-9][0-9]* .*screenshots_failed=[3-9][0-9]* .*print_failed=[1-9]' -- \
  node "$here/browser.mjs" --root "$fixture" --port "$port" --shots "$shots" --pages home=/,blank=/blank/,wide=/wide/
if [ -f "$work/browser.log" ]; then
  # Each rendering check must have caught its own page.
  for want in 'FAIL blank /blank/ @1280px: blank' 'FAIL wide /wide/ @390px: horizontal scroll' 'FAIL home / print' 'FAIL home / @1280px axe critical image-alt' 'axe serious color-contrast'; do
    if line=$(grep -m1 -- "$want" "$work/browser.log"); then
      echo "selftest:   browser caught: ${line#  }"
    else
      echo "selftest: browser did not report \`$want\`"; bad=$((bad + 1))
    fi
  done
fi
expect feeds 'feeds_failed=1 .*sitemaps_failed=1' -- python3 "$here/feeds.py" "$fixture" https://fixture.example/
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
expect xss 'xss_dialogs=[1-9][0-9]* xss_markers=[1-9][0-9]* xss_dom=[1-9]' -- \
  node "$here/hostile.mjs" --root "$fixture" --port "$port" --pages /xss/
expect datapackage 'datapackage_errors=([5-9]|[1-9][0-9]+)$' -- python3 "$here/datapackage.py" "$fixture" fixture
if [ -f "$work/datapackage.log" ]; then
  # Each kind of defect in tests/fixtures/broken-site/data/ must have been caught.
  for want in 'extra.csv: exported but not described' 'incorrect-label' 'wounded_min: type-error' 'date_precision: constraint-error' 'after_cutoff: type-error' 'not a Feature with a null or Point geometry' 'acled.csv: listed in datapackage.json but missing'; do
    if line=$(grep -m1 -- "$want" "$work/datapackage.log"); then
      echo "selftest:   datapackage caught: $line"
    else
      echo "selftest: datapackage did not report \`$want\`"; bad=$((bad + 1))
    fi
  done
fi
cp -r "$fixture" "$work/copy"
printf ' ' >> "$work/copy/groups/jnim/index.html"
expect determinism 'deterministic=0' -- bash "$here/same-tree.sh" "$fixture" "$work/copy" fixture

echo "selftest: $ok gates seen to fail on tests/fixtures/broken-site, $bad did not, $skipped skipped"
[ "$bad" -eq 0 ]
