#!/usr/bin/env python3
"""expect_all_passed.py RESULTS_CSV MIN_ROWS: exits 1 unless every row of a tconv run PASSED,
on both naive and openmp, with at least MIN_ROWS rows (=ROWS: exactly ROWS) (the importers' ctests)."""

import csv
import sys

rows = list(csv.DictReader(open(sys.argv[1])))
bad = [f"{r['case']} {r['backend']}:{r['variant']} {r['direction']}: {r['status']} {r['reason']}" for r in rows if r["status"] != "PASSED"]
backends = {r["backend"] for r in rows}
want = sys.argv[2]
count_ok = len(rows) == int(want[1:]) if want.startswith("=") else len(rows) >= int(want)
if bad or backends != {"naive", "openmp"} or not count_ok:
    sys.exit("FAIL: " + "; ".join(bad) + f" (backends {sorted(backends)}, {len(rows)} rows, expected {want})")
print(f"{sys.argv[1]}: {len(rows)} rows PASSED on {sorted(backends)}")
