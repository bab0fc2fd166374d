// The terminal form of a comparison: counts per kind of change, then the changed rows.
#pragma once

#include <cstddef>
#include <string>

#include "reports/run_diff.h"
#include "reports/run_record.h"

namespace tconv::reports {

// One line naming a run: "DIR (suite S, N rows, START)".
std::string run_label(const RunRecord& run);

// At most `rows_per_kind` rows are listed per kind of change (the rest: compare.html).
std::string compare_text(const Comparison& c, const RunRecord& base, const RunRecord& now, std::size_t rows_per_kind);

// Short texts of one side of a change, shared with compare.html.
std::string ratio_text(const std::optional<double>& r);
std::string timing_text(const ResultRow& r);  // "1.23 ms [1.20, 1.31]" or ""
std::string backend_spec(const RowKey& k);

}  // namespace tconv::reports
