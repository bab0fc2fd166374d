#include "conformance/results/merge.h"

#include <filesystem>
#include <set>

#include "conformance/results/results_csv.h"
#include "conformance/results/results_json.h"

namespace tconv {

namespace fs = std::filesystem;

namespace {

// Why shard b cannot join shard a's run, or "".
std::string mismatch(const RunInfo& a, const RunInfo& b) {
  if (a.suite_name != b.suite_name) return "suite '" + b.suite_name + "' differs from '" + a.suite_name + "'";
  if (a.seed != b.seed) return "seed " + std::to_string(b.seed) + " differs from " + std::to_string(a.seed);
  if (a.cases_in_suite != b.cases_in_suite)
    return "the suite expands to " + std::to_string(b.cases_in_suite) + " cases, not " +
           std::to_string(a.cases_in_suite) + " (a different version of the suite?)";
  return "";
}

}  // namespace

Result<MergeReport> merge_runs(const std::string& out_dir, const std::vector<std::string>& shard_dirs, bool force) {
  using R = Result<MergeReport>;
  if (shard_dirs.empty()) return R::failure("merge needs at least one shard directory");
  std::error_code ec;
  for (const auto& d : shard_dirs)
    if (fs::exists(out_dir, ec) && fs::equivalent(out_dir, d, ec))
      return R::failure("the output directory " + out_dir + " is also a shard directory");

  MergeReport report;
  RunInfo merged;
  nlohmann::ordered_json environment, per_shard = nlohmann::ordered_json::array();
  bool environments_differ = false;
  std::vector<ResultRow> rows;
  std::set<RowKey> seen;
  bool all_complete = true;

  for (std::size_t i = 0; i < shard_dirs.size(); ++i) {
    const std::string& dir = shard_dirs[i];
    auto js = read_results_json(dir + "/results.json");
    if (!js) return R::failure(js.error());
    auto csv = read_results_csv(dir + "/results.csv");
    if (!csv) return R::failure(csv.error());
    const RunInfo& info = js->info;
    if (i == 0) {
      merged = info;
      environment = js->environment;
      merged.start_time = info.start_time;
      merged.end_time = info.end_time;
    } else {
      if (std::string why = mismatch(merged, info); !why.empty()) {
        const std::string line = dir + ": " + why + " (in " + shard_dirs[0] + ")";
        if (!force) return R::failure("refusing to merge: " + line + "; pass --force to merge anyway");
        report.warnings.push_back("merged despite: " + line);
      }
      if (!info.start_time.empty() && info.start_time < merged.start_time) merged.start_time = info.start_time;
      if (info.end_time > merged.end_time) merged.end_time = info.end_time;
      merged.cases_selected += info.cases_selected;
      environments_differ |= js->environment != environment;
    }
    per_shard.push_back(js->environment);
    if (info.state != "complete") {
      all_complete = false;
      report.warnings.push_back(dir + ": run state is '" + info.state + "' (not complete): its missing rows stay missing");
    }
    if (csv->dropped_partial_tail) report.warnings.push_back(dir + "/results.csv: dropped a partial last record");
    for (ResultRow& r : csv.value().rows) {
      if (!seen.insert(r.key()).second) {
        const std::string line = "row (" + r.case_name + ", " + r.backend + ":" + r.variant + ", " +
                                 std::string(to_string(r.direction)) + ") appears in more than one shard (" + dir + ")";
        if (!force) return R::failure("refusing to merge: " + line + "; pass --force to keep the first copy");
        report.warnings.push_back(line + ": kept the first copy");
        continue;
      }
      rows.push_back(std::move(r));
    }
  }

  merged.shard.clear();
  merged.state = all_complete ? "complete" : "incomplete";
  merged.merged_from = shard_dirs;
  if (environments_differ) environment["per_shard"] = per_shard;

  fs::create_directories(out_dir, ec);
  if (ec) return R::failure(out_dir + ": " + ec.message());
  ResultsCsvWriter writer;
  if (std::string err = writer.start(out_dir + "/results.csv", rows); !err.empty()) return R::failure(err);
  writer.close();
  if (std::string err = write_results_json(out_dir + "/results.json", merged, environment, rows); !err.empty())
    return R::failure(err);
  report.rows = rows.size();
  return report;
}

}  // namespace tconv
