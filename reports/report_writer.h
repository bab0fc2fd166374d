// `tconv report RUN_DIR`, also called at the end of `tconv run` and `tconv merge`.
#pragma once

#include <string>

#include "backends/api/result.h"
#include "reports/run_record.h"

namespace tconv::reports {

struct WrittenReport {
  std::string path;
  std::size_t bytes = 0;
  std::size_t rows = 0;
  std::vector<std::string> notes;
};

// Reads RUN_DIR/results.json and writes the report (default RUN_DIR/report.html) atomically.
Result<WrittenReport> write_report(const std::string& run_dir, const std::string& out_path = "");

// The same from a run already in memory.
Result<WrittenReport> write_report(const RunRecord& run, const std::string& out_path);

}  // namespace tconv::reports
