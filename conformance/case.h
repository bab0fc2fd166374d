// One expanded conformance case: what a suite (YAML) turns into and what the runner runs.
// The contract between the suite expander (suite.h) and the runner (runner.h).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "backends/api/problem.h"

namespace tconv {

// exact (appended last: the value of the others is kept): small integers sized per dtype so
// that f16/bf16 results are exact too (fill.h).
enum class FillKind : std::uint8_t { uniform, normal, integer, golden, exact };

std::string_view to_string(FillKind k);
std::optional<FillKind> parse_fill_kind(std::string_view s);

struct FillSpec {
  FillKind kind = FillKind::uniform;
  std::uint64_t seed = 1;
};

// Golden tensors from a real framework (docs/design.md section 5): absolute paths after expansion,
// already in the problem's layouts. Empty path = not given.
struct GoldenFiles {
  std::string x, weight, bias, dy;              // inputs
  std::string y, dx, dw, db;                    // expected outputs
  bool any() const { return !x.empty() || !weight.empty() || !dy.empty(); }
};

struct Case {
  std::string name;                  // unique within the suite, e.g. "stride_padding/17"
  std::string source;                // "file.yaml:LINE" where the case or sweep was written
  Problem problem;
  std::vector<Direction> directions;
  FillSpec fill;
  GoldenFiles golden;
  std::map<std::string, std::string> origin;  // the case's parameters as written (e.g. keras terms)
  std::string convention_rule;       // the crop rule origin["convention"] applied, with its numbers
  std::string invalid_reason;        // non-empty: the combination is not a valid problem (INVALID row)
  std::string unsupported_reason;    // non-empty: well-formed, but outside tconv's operator (a 3-D
                                     // node): UNSUPPORTED on every backend, nothing is run
};

}  // namespace tconv
