// The one expression language of tconv: suites' `where:` conditions and `tconv run --filter`
// (docs/expressions.md is the user's description; this is the implementer's).
//
//   literals    2   'f16' "NHWC"   true false
//   names       a key (expr/case_keys.h: the canonical problem's fields, in where: also the
//               suite's parameters and their parts, e.g. stride, stride_h, crop_top)
//   words       a name that is not a key, where it can only mean one thing:
//                 on the right of == / != it is text        dtype == f16  is  dtype == 'f16'
//                 standing as a whole condition, it asks    unet && !keras
//                 whether the case's `name` contains it     is  contains(name, 'unet') && ...
//   operators   || or   && and   ! not   == = != < <= > >=   + - * / %   ( )
//   functions   min(a, b)  max(a, b)  abs(a)  contains(text, part)
//
// Values are integer vectors (a pair parameter such as stride is [h, w]) or text. Arithmetic
// and min/max work per component, a scalar broadcasting against a pair; / and % truncate
// like C. `<, <=, >, >=, ==` hold when they hold for every component; `!=` is `!(a == b)`;
// `=` is `==`. A vector is true when all its components are non-zero. `!`/`not` applies to
// the whole comparison that follows (`!a < b` is `!(a < b)`); chained comparisons are an error.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "backends/api/result.h"

namespace tconv {

struct ExprValue {
  std::vector<std::int64_t> nums;  // empty when text
  std::string text;
  bool is_text() const { return nums.empty(); }
  static ExprValue number(std::int64_t v) { return {{v}, ""}; }
};

using ExprEnv = std::map<std::string, ExprValue, std::less<>>;

// A key's kind, for checking an expression before any case exists (Expr::parse with keys).
enum class ExprKind : std::uint8_t { number, text };
struct ExprKeys {
  std::string what = "key";  // in messages: "unknown filter key 'strid' (filter keys: ...)"
  std::map<std::string, ExprKind, std::less<>> kinds;
};

class Expr {
 public:
  // Errors name the offending token and its 1-based character position. With `keys`, every
  // name must be a key or a word (see above) and every operator must get the kinds it takes,
  // so `stride_h = two` or `strid = 2` fail here rather than on the first case.
  static Result<Expr> parse(std::string_view source, const ExprKeys* keys = nullptr);

  Result<ExprValue> eval(const ExprEnv& env) const;
  Result<bool> test(const ExprEnv& env) const;  // eval + truthiness

  // The names used as values (they must be keys), and the names that may be words (a key
  // there is its value): standing as a whole condition, and on the right of == / !=.
  const std::vector<std::string>& names() const { return names_; }
  const std::vector<std::string>& condition_words() const { return condition_words_; }
  const std::vector<std::string>& text_words() const { return text_words_; }
  const std::string& source() const { return source_; }

  struct Node;

 private:
  std::shared_ptr<const Node> root_;
  std::string source_;
  std::vector<std::string> names_, condition_words_, text_words_;
};

}  // namespace tconv
