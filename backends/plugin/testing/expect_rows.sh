#!/bin/sh
# expect_rows.sh RUN_DIR PATTERN COMMAND...: runs a `tconv run` expected to exit 1 (failure
# rows), then checks that results.csv has a row matching PATTERN and that the sweep went on:
# the naive backend's rows are there and PASSED.
run_dir=$1 pattern=$2
shift 2
"$@"
rc=$?
[ "$rc" -eq 1 ] || { echo "expected exit status 1 (failure rows), got $rc"; exit 1; }
grep -E -q "$pattern" "$run_dir/results.csv" || { echo "no row matches '$pattern' in $run_dir/results.csv"; exit 1; }
grep -q ',naive,.*PASSED' "$run_dir/results.csv" || { echo "the sweep stopped: no PASSED naive rows"; exit 1; }
echo "ok: a row matches '$pattern' and the sweep went on"
