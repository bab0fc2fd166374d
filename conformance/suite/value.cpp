#include "conformance/suite/value.h"

#include <charconv>

#include "conformance/suite/did_you_mean.h"

namespace tconv::suite {

namespace {

std::string join(const std::vector<std::string>& words) {
  std::string s;
  for (std::size_t i = 0; i < words.size(); ++i) s += (i ? ", " : "") + words[i];
  return s;
}

std::optional<std::int64_t> parse_int(const std::string& s) {
  std::string_view v = s;
  if (!v.empty() && v.front() == '+') v.remove_prefix(1);
  std::int64_t out = 0;
  auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (v.empty() || ec != std::errc() || ptr != v.data() + v.size()) return std::nullopt;
  return out;
}

std::string found(const YAML::Node& node) {
  if (node.IsNull()) return "nothing";
  return "'" + node_text(node) + "'";
}

}  // namespace

ValueSpec ValueSpec::integer_at_least(std::int64_t min, std::vector<std::string> keywords) {
  ValueSpec s;
  s.kind = ValueKind::integer;
  s.min = min;
  s.keywords = std::move(keywords);
  return s;
}

ValueSpec ValueSpec::ints_at_least(int count, std::int64_t min, std::string shape, std::vector<std::string> keywords) {
  ValueSpec s;
  s.kind = ValueKind::ints;
  s.count = count;
  s.min = min;
  s.shape = std::move(shape);
  s.keywords = std::move(keywords);
  return s;
}

ValueSpec ValueSpec::one_of(std::vector<std::string> choices) {
  ValueSpec s;
  s.kind = ValueKind::choice;
  s.choices = std::move(choices);
  return s;
}

ValueSpec ValueSpec::boolean() {
  ValueSpec s;
  s.kind = ValueKind::boolean;
  return s;
}

std::string ValueSpec::describe() const {
  const bool bounded = min != std::numeric_limits<std::int64_t>::min();
  const std::string integer = bounded ? "an integer >= " + std::to_string(min) : "an integer";
  switch (kind) {
    case ValueKind::integer: {
      std::string s = integer;
      for (const auto& k : keywords) s += " or '" + k + "'";
      return s;
    }
    case ValueKind::ints: {
      std::string s = integer + " or " + shape + (any_count ? " (any length)" : "");
      for (const auto& k : keywords) s += " or '" + k + "'";
      return s;
    }
    case ValueKind::choice: return "one of " + join(choices);
    case ValueKind::boolean: return "true or false";
  }
  return "?";
}

Result<Value> parse_value(const YAML::Node& node, const ValueSpec& spec) {
  auto expected = [&](const std::string& extra = "") {
    return Result<Value>::failure("expected " + spec.describe() + ", got " + found(node) + extra);
  };
  auto one_int = [&](const YAML::Node& n) -> std::optional<std::int64_t> {
    if (!n.IsScalar()) return std::nullopt;
    return parse_int(n.Scalar());
  };
  auto in_range = [&](std::int64_t v) { return v >= spec.min; };

  switch (spec.kind) {
    case ValueKind::integer: {
      if (node.IsScalar()) {
        for (const auto& k : spec.keywords)
          if (node.Scalar() == k) return Value{{}, k};
      }
      auto v = one_int(node);
      if (!v) return expected(node.IsScalar() ? did_you_mean(node.Scalar(), spec.keywords) : "");
      if (!in_range(*v)) return Result<Value>::failure("value " + std::to_string(*v) + " out of range: expected " + spec.describe());
      return Value{{*v}, ""};
    }
    case ValueKind::ints: {
      std::vector<std::int64_t> out;
      if (node.IsScalar()) {
        for (const auto& k : spec.keywords)
          if (node.Scalar() == k) return Value{{}, k};
        auto v = one_int(node);
        if (!v) return expected(did_you_mean(node.Scalar(), spec.keywords));
        out.assign(static_cast<std::size_t>(spec.count), *v);
      } else if (node.IsSequence()) {
        std::vector<YAML::Node> items;
        for (const auto& e : node) {
          if (spec.flatten && e.IsSequence())
            for (const auto& inner : e) items.push_back(inner);
          else
            items.push_back(e);
        }
        if (items.size() != static_cast<std::size_t>(spec.count) && !(spec.any_count && !items.empty()))
          return expected(" (" + std::to_string(items.size()) + " values, need " + std::to_string(spec.count) + ")");
        for (const auto& e : items) {
          auto v = one_int(e);
          if (!v) return expected();
          out.push_back(*v);
        }
      } else {
        return expected();
      }
      for (std::int64_t v : out)
        if (!in_range(v)) return Result<Value>::failure("value " + std::to_string(v) + " out of range: expected " + spec.describe());
      return Value{out, ""};
    }
    case ValueKind::choice: {
      if (node.IsScalar())
        for (const auto& c : spec.choices)
          if (node.Scalar() == c) return Value{{}, c};
      return expected(node.IsScalar() ? did_you_mean(node.Scalar(), spec.choices) : "");
    }
    case ValueKind::boolean: {
      if (node.IsScalar()) {
        const std::string& s = node.Scalar();
        if (s == "true" || s == "True" || s == "TRUE") return Value{{}, "true"};
        if (s == "false" || s == "False" || s == "FALSE") return Value{{}, "false"};
      }
      return expected();
    }
  }
  return expected();
}

std::string node_text(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull()) return "null";
  if (node.IsScalar()) return node.Scalar();
  std::string s;
  if (node.IsSequence()) {
    s = "[";
    std::size_t i = 0;
    for (const auto& e : node) s += (i++ ? ", " : "") + node_text(e);
    return s + "]";
  }
  s = "{";
  std::size_t i = 0;
  for (auto it = node.begin(); it != node.end(); ++it)
    s += (i++ ? ", " : "") + node_text(it->first) + ": " + node_text(it->second);
  return s + "}";
}

}  // namespace tconv::suite
