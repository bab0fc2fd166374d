// YAML suites -> expanded cases. Bad input is an error naming file:line:column and the key
// path; nothing runs then (exit status 2).
#pragma once

#include <string>
#include <vector>

#include "backends/api/result.h"
#include "conformance/case.h"

namespace tconv {

struct Suite {
  std::string name;       // the suite's `suite:` key
  std::string path;       // the YAML file
  std::uint64_t seed = 1; // the suite's seed (a run's --seed overrides)
  std::vector<Case> cases;  // in a deterministic order, duplicates removed
  int duplicates_removed = 0;
};

// Errors: "cases/foo.yaml:12:5: sweeps[0].strid: unknown key (did you mean 'stride'?)".
Result<Suite> load_suite(const std::string& path);
Result<Suite> parse_suite(const std::string& yaml_text, const std::string& path_for_errors);

}  // namespace tconv
