#!/bin/sh
# expect_all_pass.sh RUN_DIR BACKEND COMMAND...: runs a `tconv run` expected to exit 0, then
# checks that results.csv has rows of BACKEND and that every one of them is PASSED (a
# bit-exact integer backend: UNSUPPORTED or MISTRUSTED rows would hide cases).
run_dir=$1 backend=$2
shift 2
"$@" || { echo "expected exit status 0, got $?"; exit 1; }
rows=$(grep -c "^[^,]*,$backend," "$run_dir/results.csv")
passed=$(grep -c "^[^,]*,$backend,[^,]*,[^,]*,[^,]*,PASSED," "$run_dir/results.csv")
[ "$rows" -gt 0 ] || { echo "no rows of $backend in $run_dir/results.csv"; exit 1; }
[ "$rows" -eq "$passed" ] || { echo "$backend: only $passed of $rows rows PASSED"; grep "^[^,]*,$backend," "$run_dir/results.csv" | grep -v ",PASSED," | head -3; exit 1; }
echo "ok: all $rows rows of $backend PASSED"
