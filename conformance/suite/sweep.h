// One `sweeps:` entry -> its cases: the cartesian product of its parameter lists, `zip`
// groups varying together, `where` filters, and an optional seeded `sample: K`.
#pragma once

#include <string>
#include <vector>

#include "conformance/suite/case_builder.h"

namespace tconv::suite {

// Keys a sweep has besides the parameters it sweeps.
inline const std::vector<std::string>& sweep_structure_keys() {
  static const std::vector<std::string> keys = {"name", "convention", "seed", "sample", "where", "zip"};
  return keys;
}

// Above this many combinations a sweep without `sample:` is refused (a typo in a list of
// sizes should not silently become a day of compute).
inline constexpr std::uint64_t kMaxGridCombinations = 2'000'000;

std::vector<Case> expand_sweep(const YAML::Node& node, const std::string& path,
                               const std::string& default_name, const SuiteContext& ctx);

}  // namespace tconv::suite
