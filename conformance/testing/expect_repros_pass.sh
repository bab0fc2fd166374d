#!/bin/sh
# expect_repros_pass.sh TCONV LIST: runs every line MODEL|VARIANTS|REPRO of LIST (comments
# start with #) as `TCONV repro REPRO --test-backends --backend MODEL` and expects every
# direction PASSED. Prints the relative L2 error / threshold of each line.
tconv=$1
list=$2
failed=0
count=0
while IFS='|' read -r model variants repro; do
  case "$model" in ''|'#'*) continue ;; esac
  count=$((count + 1))
  out=$("$tconv" repro "$repro" --test-backends --backend "$model" 2>&1)
  status=$?
  verdict=$(printf '%s\n' "$out" | grep -E '^(fwd|bwd_data|bwd_weights|bwd_bias) ' | head -1)
  if [ $status -ne 0 ] || ! printf '%s\n' "$verdict" | grep -q ' PASSED '; then
    echo "FAIL $model ($variants): $repro"
    printf '%s\n' "$out" | tail -4
    failed=$((failed + 1))
  else
    echo "ok   $model ($variants): $(printf '%s' "$verdict" | tr -s ' ' | cut -c1-160)"
  fi
done < "$list"
[ "$count" -gt 0 ] || { echo "no repro lines in $list"; exit 1; }
[ "$failed" -eq 0 ] || { echo "$failed of $count repros did not pass"; exit 1; }
echo "all $count repros PASSED"
