// Everything report.html shows, prepared in C++ as one JSON object (the page's script only
// draws it): run header, outcome counts per backend x direction, heatmaps, error/bound
// histograms, the perf table and the rows.
#pragma once

#include <nlohmann/json.hpp>

#include "reports/row_encoding.h"
#include "reports/run_record.h"

namespace tconv::reports {

nlohmann::ordered_json build_report_model(const RunRecord& run, const RowEncodingLimits& limits = {});

// Parts of the model, each tested on its own.
nlohmann::ordered_json outcome_bars_json(const std::vector<ResultRow>& rows);
nlohmann::ordered_json heatmaps_json(const std::vector<ResultRow>& rows);
nlohmann::ordered_json histograms_json(const std::vector<ResultRow>& rows);
nlohmann::ordered_json perf_json(const std::vector<ResultRow>& rows, const nlohmann::ordered_json& environment);

}  // namespace tconv::reports
