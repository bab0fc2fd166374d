// A row as its results.json object ({column: typed value}), and back.
#pragma once

#include <nlohmann/json.hpp>

#include "backends/api/result.h"
#include "conformance/results/row.h"

namespace tconv {

// Integers and booleans as JSON numbers and booleans, finite reals as numbers, non-finite
// reals as "inf" / "-inf" / "nan" text (JSON has none), enums by name, absent optionals as null.
nlohmann::ordered_json row_to_json(const ResultRow& row);
// Inverse of row_to_json. Missing or null optional columns are absent (older runs lack the
// columns appended since); reals may be "inf" / "nan" text; derived columns are ignored.
Result<ResultRow> row_from_json(const nlohmann::ordered_json& j);

}  // namespace tconv
