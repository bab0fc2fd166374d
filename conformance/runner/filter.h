// --filter: which expanded cases a run keeps.
//
//   EXPR  := TERM ( "&&" TERM )*
//   TERM  := WORD                 the case name contains WORD   ("!WORD": does not contain)
//          | KEY OP VALUE         OP: = == != < <= > >=
//   KEY   := n c_in c_out groups h_in w_in kh kw stride_h stride_w dil_h dil_w pad_top
//            pad_bottom pad_left pad_right h_out w_out bias          (integers; bias 0/1)
//          | name dtype layout weight_layout source                  (text: = and != only)
//
// e.g.  --filter 'stride_h>1 && groups=2 && dtype=f32'   --filter 'keras && !golden'
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "backends/api/result.h"
#include "conformance/case.h"

namespace tconv {

class CaseFilter {
 public:
  static Result<CaseFilter> parse(std::string_view expr);
  bool matches(const Case& c) const;
  bool empty() const { return terms_.empty(); }

  struct Term {
    std::string key;  // empty: substring of the name
    std::string op;
    std::string value;
    bool negate = false;
  };

 private:
  std::vector<Term> terms_;
};

// One line for --help.
std::string_view filter_help();

}  // namespace tconv
