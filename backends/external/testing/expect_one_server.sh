#!/bin/sh
# expect_one_server.sh LOG COMMAND...: runs a `tconv run` with one stub_server.sh (--jobs 1)
# and checks that it passed, that several requests went to ONE process (one pid in LOG) and
# that the process got the shutdown line at the end.
log=$1
shift
rm -f "$log"
"$@" || { echo "expected exit status 0, got $?"; exit 1; }
requests=$(grep -c -v shutdown "$log")
pids=$(cut -d' ' -f1 "$log" | sort -u | wc -l)
[ "$requests" -ge 2 ] || { echo "expected several requests, LOG has $requests"; exit 1; }
[ "$pids" -eq 1 ] || { echo "expected one server process, LOG has $pids pids"; cat "$log"; exit 1; }
tail -n 1 "$log" | grep -q shutdown || { echo "the server got no shutdown line"; exit 1; }
echo "ok: $requests requests served by one process, then a clean shutdown"
