#include "conformance/runner/filter.h"

#include "conformance/expr/case_keys.h"

namespace tconv {

Result<CaseFilter> CaseFilter::parse(std::string_view expr) {
  CaseFilter f;
  if (expr.find_first_not_of(" \t") == std::string_view::npos) return f;
  auto e = Expr::parse(expr, &case_key_kinds());
  if (!e) return Result<CaseFilter>::failure("--filter: " + e.error());
  f.expr_ = std::move(e.value());
  return f;
}

bool CaseFilter::matches(const Case& c) const {
  if (!expr_) return true;
  auto r = expr_->test(case_keys(c));
  return r.ok() && *r;
}

std::string_view filter_help() {
  return "the expression language of suites' where: (docs/expressions.md): || && ! ( ) == = != < <= > >= + - * / % "
         "min max abs contains, over n c_in c_out groups h_in w_in kh kw stride_h stride_w dil_h dil_w pad_top "
         "pad_bottom pad_left pad_right h_out w_out bias dtype layout weight_layout name source fill; a word alone "
         "matches case names containing it. Example: 'stride_h>1 && (groups=2 || dtype=f16) && !golden'";
}

}  // namespace tconv
