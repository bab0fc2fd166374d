// tconv_synthetic_run OUT_DIR ROWS [--perf] [--failing F] [--seed S]: writes a synthetic
// OUT_DIR/results.json (and results.csv), for the report's size and browser tests.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "conformance/results/results_csv.h"
#include "conformance/results/results_json.h"
#include "reports/synthetic_run.h"

int main(int argc, char** argv) {
  using namespace tconv;
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s OUT_DIR ROWS [--perf] [--failing FRACTION] [--seed S]\n", argv[0]);
    return 2;
  }
  reports::SyntheticOptions o;
  o.rows = std::strtoull(argv[2], nullptr, 10);
  for (int i = 3; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--perf") o.perf = true;
    else if (a == "--failing" && i + 1 < argc) o.failing_fraction = std::atof(argv[++i]);
    else if (a == "--seed" && i + 1 < argc) o.seed = std::strtoull(argv[++i], nullptr, 10);
    else {
      std::fprintf(stderr, "%s: unknown argument '%s'\n", argv[0], a.c_str());
      return 2;
    }
  }
  const std::string dir = argv[1];
  std::filesystem::create_directories(dir);
  reports::RunRecord run = reports::synthetic_run(o);
  ResultsCsvWriter csv;
  std::string err = csv.start(dir + "/results.csv", run.rows);
  csv.close();
  if (err.empty()) err = write_results_json(dir + "/results.json", run.info, run.environment, run.rows);
  if (!err.empty()) {
    std::fprintf(stderr, "%s: %s\n", argv[0], err.c_str());
    return 1;
  }
  std::printf("%s: %zu rows\n", dir.c_str(), run.rows.size());
  return 0;
}
