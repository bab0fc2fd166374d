#!/usr/bin/env python3
"""expect_all_passed.py RESULTS_CSV MIN_ROWS [--per-variant] [--unsupported CASE=TEXT ...]:
exits 1 unless every row of a tconv run PASSED, on both naive and openmp, with at least
MIN_ROWS rows (=ROWS: exactly ROWS) (the importers' ctests). --per-variant: the count is that
of each backend:variant (how many openmp variants there are depends on the GEMM libraries the
build found). --unsupported: every row of case CASE must instead be UNSUPPORTED with TEXT in
its reason (a node tconv's 2-D operator does not cover); those rows count too."""

import argparse
import collections
import csv

ap = argparse.ArgumentParser()
ap.add_argument("results_csv")
ap.add_argument("rows")
ap.add_argument("--per-variant", action="store_true")
ap.add_argument("--unsupported", action="append", default=[], metavar="CASE=TEXT")
args = ap.parse_args()
unsupported = dict(u.split("=", 1) for u in args.unsupported)

rows = list(csv.DictReader(open(args.results_csv)))


def wrong(r: dict[str, str]) -> bool:
    if r["case"] in unsupported:
        return r["status"] != "UNSUPPORTED" or unsupported[r["case"]] not in r["reason"]
    return r["status"] != "PASSED"


def count_ok(n: int) -> bool:
    return n == int(args.rows[1:]) if args.rows.startswith("=") else n >= int(args.rows)


bad = [f"{r['case']} {r['backend']}:{r['variant']} {r['direction']}: {r['status']} {r['reason']}" for r in rows if wrong(r)]
missing = sorted(set(unsupported) - {r["case"] for r in rows})
backends = {r["backend"] for r in rows}
counts = collections.Counter(f"{r['backend']}:{r['variant']}" for r in rows) if args.per_variant else {"all": len(rows)}
if bad or missing or backends != {"naive", "openmp"} or not all(count_ok(n) for n in counts.values()):
    raise SystemExit("FAIL: " + "; ".join(bad) + (f"; no rows for {missing}" if missing else "") +
                     f" (backends {sorted(backends)}, rows {dict(counts)}, expected {args.rows})")
n_unsupported = sum(r["case"] in unsupported for r in rows)
print(f"{args.results_csv}: {len(rows) - n_unsupported} rows PASSED and {n_unsupported} UNSUPPORTED as expected on "
      f"{sorted(counts) if args.per_variant else sorted(backends)}")
