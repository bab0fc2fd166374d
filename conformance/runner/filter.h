// --filter: which expanded cases a run keeps. The expression language is the suites' `where:`
// one (conformance/expr/expr.h, docs/expressions.md) over the keys of a case
// (conformance/expr/case_keys.h), checked when parsed.
//
// e.g.  --filter 'stride_h>1 && groups=2 && dtype=f32'   --filter 'keras && !golden'
//       --filter '(groups > 1 || dil_h > 1) && !contains(name, "golden/")'
#pragma once

#include <optional>
#include <string_view>

#include "backends/api/result.h"
#include "conformance/case.h"
#include "conformance/expr/expr.h"

namespace tconv {

class CaseFilter {
 public:
  static Result<CaseFilter> parse(std::string_view expr);
  // A case on which the expression cannot be evaluated (a division by zero) is not kept.
  bool matches(const Case& c) const;
  bool empty() const { return !expr_; }

 private:
  std::optional<Expr> expr_;
};

// One line for --help.
std::string_view filter_help();

}  // namespace tconv
