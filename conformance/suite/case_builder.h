// A case's merged settings -> one expanded Case: translation by its convention, validation,
// fill, directions, origin. Shared by sweeps and explicit cases.
#pragma once

#include <string>

#include "conformance/case.h"
#include "conformance/expr/expr.h"
#include "conformance/suite/setting.h"

namespace tconv::suite {

// What every part of one suite file needs to know.
struct SuiteContext {
  std::string file;       // as given: error messages and Case::source use it
  std::string dir;        // base of relative paths (golden files, includes)
  std::uint64_t seed = 1; // the suite's seed: fills and sampling
  const Defaults* defaults = nullptr;
};

struct CaseDraft {
  const conventions::Convention* convention = nullptr;
  Settings settings;  // defaults first, then the sweep's or the case's own values over them
  std::string name;
  std::string path;   // key path of the sweep or case, e.g. "sweeps[1]"
  YAML::Mark mark;    // the sweep or case mapping, for Case::source
  GoldenFiles golden;
};

// Bad input found only now (e.g. output_size together with output_padding) is a load error
// at the key; a well-formed combination that is no valid problem sets Case::invalid_reason,
// one outside tconv's operator (a 3-D ONNX node) Case::unsupported_reason.
// With `env`, also fills the variables a `where:` expression sees for this case.
Case build_case(const CaseDraft& draft, const SuiteContext& ctx, ExprEnv* env = nullptr);

// Names a `where:` may use under a convention: its keys, their parts (stride_h, crop_top)
// and values derived from the canonical problem:
//   groups (numeric even for depthwise), depthwise (0/1), h_out, w_out,
//   pad_top, pad_bottom, pad_left, pad_right (canonical crops), fill (its kind as text).
std::vector<std::string> where_names(const conventions::Convention& convention);

}  // namespace tconv::suite
