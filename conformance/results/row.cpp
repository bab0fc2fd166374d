#include "conformance/results/row.h"

#include <charconv>
#include <cmath>
#include <functional>

namespace tconv {

namespace {

// A column: its schema entry plus how to print it from, and parse it into, a row.
struct ColumnCodec {
  Column column;
  std::function<std::string(const ResultRow&)> get;
  std::function<std::string(ResultRow&, const std::string&)> set;  // "" = ok
};

std::string int_text(std::int64_t v) { return std::to_string(v); }

std::optional<std::int64_t> parse_int(std::string_view s) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

std::string bad(std::string_view column, const std::string& text) {
  return "column " + std::string(column) + ": cannot parse '" + text + "'";
}

ColumnCodec text(std::string_view name, std::string ResultRow::*m) {
  return {{name, ColumnKind::text},
          [m](const ResultRow& r) { return r.*m; },
          [m](ResultRow& r, const std::string& s) { r.*m = s; return std::string(); }};
}

ColumnCodec opt_real(std::string_view name, std::optional<double> ResultRow::*m) {
  return {{name, ColumnKind::real},
          [m](const ResultRow& r) { return (r.*m) ? format_real(*(r.*m)) : std::string(); },
          [m, name](ResultRow& r, const std::string& s) {
            if (s.empty()) { r.*m = std::nullopt; return std::string(); }
            auto v = parse_real(s);
            if (!v) return bad(name, s);
            r.*m = *v;
            return std::string();
          }};
}

ColumnCodec opt_int(std::string_view name, std::optional<std::int64_t> ResultRow::*m) {
  return {{name, ColumnKind::integer},
          [m](const ResultRow& r) { return (r.*m) ? int_text(*(r.*m)) : std::string(); },
          [m, name](ResultRow& r, const std::string& s) {
            if (s.empty()) { r.*m = std::nullopt; return std::string(); }
            auto v = parse_int(s);
            if (!v) return bad(name, s);
            r.*m = *v;
            return std::string();
          }};
}

ColumnCodec problem_int(std::string_view name, std::int64_t Problem::*m) {
  return {{name, ColumnKind::integer},
          [m](const ResultRow& r) { return int_text(r.problem.*m); },
          [m, name](ResultRow& r, const std::string& s) {
            auto v = parse_int(s);
            if (!v) return bad(name, s);
            r.problem.*m = *v;
            return std::string();
          }};
}

ColumnCodec derived_int(std::string_view name, std::int64_t (Problem::*f)() const) {
  return {{name, ColumnKind::integer},
          [f](const ResultRow& r) { return int_text((r.problem.*f)()); },
          [](ResultRow&, const std::string&) { return std::string(); }};
}

ColumnCodec opt_bool(std::string_view name, std::optional<bool> ResultRow::*m) {
  return {{name, ColumnKind::boolean},
          [m](const ResultRow& r) { return (r.*m) ? std::string(*(r.*m) ? "1" : "0") : std::string(); },
          [m, name](ResultRow& r, const std::string& s) {
            if (s.empty()) r.*m = std::nullopt;
            else if (s == "0" || s == "1") r.*m = s == "1";
            else return bad(name, s);
            return std::string();
          }};
}

template <class Enum, class Parse>
ColumnCodec enumerated(std::string_view name, Enum ResultRow::*m, Parse parse) {
  return {{name, ColumnKind::text},
          [m](const ResultRow& r) { return std::string(to_string(r.*m)); },
          [m, name, parse](ResultRow& r, const std::string& s) {
            auto v = parse(s);
            if (!v) return bad(name, s);
            r.*m = *v;
            return std::string();
          }};
}

template <class Enum, class Parse>
ColumnCodec problem_enum(std::string_view name, Enum Problem::*m, Parse parse) {
  return {{name, ColumnKind::text},
          [m](const ResultRow& r) { return std::string(to_string(r.problem.*m)); },
          [m, name, parse](ResultRow& r, const std::string& s) {
            auto v = parse(s);
            if (!v) return bad(name, s);
            r.problem.*m = *v;
            return std::string();
          }};
}

const std::vector<ColumnCodec>& codecs() {
  static const std::vector<ColumnCodec> table = [] {
    std::vector<ColumnCodec> t;
    t.push_back(text("case", &ResultRow::case_name));
    t.push_back(text("backend", &ResultRow::backend));
    t.push_back(text("variant", &ResultRow::variant));
    t.push_back(enumerated("direction", &ResultRow::direction, parse_direction));
    t.push_back(problem_enum("dtype", &Problem::dtype, parse_dtype));
    t.push_back(enumerated("status", &ResultRow::status, parse_outcome));
    t.push_back(text("reason", &ResultRow::reason));
    t.push_back(opt_real("max_abs_err", &ResultRow::max_abs_err));
    t.push_back(opt_real("max_rel_err", &ResultRow::max_rel_err));
    t.push_back(opt_real("err_bound_ratio", &ResultRow::err_bound_ratio));
    t.push_back(opt_int("mismatches", &ResultRow::mismatches));
    t.push_back(opt_int("elements", &ResultRow::elements));
    t.push_back(opt_real("zero_fraction", &ResultRow::zero_fraction));
    t.push_back(opt_real("time_ms", &ResultRow::time_ms));
    t.push_back(opt_real("time_min_ms", &ResultRow::time_min_ms));
    t.push_back(opt_real("time_max_ms", &ResultRow::time_max_ms));
    t.push_back(opt_int("repeats", &ResultRow::repeats));
    t.push_back(text("timer", &ResultRow::timer));
    t.push_back(opt_real("gflops", &ResultRow::gflops));
    t.push_back(opt_real("gbps", &ResultRow::gbps));
    t.push_back(text("math", &ResultRow::math));
    t.push_back(text("repro", &ResultRow::repro));
    t.push_back(problem_int("n", &Problem::n));
    t.push_back(problem_int("c_in", &Problem::c_in));
    t.push_back(problem_int("c_out", &Problem::c_out));
    t.push_back(problem_int("groups", &Problem::groups));
    t.push_back(problem_int("h_in", &Problem::h_in));
    t.push_back(problem_int("w_in", &Problem::w_in));
    t.push_back(problem_int("kh", &Problem::kh));
    t.push_back(problem_int("kw", &Problem::kw));
    t.push_back(problem_int("stride_h", &Problem::stride_h));
    t.push_back(problem_int("stride_w", &Problem::stride_w));
    t.push_back(problem_int("dil_h", &Problem::dil_h));
    t.push_back(problem_int("dil_w", &Problem::dil_w));
    t.push_back(problem_int("pad_top", &Problem::pad_top));
    t.push_back(problem_int("pad_bottom", &Problem::pad_bottom));
    t.push_back(problem_int("pad_left", &Problem::pad_left));
    t.push_back(problem_int("pad_right", &Problem::pad_right));
    t.push_back({{"bias", ColumnKind::boolean},
                 [](const ResultRow& r) { return std::string(r.problem.bias ? "1" : "0"); },
                 [](ResultRow& r, const std::string& s) {
                   if (s != "0" && s != "1") return bad("bias", s);
                   r.problem.bias = s == "1";
                   return std::string();
                 }});
    t.push_back(problem_enum("layout", &Problem::layout, parse_layout));
    t.push_back(problem_enum("weight_layout", &Problem::weight_layout, parse_layout));
    t.push_back(derived_int("h_out", &Problem::h_out));
    t.push_back(derived_int("w_out", &Problem::w_out));
    t.push_back(text("source", &ResultRow::source));
    t.push_back(text("first_mismatches", &ResultRow::first_mismatches));
    // Added in schema 1 after first_mismatches (columns are only ever appended).
    t.push_back(text("algorithm", &ResultRow::algorithm));
    t.push_back(opt_int("workspace_bytes", &ResultRow::workspace_bytes));
    t.push_back(opt_bool("deterministic", &ResultRow::deterministic));
    t.push_back(opt_real("repeat_max_diff", &ResultRow::repeat_max_diff));
    // Added after repeat_max_diff (issue 14).
    t.push_back(opt_real("max_ulp", &ResultRow::max_ulp));
    // Added after max_ulp (issue 17).
    t.push_back(text("reference", &ResultRow::reference));
    return t;
  }();
  return table;
}

}  // namespace

const std::vector<Column>& result_columns() {
  static const std::vector<Column> columns = [] {
    std::vector<Column> c;
    for (const auto& codec : codecs()) c.push_back(codec.column);
    return c;
  }();
  return columns;
}

std::vector<std::string> row_fields(const ResultRow& r) {
  std::vector<std::string> out;
  out.reserve(codecs().size());
  for (const auto& codec : codecs()) out.push_back(codec.get(r));
  return out;
}

Status row_from_fields(const std::vector<std::string>& fields, ResultRow* out) {
  const auto& table = codecs();
  if (fields.size() != table.size())
    return Status::Invalid("expected " + std::to_string(table.size()) + " fields, got " + std::to_string(fields.size()));
  ResultRow r;
  for (std::size_t i = 0; i < table.size(); ++i)
    if (std::string err = table[i].set(r, fields[i]); !err.empty()) return Status::Invalid(std::move(err));
  *out = std::move(r);
  return Status::Ok();
}

std::string format_real(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[64];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, p) : std::string("nan");
}

std::optional<double> parse_real(std::string_view s) {
  if (s == "nan") return std::nan("");
  if (s == "inf") return HUGE_VAL;
  if (s == "-inf") return -HUGE_VAL;
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace tconv
