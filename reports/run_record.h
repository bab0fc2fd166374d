// A finished (or interrupted, or merged) run as the reports see it: read from results.json
// alone, so any run directory can be re-rendered or compared later.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "backends/api/result.h"
#include "conformance/results/results_json.h"
#include "conformance/results/row.h"

namespace tconv::reports {

struct RunRecord {
  std::string dir;                      // where it was read from
  RunInfo info;
  nlohmann::ordered_json environment;   // as the run recorded it (free-form)
  std::vector<ResultRow> rows;
  std::vector<std::string> notes;       // one line each: what the reader had to work around
};

// Reads DIR/results.json (or the file itself when `path` names a .json file). A run that
// was killed before its final results.json has no rows there: then the rows of
// DIR/results.csv are used, with a note.
Result<RunRecord> load_run(const std::string& path);

}  // namespace tconv::reports
