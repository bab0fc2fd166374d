// Golden cases may leave sizes out: they are read from the tensors' shapes (docs/design.md
// section 5, "sizes not given are taken from the tensors"), in every convention, through the
// convention's tensor_sizes() (which key each dimension of x, weight, bias, dy and y gives).
// A size the case writes itself is checked against the tensors instead, and once translated,
// every tensor (expect: {y, dx, dw, db} too) must have the shape the problem says, so a
// mismatch is a load error at the file's key, not a confusing failure in the middle of a run.
#pragma once

#include <set>
#include <string>

#include "conformance/suite/case_builder.h"

namespace tconv::suite {

// The golden file keys of one case, for their locations.
struct GoldenEntries {
  const Entry* x = nullptr;
  const Entry* weight = nullptr;
  const Entry* bias = nullptr;
  const Entry* dy = nullptr;
  const Entry* y = nullptr;
  const Entry* dx = nullptr;
  const Entry* dw = nullptr;
  const Entry* db = nullptr;
};

// Sets the sizes the tensors give in `draft` unless the case wrote them (`own_keys`); a
// written size, or two tensors, that disagree are a load error naming both shapes.
void apply_golden_shapes(CaseDraft& draft, const std::set<std::string>& own_keys, const GoldenEntries& files,
                         const SuiteContext& ctx);

// After translation: each golden file's shape must be the one `c.problem` gives it in its
// layouts; the error names the file's key, both shapes and the convention's rule.
void check_golden_shapes(const Case& c, const GoldenEntries& files, const SuiteContext& ctx);

}  // namespace tconv::suite
