#include "conformance/results/results_json.h"

#include <ctime>

#include "conformance/results/results_csv.h"
#include "conformance/results/summary.h"

namespace tconv {

using json = nlohmann::ordered_json;

nlohmann::ordered_json to_json(const RunInfo& i) {
  return {{"suite", {{"name", i.suite_name}, {"path", i.suite_path}, {"cases", i.cases_in_suite}}},
          {"seed", i.seed},
          {"cases_selected", i.cases_selected},
          {"command_line", i.command_line},
          {"start_time", i.start_time},
          {"end_time", i.end_time},
          {"state", i.state},
          {"shard", i.shard},
          {"filter", i.filter},
          {"backends", i.backends},
          {"directions", i.directions},
          {"perf", i.perf},
          {"isolate", i.isolation},
          {"repeat_check", i.repeat_check},
          {"worker_starts", i.worker_starts},
          {"worker_restarts", i.worker_restarts},
          {"timeout_s", i.timeout_s},
          {"jobs", i.jobs},
          {"max_memory_bytes", i.max_memory_bytes},
          {"merged_from", i.merged_from}};
}

Result<RunInfo> run_info_from_json(const nlohmann::ordered_json& j) {
  try {
    RunInfo i;
    const json& s = j.at("suite");
    i.suite_name = s.at("name").get<std::string>();
    i.suite_path = s.value("path", "");
    i.cases_in_suite = s.value("cases", std::int64_t{0});
    i.seed = j.at("seed").get<std::uint64_t>();
    i.cases_selected = j.value("cases_selected", std::int64_t{0});
    i.command_line = j.value("command_line", "");
    i.start_time = j.value("start_time", "");
    i.end_time = j.value("end_time", "");
    i.state = j.value("state", "");
    i.shard = j.value("shard", "");
    i.filter = j.value("filter", "");
    i.backends = j.value("backends", std::vector<std::string>{});
    i.directions = j.value("directions", std::vector<std::string>{});
    i.perf = j.value("perf", false);
    // Before supervised workers, "isolate" was true (every call isolated) or false.
    if (const auto it = j.find("isolate"); it != j.end())
      i.isolation = it->is_boolean() ? (it->get<bool>() ? "all" : "none") : it->get<std::string>();
    i.repeat_check = j.value("repeat_check", false);
    i.worker_starts = j.value("worker_starts", std::map<std::string, int>{});
    i.worker_restarts = j.value("worker_restarts", std::map<std::string, int>{});
    i.timeout_s = j.value("timeout_s", 0.0);
    i.jobs = j.value("jobs", 1);
    i.max_memory_bytes = j.value("max_memory_bytes", std::uint64_t{0});
    i.merged_from = j.value("merged_from", std::vector<std::string>{});
    return i;
  } catch (const json::exception& e) {
    return Result<RunInfo>::failure(std::string("run info: ") + e.what());
  }
}

nlohmann::ordered_json summary_to_json(const std::vector<ResultRow>& rows) {
  const Summary s = summarize(rows);
  auto counts = [](const OutcomeCounts& c) {
    json o = json::object();
    for (Outcome x : kAllOutcomes) o[std::string(to_string(x))] = c[static_cast<std::size_t>(x)];
    return o;
  };
  json by = json::object();
  for (const auto& [key, c] : s.by_backend_direction) by[key.first][key.second] = counts(c);
  return {{"rows", s.rows}, {"by_status", counts(s.total)}, {"failures", s.failures()}, {"by_backend", by}};
}

std::string results_json_text(const RunInfo& info, const nlohmann::ordered_json& environment,
                              const std::vector<ResultRow>& rows) {
  json j;
  j["schema"] = kResultsSchema;
  j["run"] = to_json(info);
  j["environment"] = environment;
  j["summary"] = summary_to_json(rows);
  json columns = json::array();
  for (const Column& c : result_columns()) columns.push_back(c.name);
  j["columns"] = columns;
  json rs = json::array();
  for (const ResultRow& r : rows) rs.push_back(row_to_json(r));
  j["rows"] = std::move(rs);
  // Replace invalid UTF-8 (a backend's message could hold any bytes) instead of throwing.
  return j.dump(1, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string write_results_json(const std::string& path, const RunInfo& info, const nlohmann::ordered_json& environment,
                               const std::vector<ResultRow>& rows) {
  return write_file_atomically(path, results_json_text(info, environment, rows));
}

Result<ResultsJson> read_results_json(const std::string& path) {
  auto text = read_file(path);
  if (!text) return Result<ResultsJson>::failure(text.error());
  json j = json::parse(*text, nullptr, false);
  if (j.is_discarded()) return Result<ResultsJson>::failure(path + ": not valid JSON");
  if (j.value("schema", "") != std::string(kResultsSchema))
    return Result<ResultsJson>::failure(path + ": not a " + kResultsSchema + " file");
  auto info = run_info_from_json(j.value("run", json::object()));
  if (!info) return Result<ResultsJson>::failure(path + ": " + info.error());
  ResultsJson out{*info, j.value("environment", json::object()), {}};
  const auto rows = j.find("rows");
  if (rows == j.end()) return out;
  if (!rows->is_array()) return Result<ResultsJson>::failure(path + ": \"rows\" is not an array");
  out.rows.reserve(rows->size());
  for (std::size_t i = 0; i < rows->size(); ++i) {
    auto row = row_from_json((*rows)[i]);
    if (!row) return Result<ResultsJson>::failure(path + ": row " + std::to_string(i + 1) + ": " + row.error());
    out.rows.push_back(std::move(row.value()));
  }
  return out;
}

std::string utc_now_iso8601() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace tconv
