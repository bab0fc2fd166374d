// results.json of a run directory: what was run (RunInfo), where (environment), the outcome
// counts and every row. Written atomically; "state" says whether the run completed.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "backends/api/result.h"
#include "conformance/results/row.h"
#include "conformance/results/row_json.h"

namespace tconv {

inline constexpr const char* kResultsSchema = "tconv-results/1";

struct RunInfo {
  std::string suite_name, suite_path;
  std::uint64_t seed = 1;
  std::int64_t cases_in_suite = 0;   // expanded, before --filter / --shard
  std::int64_t cases_selected = 0;   // after them
  std::string command_line;
  std::string start_time, end_time;  // ISO 8601, UTC
  std::string state = "running";     // running | complete | interrupted
  std::string shard;                 // "K/N", empty when not sharded
  std::string filter;
  std::vector<std::string> backends;  // backend:variant, in run order
  std::vector<std::string> directions;
  bool perf = false;
  std::string isolation = "none";  // --isolate: none | device | all
  bool repeat_check = false;
  double timeout_s = 0;
  int jobs = 1;
  std::uint64_t max_memory_bytes = 0;
  std::vector<std::string> merged_from;  // shard directories (merge only)
  // Supervised workers per backend name: started, and restarted after a crash or hang.
  std::map<std::string, int> worker_starts, worker_restarts;
};

nlohmann::ordered_json to_json(const RunInfo& info);
Result<RunInfo> run_info_from_json(const nlohmann::ordered_json& j);

nlohmann::ordered_json summary_to_json(const std::vector<ResultRow>& rows);

std::string results_json_text(const RunInfo& info, const nlohmann::ordered_json& environment,
                              const std::vector<ResultRow>& rows);
// Atomic write of results.json.
std::string write_results_json(const std::string& path, const RunInfo& info, const nlohmann::ordered_json& environment,
                               const std::vector<ResultRow>& rows);

struct ResultsJson {
  RunInfo info;
  nlohmann::ordered_json environment;
  std::vector<ResultRow> rows;  // none while the run is in progress (see results.csv)
};
// Reads a results.json (row_from_json for each row). Errors name the file (and the row).
Result<ResultsJson> read_results_json(const std::string& path);

std::string utc_now_iso8601();

}  // namespace tconv
