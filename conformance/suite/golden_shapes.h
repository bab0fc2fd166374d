// Golden cases may leave sizes out: they are read from the tensors' shapes (DESIGN.md
// section 5, "sizes not given are taken from the tensors"). A size the case writes itself is
// checked against the tensors instead, so a mismatch is a load error at the file's key, not
// a confusing failure in the middle of a run.
#pragma once

#include <set>
#include <string>

#include "conformance/suite/case_builder.h"

namespace tconv::suite {

struct GoldenEntries {
  const Entry* x = nullptr;
  const Entry* weight = nullptr;
  const Entry* bias = nullptr;
  const Entry* dy = nullptr;
};

// Sets n, c_in, input (from x), kernel, c_in, c_out (from weight), c_out (from bias) and
// n, c_out (from dy) in `draft` unless the case wrote them (`own_keys`); then they must agree.
// Only for conventions that have those keys (canonical, pytorch); others translate their own.
void apply_golden_shapes(CaseDraft& draft, const std::set<std::string>& own_keys, const GoldenEntries& files,
                         const SuiteContext& ctx);

}  // namespace tconv::suite
