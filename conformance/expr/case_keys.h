// The one set of keys expressions read (docs/expressions.md): the canonical problem's fields
// and, for a whole case, its name, source and fill. `--filter` sees these; a suite's `where:`
// sees the problem's keys and the suite's own parameters, which win where names meet.
#pragma once

#include "conformance/case.h"
#include "conformance/expr/expr.h"

namespace tconv {

// n c_in c_out groups h_in w_in kh kw stride_h stride_w dil_h dil_w pad_top pad_bottom pad_left
// pad_right (the crops, under their user-facing names) h_out w_out bias (0/1) numbers;
// dtype layout weight_layout text.
ExprEnv problem_keys(const Problem& p);
// problem_keys plus name, source and fill (text).
ExprEnv case_keys(const Case& c);
// The kinds of case_keys, to check an expression before any case exists.
const ExprKeys& case_key_kinds();

}  // namespace tconv
