// A row as the fields of one results.csv record (result_columns() order), and back.
#pragma once

#include <string>
#include <vector>

#include "backends/api/status.h"
#include "conformance/results/row.h"

namespace tconv {

// Reals in their shortest exact text ("inf", "nan"), booleans 0 / 1, enums by name, an
// absent optional as an empty field.
std::vector<std::string> row_fields(const ResultRow& r);
// Inverse of row_fields: one field per column (an older file's missing columns as empty
// fields). Derived columns (h_out, w_out) are ignored. An error (StatusCode::invalid) names
// the column and the text.
Status row_from_fields(const std::vector<std::string>& fields, ResultRow* out);

}  // namespace tconv
