#include "conformance/results/row.h"

#include <charconv>
#include <cmath>

#include "conformance/results/row_columns.h"

namespace tconv {

namespace {

template <class T>
struct KindOf;
template <>
struct KindOf<std::string> { static constexpr ColumnKind value = ColumnKind::text; };
template <>
struct KindOf<std::int64_t> { static constexpr ColumnKind value = ColumnKind::integer; };
template <>
struct KindOf<double> { static constexpr ColumnKind value = ColumnKind::real; };
template <>
struct KindOf<bool> { static constexpr ColumnKind value = ColumnKind::boolean; };
template <>
struct KindOf<DerivedColumn> { static constexpr ColumnKind value = ColumnKind::integer; };
template <class T>
struct KindOf<std::optional<T>> : KindOf<T> {};

template <class T>
constexpr ColumnKind kind_of() {
  if constexpr (std::is_enum_v<T>) return ColumnKind::text;  // written by name
  else return KindOf<T>::value;
}

}  // namespace

const std::vector<Column>& result_columns() {
  static const std::vector<Column> columns = [] {
    std::vector<Column> c;
    const ResultRow row;
    visit_columns(row, [&](std::string_view name, const auto& field) {
      c.push_back({name, kind_of<std::remove_cvref_t<decltype(field)>>()});
    });
    return c;
  }();
  return columns;
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

std::optional<std::int64_t> parse_int64(std::string_view s) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace tconv
