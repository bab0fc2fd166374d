#!/bin/sh
# expect_quantized_rows.sh RUN_DIR COMMAND...: runs `tconv run cases/quantized.yaml` over
# every backend of the build, then checks that the oracle (naive) PASSED every row and every
# other built-in backend refused every row through its capabilities, with the dtype named.
run_dir=$1
shift
"$@" || { echo "expected exit status 0, got $?"; exit 1; }
csv="$run_dir/results.csv"
naive=$(grep -c '^[^,]*,naive,[^,]*,fwd,i[0-9]*,PASSED,' "$csv")
[ "$naive" -gt 0 ] || { echo "no PASSED naive rows in $csv"; exit 1; }
others=$(tail -n +2 "$csv" | grep -v '^[^,]*,naive,' | grep -v -E ',UNSUPPORTED,dtype i(8|16) not supported,')
[ -z "$others" ] || { echo "rows neither naive nor refused by dtype:"; echo "$others" | head -3; exit 1; }
echo "ok: naive PASSED $naive rows; every other backend refused the integer dtypes"
