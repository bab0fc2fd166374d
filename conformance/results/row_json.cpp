#include "conformance/results/row_json.h"

#include <cmath>

#include "conformance/results/row_columns.h"

namespace tconv {

using json = nlohmann::ordered_json;

namespace {

json value_of(const std::string& s) { return s; }
json value_of(std::int64_t v) { return v; }
json value_of(bool b) { return b; }
json value_of(double v) {
  if (std::isfinite(v)) return v;
  return format_real(v);  // kept as text rather than lost as null
}
template <class E>
  requires std::is_enum_v<E>
json value_of(E e) {
  return std::string(to_string(e));
}
template <class T>
json value_of(const std::optional<T>& v) {
  return v ? value_of(*v) : json(nullptr);
}

struct ObjectWriter {
  json& out;
  const ResultRow& row;

  template <class T>
  void operator()(std::string_view name, const T& field) {
    out[std::string(name)] = value_of(field);
  }
  void operator()(std::string_view name, const DerivedColumn& d) {
    out[std::string(name)] = (row.problem.*d.of)();
  }
};

// `v` is the column's value, nullptr when the key is missing.
bool read_value(const json* v, std::string& out) {
  if (!v || v->is_null()) out.clear();
  else if (v->is_string()) out = v->get<std::string>();
  else return false;
  return true;
}
bool read_value(const json* v, std::int64_t& out) {
  if (!v) return false;
  if (v->is_number_integer()) out = v->get<std::int64_t>();
  else if (v->is_string()) return assign_parsed(parse_int64(v->get<std::string>()), out);
  else return false;
  return true;
}
bool read_value(const json* v, double& out) {
  if (!v) return false;
  if (v->is_number()) out = v->get<double>();
  else if (v->is_string()) return assign_parsed(parse_real(v->get<std::string>()), out);
  else return false;
  return true;
}
bool read_value(const json* v, bool& out) {
  if (!v) return false;
  if (v->is_boolean()) out = v->get<bool>();
  else if (v->is_number_integer() && (*v == 0 || *v == 1)) out = *v == 1;
  else return false;
  return true;
}
template <class E>
  requires std::is_enum_v<E>
bool read_value(const json* v, E& out) {
  return v && v->is_string() && parse_enum(v->get<std::string>(), out);
}
template <class T>
bool read_value(const json* v, std::optional<T>& out) {
  // Absent: a missing key (an older run), null, or an empty text (read as absent before, too).
  const bool absent = !v || v->is_null() || (v->is_string() && v->get<std::string>().empty());
  return read_optional(absent, out, [&](T& x) { return read_value(v, x); });
}

struct ObjectReader {
  const json& in;
  std::string error;

  template <class T>
  void operator()(std::string_view name, T& field) {
    if (!error.empty()) return;
    const auto it = in.find(std::string(name));
    const json* v = it == in.end() ? nullptr : &*it;
    if (!read_value(v, field))
      error = "column " + std::string(name) + ": cannot read " + (v ? v->dump() : std::string("(missing)"));
  }
  void operator()(std::string_view, const DerivedColumn&) {}
};

}  // namespace

json row_to_json(const ResultRow& row) {
  json out = json::object();
  visit_columns(row, ObjectWriter{out, row});
  return out;
}

Result<ResultRow> row_from_json(const json& j) {
  if (!j.is_object()) return Result<ResultRow>::failure("a row is not a JSON object");
  ResultRow row;
  ObjectReader reader{j, {}};
  visit_columns(row, reader);
  if (!reader.error.empty()) return Result<ResultRow>::failure(reader.error);
  return row;
}

}  // namespace tconv
