# Sourced by the importers' ctests: `. test_prelude.sh TEST_NAME "MODULES" TCONV OUT_DIR`. Sets
# tconv, out (a fresh, empty folder) and here (tools/import/); exits 77, which ctest reports as
# skipped, with the reason unless the first python3 on PATH imports every one of MODULES.
set -euo pipefail
tconv=$3
out=$4
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if ! python3 -c "import ${2// /, }" 2>/dev/null; then
  echo "$1: $(command -v python3) cannot import ${2// /, } (tools/setup.sh installs it): skipped"
  exit 77
fi
rm -rf "$out"
mkdir -p "$out"
