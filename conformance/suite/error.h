// Load errors of a suite: one line "path:line:col: key.path: message". Thrown inside the
// parser only (it unwinds through deep recursion cleanly) and turned into a Result failure
// at the API boundary (suite.cpp), so nothing escapes load_suite.
#pragma once

#include <stdexcept>
#include <string>

#include <yaml-cpp/yaml.h>

namespace tconv::suite {

class SuiteError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// yaml-cpp marks are 0-based; the message is 1-based like every compiler's.
std::string format_error(const std::string& file, const YAML::Mark& mark,
                         const std::string& key_path, const std::string& message);

[[noreturn]] void fail(const std::string& file, const YAML::Mark& mark,
                       const std::string& key_path, const std::string& message);

// Key paths as users read them: "sweeps[0].stride[2]", "defaults.dtype".
std::string child_path(const std::string& parent, const std::string& key);
std::string index_path(const std::string& parent, std::size_t index);

}  // namespace tconv::suite
