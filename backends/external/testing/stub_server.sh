#!/bin/sh
# stub_server.sh COMPUTE LOG [FAULT AT]: a persistent-mode server (PROTOCOL.md) in plain sh
# for the tests. It delegates each problem to COMPUTE (a per-call command such as c_tconv),
# so rows can pass, and appends "PID N" to LOG per request and "PID shutdown" on a shutdown
# line: the tests read the pids to tell how many processes served the sweep. FAULT, at the
# AT-th request of the whole sweep (counted in LOG, so across restarts): die (exit 7 after
# a word on stderr), garbage (a reply that is not JSON), hang (no reply), refuse (an
# "unsupported" reply: a refusal its capabilities could not express).
compute=$1 log=$2 fault=$3 at=$4
printf '{"protocol": "tconv-server", "version": 1, "capabilities": %s}\n' "$("$compute" --capabilities | tr -d '\n')"
n=0
while IFS= read -r line; do
  case $line in *'"shutdown"'*) echo "$$ shutdown" >>"$log"; exit 0 ;; esac
  n=$((n + 1))
  echo "$$ $n" >>"$log"
  if [ "$(grep -c -v shutdown "$log")" = "$at" ]; then
    case $fault in
      die) echo "fpga: DMA engine stalled" >&2; exit 7 ;;
      garbage) echo "Traceback (most recent call last):"; continue ;;
      hang) sleep 30; continue ;;
      refuse) echo '{"ok": false, "unsupported": "this bitstream has no stride-2 kernel"}'; continue ;;
    esac
  fi
  dir=$(printf '%s\n' "$line" | sed -n 's/.*"workdir": *"\([^"]*\)".*/\1/p')
  id=$(printf '%s\n' "$line" | sed -n 's/.*"id": *\([0-9]*\).*/\1/p')
  if "$compute" "$dir" >/dev/null 2>&1; then
    # The compute time travels in the reply (timing.json removed, so only the reply has it).
    ms=$(sed -n 's/.*"device_time_ms": *\([0-9.eE+-]*\).*/\1/p' "$dir/timing.json" 2>/dev/null)
    rm -f "$dir/timing.json"
    echo "{\"id\": $id, \"ok\": true${ms:+, \"device_time_ms\": $ms}}"
  else
    echo '{"ok": false, "error": "the compute command failed"}'
  fi
done
