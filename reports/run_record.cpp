#include "reports/run_record.h"

#include <filesystem>

#include "conformance/results/results_csv.h"

namespace tconv::reports {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace {

// The CSV text of one JSON value, as row_fields would have written it.
std::string field_text(const json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "1" : "0";
  if (v.is_number_integer()) return std::to_string(v.get<std::int64_t>());
  if (v.is_number_unsigned()) return std::to_string(v.get<std::uint64_t>());
  if (v.is_number_float()) return format_real(v.get<double>());
  return v.dump();
}

}  // namespace

Result<ResultRow> row_from_json(const json& j) {
  if (!j.is_object()) return Result<ResultRow>::failure("a row is not a JSON object");
  std::vector<std::string> fields;
  for (const Column& c : result_columns()) {
    const auto it = j.find(std::string(c.name));
    fields.push_back(it == j.end() ? std::string() : field_text(*it));
  }
  ResultRow row;
  if (Status s = row_from_fields(fields, &row); !s.ok()) return s;
  return row;
}

Result<RunRecord> load_run(const std::string& path) {
  using R = Result<RunRecord>;
  const bool is_file = path.size() > 5 && path.ends_with(".json") && !fs::is_directory(path);
  RunRecord run;
  run.dir = is_file ? fs::path(path).parent_path().string() : path;
  if (run.dir.empty()) run.dir = ".";
  const std::string json_path = is_file ? path : path + "/results.json";

  auto text = read_file(json_path);
  if (!text) return R::failure(text.error());
  json j = json::parse(*text, nullptr, false);
  if (j.is_discarded()) return R::failure(json_path + ": not valid JSON");
  if (j.value("schema", "") != std::string(kResultsSchema))
    return R::failure(json_path + ": not a " + std::string(kResultsSchema) + " file");
  auto info = run_info_from_json(j.value("run", json::object()));
  if (!info) return R::failure(json_path + ": " + info.error());
  run.info = *info;
  run.environment = j.value("environment", json::object());

  const json& rows = j.contains("rows") ? j["rows"] : json::array();
  if (!rows.is_array()) return R::failure(json_path + ": \"rows\" is not an array");
  run.rows.reserve(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    auto row = row_from_json(rows[i]);
    if (!row) return R::failure(json_path + ": row " + std::to_string(i + 1) + ": " + row.error());
    run.rows.push_back(std::move(row.value()));
  }

  // results.json is rewritten at the end of a run; a killed run left only results.csv.
  const std::string csv_path = run.dir + "/results.csv";
  if (run.info.state == "running" && fs::exists(csv_path)) {
    auto csv = read_results_csv(csv_path);
    if (csv && csv->rows.size() > run.rows.size()) {
      run.notes.push_back("the run did not finish (state 'running'): rows taken from results.csv");
      run.rows = std::move(csv.value().rows);
    }
  }
  return run;
}

}  // namespace tconv::reports
