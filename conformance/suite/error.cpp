#include "conformance/suite/error.h"

namespace tconv::suite {

std::string format_error(const std::string& file, const YAML::Mark& mark,
                         const std::string& key_path, const std::string& message) {
  const int line = mark.is_null() ? 1 : mark.line + 1;
  const int col = mark.is_null() ? 1 : mark.column + 1;
  return file + ":" + std::to_string(line) + ":" + std::to_string(col) + ": " +
         (key_path.empty() ? std::string("(document)") : key_path) + ": " + message;
}

void fail(const std::string& file, const YAML::Mark& mark, const std::string& key_path,
          const std::string& message) {
  throw SuiteError(format_error(file, mark, key_path, message));
}

std::string child_path(const std::string& parent, const std::string& key) {
  return parent.empty() ? key : parent + "." + key;
}

std::string index_path(const std::string& parent, std::size_t index) {
  return parent + "[" + std::to_string(index) + "]";
}

}  // namespace tconv::suite
