// compare.html: the comparison of two runs as one self-contained page (static tables with
// the report's stylesheet; no script needed).
#pragma once

#include <cstddef>
#include <string>

#include "reports/run_diff.h"
#include "reports/run_record.h"

namespace tconv::reports {

// At most `rows_per_kind` rows are listed per kind of change.
std::string render_compare_html(const Comparison& c, const RunRecord& base, const RunRecord& now,
                                std::size_t rows_per_kind = 5000);

}  // namespace tconv::reports
