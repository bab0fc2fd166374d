#!/usr/bin/env bash
# The main job, from a fresh machine: installs what is missing, builds, and runs the default
# conformance sweep (cases/default.yaml) over every backend this machine can run, writing
# the run directory runs/default/ (results.csv, results.json, report.html). Extra arguments go
# to `tconv run`.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
tools/build.sh build Release
exec build/tconv run cases/default.yaml --out runs/default "$@"
