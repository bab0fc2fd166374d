#include "conformance/results/row_csv.h"

#include "conformance/results/row_columns.h"

namespace tconv {

namespace {

struct FieldWriter {
  std::vector<std::string>& out;

  void operator()(std::string_view, const std::string& s) { out.push_back(s); }
  void operator()(std::string_view, std::int64_t v) { out.push_back(std::to_string(v)); }
  void operator()(std::string_view, double v) { out.push_back(format_real(v)); }
  void operator()(std::string_view, bool b) { out.emplace_back(b ? "1" : "0"); }
  template <class E>
    requires std::is_enum_v<E>
  void operator()(std::string_view, E e) {
    out.emplace_back(to_string(e));
  }
  template <class T>
  void operator()(std::string_view name, const std::optional<T>& v) {
    if (v) (*this)(name, *v);
    else out.emplace_back();
  }
  const ResultRow* row;
  void operator()(std::string_view, const DerivedColumn& d) { out.push_back(std::to_string((row->problem.*d.of)())); }
};

bool parse_field(const std::string& s, std::string& out) {
  out = s;
  return true;
}
bool parse_field(const std::string& s, std::int64_t& out) { return assign_parsed(parse_int64(s), out); }
bool parse_field(const std::string& s, double& out) { return assign_parsed(parse_real(s), out); }
bool parse_field(const std::string& s, bool& out) {
  if (s != "0" && s != "1") return false;
  out = s == "1";
  return true;
}
template <class E>
  requires std::is_enum_v<E>
bool parse_field(const std::string& s, E& out) {
  return parse_enum(s, out);
}
template <class T>
bool parse_field(const std::string& s, std::optional<T>& out) {
  return read_optional(s.empty(), out, [&](T& v) { return parse_field(s, v); });
}

struct FieldReader {
  const std::vector<std::string>& fields;
  std::size_t next = 0;
  std::string error;

  template <class T>
  void operator()(std::string_view name, T& field) {
    const std::string& s = fields[next++];
    if (error.empty() && !parse_field(s, field))
      error = "column " + std::string(name) + ": cannot parse '" + s + "'";
  }
  void operator()(std::string_view, const DerivedColumn&) { ++next; }
};

}  // namespace

std::vector<std::string> row_fields(const ResultRow& r) {
  std::vector<std::string> out;
  out.reserve(result_columns().size());
  visit_columns(r, FieldWriter{out, &r});
  return out;
}

Status row_from_fields(const std::vector<std::string>& fields, ResultRow* out) {
  if (fields.size() != result_columns().size())
    return Status::Invalid("expected " + std::to_string(result_columns().size()) + " fields, got " +
                           std::to_string(fields.size()));
  ResultRow r;
  FieldReader reader{fields, 0, {}};
  visit_columns(r, reader);
  if (!reader.error.empty()) return Status::Invalid(reader.error);
  *out = std::move(r);
  return Status::Ok();
}

}  // namespace tconv
