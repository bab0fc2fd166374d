// One `cases:` entry: a single problem written out, optionally with golden tensors
// (docs/design.md section 5: x, weight, bias, dy and expect: {y, dx, dw, db}, .npy paths relative
// to the YAML file; a missing file is a load error).
#pragma once

#include <string>

#include "conformance/suite/case_builder.h"

namespace tconv::suite {

Case expand_explicit_case(const YAML::Node& node, const std::string& path,
                          const std::string& default_name, const SuiteContext& ctx);

// `path` relative to `dir` (or absolute), normalized; a load error at `e` if it is no file.
std::string resolve_existing_file(const Entry& e, const SuiteContext& ctx);

}  // namespace tconv::suite
