#!/usr/bin/env bash
# Imports N generated ACLED rows (default 100,000: 25,000 a year, as in issue 14) into a new
# site with the given briefwerk binary, then requires what a user needs: every written file
# under the loader's limit, `check` clean, `build` succeeding, and the same import again
# changing nothing.
#
#   bash scripts/quality/import-100k.sh WORKDIR BINARY [N]
#
# Prints `import_rows=N import_files=F largest_file=B check_ok=1 build_ok=1 reimport_unchanged=1`
# and exits 1 when any of them fails.
set -u
here="$(cd "$(dirname "$0")" && pwd)"
work="$1"; bw="$2"; n="${3:-100000}"
rm -rf "$work"; mkdir -p "$work"
limit=$((8 * 1024 * 1024))
fail=0
"$bw" init "$work/site" >/dev/null 2>&1 || { echo "import: init failed"; exit 2; }
python3 "$here/import-rows.py" "$n" > "$work/rows.csv"
t0=$(date +%s)
"$bw" import acled "$work/rows.csv" --root "$work/site" >"$work/import.log" 2>&1 || { echo "FAIL import exited $?"; tail -n 5 "$work/import.log"; fail=1; }
t1=$(date +%s)
tail -n 1 "$work/import.log"
files=0; largest=0
for f in "$work"/site/content/incidents/acled-*.yaml; do
  [ -f "$f" ] || continue
  files=$((files + 1))
  s=$(stat -c %s "$f")
  [ "$s" -gt "$largest" ] && largest=$s
  [ "$s" -lt "$limit" ] || { echo "FAIL $(basename "$f") is $s bytes, over the loader's limit"; fail=1; }
done
check_ok=1
"$bw" check --deny-warnings --root "$work/site" >"$work/check.log" 2>&1 || { check_ok=0; fail=1; echo "FAIL check:"; tail -n 8 "$work/check.log"; }
t2=$(date +%s)
build_ok=1
"$bw" build --quiet --root "$work/site" --output "$work/public" >"$work/build.log" 2>&1 || { build_ok=0; fail=1; echo "FAIL build:"; tail -n 8 "$work/build.log"; }
t3=$(date +%s)
before=$(cd "$work/site" && find content -type f -exec sha256sum {} + | sort)
"$bw" import acled "$work/rows.csv" --root "$work/site" >"$work/import2.log" 2>&1
after=$(cd "$work/site" && find content -type f -exec sha256sum {} + | sort)
unchanged=0
if [ "$before" = "$after" ] && grep -q "0 created, 0 updated, $n unchanged, 0 malformed" "$work/import2.log"; then
  unchanged=1
else
  fail=1; echo "FAIL the same import again changed something:"; tail -n 3 "$work/import2.log"
fi
echo "import: import $((t1 - t0)) s, check $((t2 - t1)) s, build $((t3 - t2)) s"
echo "import_rows=$n import_files=$files largest_file=$largest check_ok=$check_ok build_ok=$build_ok reimport_unchanged=$unchanged"
[ "$fail" -eq 0 ]
