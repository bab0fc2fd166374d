#include "conformance/conventions/param_text.h"

#include "conformance/suite/did_you_mean.h"

namespace tconv::conventions {

std::vector<std::string> split_params(std::string_view text) {
  std::vector<std::string> out;
  std::string cur;
  int depth = 0;
  for (char c : text) {
    if (c == '[' || c == '(') ++depth;
    if (c == ']' || c == ')') --depth;
    if ((c == ' ' || c == '\t' || c == '\n') && depth <= 0) {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

namespace {

// Python tuples and bare "2,1" become YAML flow lists.
std::string as_yaml(std::string v) {
  for (char& c : v) {
    if (c == '(') c = '[';
    if (c == ')') c = ']';
  }
  if (!v.empty() && v.front() != '[' && v.find(',') != std::string::npos) v = "[" + v + "]";
  return v;
}

}  // namespace

Result<ParamSet> parse_param_text(const Convention& convention, std::string_view text) {
  return parse_param_text(convention.name(), convention.keys(), text);
}

Result<ParamSet> parse_param_text(std::string_view what, const std::vector<KeySpec>& keys, std::string_view text) {
  ParamSet params(&keys);
  std::vector<std::string> names;
  for (const KeySpec& k : keys) names.push_back(k.name);
  for (const std::string& token : split_params(text)) {
    const auto eq = token.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == token.size())
      return Result<ParamSet>::failure("'" + token + "': expected key=value");
    const std::string key = token.substr(0, eq), value = token.substr(eq + 1);
    const KeySpec* spec = nullptr;
    for (const KeySpec& k : keys)
      if (k.name == key) spec = &k;
    if (!spec) {
      std::string known;
      for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
      return Result<ParamSet>::failure("unknown " + std::string(what) + " parameter '" + key + "'" +
                                       suite::did_you_mean(key, names) + " (it takes " + known + ")");
    }
    if (params.given(key)) return Result<ParamSet>::failure(key + ": given twice");
    YAML::Node node;
    try {
      node = YAML::Load(as_yaml(value));
    } catch (const YAML::Exception& e) {
      return Result<ParamSet>::failure(key + ": cannot read '" + value + "': " + e.msg);
    }
    auto v = suite::parse_value(node, spec->spec);
    if (!v) return Result<ParamSet>::failure(key + ": " + v.error());
    params.set(key, Param{std::move(v.value()), YAML::Mark(), key, value});
  }
  return params;
}

}  // namespace tconv::conventions
