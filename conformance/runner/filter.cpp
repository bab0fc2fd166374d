#include "conformance/runner/filter.h"

#include <algorithm>
#include <charconv>
#include <optional>

namespace tconv {

namespace {

constexpr std::string_view kIntegerKeys[] = {
    "n",       "c_in",     "c_out",   "groups",     "h_in",     "w_in",      "kh",    "kw",    "stride_h", "stride_w",
    "dil_h",   "dil_w",    "pad_top", "pad_bottom", "pad_left", "pad_right", "h_out", "w_out", "bias"};
constexpr std::string_view kTextKeys[] = {"name", "dtype", "layout", "weight_layout", "source"};
constexpr std::string_view kOps[] = {"==", "!=", "<=", ">=", "=", "<", ">"};  // longest first

bool is_integer_key(std::string_view k) {
  return std::find(std::begin(kIntegerKeys), std::end(kIntegerKeys), k) != std::end(kIntegerKeys);
}
bool is_text_key(std::string_view k) {
  return std::find(std::begin(kTextKeys), std::end(kTextKeys), k) != std::end(kTextKeys);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<std::int64_t> to_int(std::string_view s) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

std::int64_t integer_field(const Problem& p, std::string_view k) {
  if (k == "n") return p.n;
  if (k == "c_in") return p.c_in;
  if (k == "c_out") return p.c_out;
  if (k == "groups") return p.groups;
  if (k == "h_in") return p.h_in;
  if (k == "w_in") return p.w_in;
  if (k == "kh") return p.kh;
  if (k == "kw") return p.kw;
  if (k == "stride_h") return p.stride_h;
  if (k == "stride_w") return p.stride_w;
  if (k == "dil_h") return p.dil_h;
  if (k == "dil_w") return p.dil_w;
  if (k == "pad_top") return p.pad_top;
  if (k == "pad_bottom") return p.pad_bottom;
  if (k == "pad_left") return p.pad_left;
  if (k == "pad_right") return p.pad_right;
  if (k == "h_out") return p.h_out();
  if (k == "w_out") return p.w_out();
  return p.bias ? 1 : 0;  // "bias"
}

std::string text_field(const Case& c, std::string_view k) {
  if (k == "name") return c.name;
  if (k == "dtype") return std::string(to_string(c.problem.dtype));
  if (k == "layout") return std::string(to_string(c.problem.layout));
  if (k == "weight_layout") return std::string(to_string(c.problem.weight_layout));
  return c.source;
}

template <class T>
bool compare(const T& a, std::string_view op, const T& b) {
  if (op == "=" || op == "==") return a == b;
  if (op == "!=") return a != b;
  if (op == "<") return a < b;
  if (op == "<=") return a <= b;
  if (op == ">") return a > b;
  return a >= b;
}

Result<CaseFilter::Term> parse_term(std::string_view text) {
  using R = Result<CaseFilter::Term>;
  CaseFilter::Term t;
  text = trim(text);
  if (text.empty()) return R::failure("empty condition (a stray '&&'?)");
  // The first operator character splits key from value.
  const auto pos = text.find_first_of("=!<>");
  if (pos == std::string_view::npos || (pos == 0 && text[0] == '!' && text.find_first_of("=<>") == std::string_view::npos)) {
    t.negate = text[0] == '!';
    t.value = std::string(trim(t.negate ? text.substr(1) : text));
    if (t.value.empty()) return R::failure("'!' needs a word after it");
    return t;
  }
  t.key = std::string(trim(text.substr(0, pos)));
  std::string_view rest = text.substr(pos);
  for (std::string_view op : kOps)
    if (rest.substr(0, op.size()) == op) {
      t.op = std::string(op);
      break;
    }
  if (t.op.empty()) return R::failure("'" + std::string(text) + "': expected KEY OP VALUE with OP one of = == != < <= > >=");
  t.value = std::string(trim(rest.substr(t.op.size())));
  if (t.key.empty() || t.value.empty()) return R::failure("'" + std::string(text) + "': expected KEY OP VALUE");
  if (is_integer_key(t.key)) {
    if (!to_int(t.value)) return R::failure("'" + std::string(text) + "': " + t.key + " takes an integer");
  } else if (is_text_key(t.key)) {
    if (t.op != "=" && t.op != "==" && t.op != "!=")
      return R::failure("'" + std::string(text) + "': " + t.key + " compares with = or != only");
  } else {
    std::string keys;
    for (auto k : kIntegerKeys) keys += std::string(k) + " ";
    for (auto k : kTextKeys) keys += std::string(k) + " ";
    return R::failure("unknown filter key '" + t.key + "' (keys: " + keys.substr(0, keys.size() - 1) + ")");
  }
  return t;
}

}  // namespace

Result<CaseFilter> CaseFilter::parse(std::string_view expr) {
  CaseFilter f;
  if (trim(expr).empty()) return f;
  while (true) {
    const auto amp = expr.find("&&");
    auto term = parse_term(expr.substr(0, amp));
    if (!term) return Result<CaseFilter>::failure("--filter: " + term.error());
    f.terms_.push_back(*term);
    if (amp == std::string_view::npos) break;
    expr.remove_prefix(amp + 2);
  }
  return f;
}

bool CaseFilter::matches(const Case& c) const {
  for (const Term& t : terms_) {
    bool ok;
    if (t.key.empty()) {
      ok = (c.name.find(t.value) != std::string::npos) != t.negate;
    } else if (is_integer_key(t.key)) {
      ok = compare(integer_field(c.problem, t.key), t.op, *to_int(t.value));
    } else {
      ok = compare(text_field(c, t.key), t.op, t.value);
    }
    if (!ok) return false;
  }
  return true;
}

std::string_view filter_help() {
  return "EXPR := TERM (&& TERM)*; TERM := WORD (case name contains it; !WORD: does not) | KEY OP VALUE "
         "with OP = == != < <= > >= and KEY an integer field (n c_in c_out groups h_in w_in kh kw stride_h "
         "stride_w dil_h dil_w pad_top pad_bottom pad_left pad_right h_out w_out bias) or a text field "
         "(name dtype layout weight_layout source; = and != only). Example: 'stride_h>1 && groups=2 && !golden'";
}

}  // namespace tconv
