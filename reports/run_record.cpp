#include "reports/run_record.h"

#include <filesystem>

#include "conformance/results/results_csv.h"

namespace tconv::reports {

namespace fs = std::filesystem;

Result<RunRecord> load_run(const std::string& path) {
  using R = Result<RunRecord>;
  const bool is_file = path.size() > 5 && path.ends_with(".json") && !fs::is_directory(path);
  RunRecord run;
  run.dir = is_file ? fs::path(path).parent_path().string() : path;
  if (run.dir.empty()) run.dir = ".";
  const std::string json_path = is_file ? path : path + "/results.json";

  auto js = read_results_json(json_path);
  if (!js) return R::failure(js.error());
  run.info = std::move(js.value().info);
  run.environment = std::move(js.value().environment);
  run.rows = std::move(js.value().rows);

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
