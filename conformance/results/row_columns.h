// The columns of a result row, once: name, order and C++ type of each. Every format's
// writer and reader (row_csv.cpp, row_json.cpp) and the schema (result_columns()) visit this
// list, so a new column is one line here (appended: older files must still read).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <type_traits>

#include "conformance/results/row.h"

namespace tconv {

// A column computed from the others: written, ignored when read.
struct DerivedColumn {
  std::int64_t (Problem::*of)() const;
};

// Calls visit(name, field) for each column in order, with the row's own member (an lvalue
// of its type: std::string, an enum, std::int64_t, bool, std::optional<...>) or a
// DerivedColumn. Row is ResultRow (readers) or const ResultRow (writers).
template <class Row, class Visit>
void visit_columns(Row& r, Visit&& visit) {
  static_assert(std::is_same_v<std::remove_const_t<Row>, ResultRow>);
  auto& p = r.problem;
  visit("case", r.case_name);
  visit("backend", r.backend);
  visit("variant", r.variant);
  visit("direction", r.direction);
  visit("dtype", p.dtype);
  visit("status", r.status);
  visit("reason", r.reason);
  visit("max_abs_err", r.max_abs_err);
  visit("max_rel_err", r.max_rel_err);
  visit("err_bound_ratio", r.err_bound_ratio);
  visit("mismatches", r.mismatches);
  visit("elements", r.elements);
  visit("zero_fraction", r.zero_fraction);
  visit("time_ms", r.time_ms);
  visit("time_min_ms", r.time_min_ms);
  visit("time_max_ms", r.time_max_ms);
  visit("repeats", r.repeats);
  visit("timer", r.timer);
  visit("gflops", r.gflops);
  visit("gbps", r.gbps);
  visit("math", r.math);
  visit("repro", r.repro);
  visit("n", p.n);
  visit("c_in", p.c_in);
  visit("c_out", p.c_out);
  visit("groups", p.groups);
  visit("h_in", p.h_in);
  visit("w_in", p.w_in);
  visit("kh", p.kh);
  visit("kw", p.kw);
  visit("stride_h", p.stride_h);
  visit("stride_w", p.stride_w);
  visit("dil_h", p.dil_h);
  visit("dil_w", p.dil_w);
  visit("pad_top", p.crop_top);
  visit("pad_bottom", p.crop_bottom);
  visit("pad_left", p.crop_left);
  visit("pad_right", p.crop_right);
  visit("bias", p.bias);
  visit("layout", p.layout);
  visit("weight_layout", p.weight_layout);
  visit("h_out", DerivedColumn{&Problem::h_out});
  visit("w_out", DerivedColumn{&Problem::w_out});
  visit("source", r.source);
  visit("first_mismatches", r.first_mismatches);
  // Appended in schema 1 after first_mismatches (columns are only ever appended).
  visit("algorithm", r.algorithm);
  visit("workspace_bytes", r.workspace_bytes);
  visit("deterministic", r.deterministic);
  visit("repeat_max_diff", r.repeat_max_diff);
  visit("max_ulp", r.max_ulp);    // issue 14
  visit("reference", r.reference);  // issue 17
  visit("staging_ms", r.staging_ms);  // issue 16
}

// The enums a row holds, by their names (to_string / parse_*); false when `s` names none.
template <class E>
bool assign_parsed(const std::optional<E>& parsed, E& out) {
  if (parsed) out = *parsed;
  return parsed.has_value();
}
inline bool parse_enum(std::string_view s, Direction& out) { return assign_parsed(parse_direction(s), out); }
inline bool parse_enum(std::string_view s, Outcome& out) { return assign_parsed(parse_outcome(s), out); }
inline bool parse_enum(std::string_view s, DType& out) { return assign_parsed(parse_dtype(s), out); }
inline bool parse_enum(std::string_view s, Layout& out) { return assign_parsed(parse_layout(s), out); }

// An optional column: absent (reset) when `absent`, else read(T&) parses its value.
template <class T, class Read>
bool read_optional(bool absent, std::optional<T>& out, Read&& read) {
  if (absent) {
    out.reset();
    return true;
  }
  T v{};
  if (!read(v)) return false;
  out = v;
  return true;
}

}  // namespace tconv
