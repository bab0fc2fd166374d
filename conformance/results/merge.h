// `tconv merge OUT_DIR SHARD_DIR...`: one run directory from the shards of a run.
#pragma once

#include <string>
#include <vector>

#include "backends/api/result.h"

namespace tconv {

struct MergeReport {
  std::size_t rows = 0;
  std::vector<std::string> warnings;  // one line each (incomplete shards, forced mismatches)
};

// Concatenates the shards' results.csv rows (in the order given) into out_dir/results.csv
// and writes out_dir/results.json. Refuses, with the reason, shards of different suites or
// seeds and rows present in two shards, unless `force` (then the first copy of a row wins).
Result<MergeReport> merge_runs(const std::string& out_dir, const std::vector<std::string>& shard_dirs, bool force);

}  // namespace tconv
