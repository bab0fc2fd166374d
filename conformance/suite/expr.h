// `where:` constraints of a sweep: a small expression language over the case's parameters.
//
//   literals    2   'f16' "NHWC"   true false
//   names       any parameter (stride, c_in, dtype, ...), its parts (stride_h, crop_top),
//               and derived values (see where_env.h)
//   operators   || or   && and   ! not   == != < <= > >=   + - * / %   ( )
//   functions   min(a, b)  max(a, b)  abs(a)
//
// Values are integer vectors (a pair parameter such as stride is [h, w]) or text. Arithmetic
// and min/max work per component, a scalar broadcasting against a pair; / and % truncate
// like C. `<, <=, >, >=, ==` hold when they hold for every component; `!=` is `!(a == b)`.
// A vector is true when all its components are non-zero. `!`/`not` applies to the whole
// comparison that follows (`!a < b` is `!(a < b)`); chained comparisons are an error.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "backends/api/result.h"

namespace tconv::suite {

struct ExprValue {
  std::vector<std::int64_t> nums;  // empty when text
  std::string text;
  bool is_text() const { return nums.empty(); }
  static ExprValue number(std::int64_t v) { return {{v}, ""}; }
};

using ExprEnv = std::map<std::string, ExprValue, std::less<>>;

class Expr {
 public:
  // Errors name the offending token and its 1-based character position.
  static Result<Expr> parse(std::string_view source);

  Result<ExprValue> eval(const ExprEnv& env) const;
  Result<bool> test(const ExprEnv& env) const;  // eval + truthiness

  const std::vector<std::string>& names() const { return names_; }  // every name used
  const std::string& source() const { return source_; }

  struct Node;

 private:
  std::shared_ptr<const Node> root_;
  std::string source_;
  std::vector<std::string> names_;
};

}  // namespace tconv::suite
