// One written key of a case (from defaults, a sweep value or the case itself), parsed and
// located: a convention parameter, or one of the keys every case has (directions, fill).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "conformance/case.h"
#include "conformance/conventions/convention.h"
#include "conformance/suite/yaml_doc.h"

namespace tconv::suite {

struct Setting {
  conventions::Param param;            // value (convention keys), mark, path, text as written
  std::vector<Direction> directions;   // key "directions"
  FillSpec fill;                       // key "fill"
  bool absent = false;                 // written as YAML null (`~`, `null`, nothing): the key
                                       // is not given (its default applies, or None)
};

using Settings = std::map<std::string, Setting, std::less<>>;

// Keys any case may set whatever its convention.
inline const std::vector<std::string>& case_keys() {
  static const std::vector<std::string> keys = {"directions", "fill"};
  return keys;
}

// Everything `convention` accepts plus case_keys().
std::vector<std::string> setting_keys(const conventions::Convention& convention);

// Parses `node` as the value of `key` under `convention` (one value, not a list of sweep
// alternatives). The caller has checked that the key is known. `seed` is the fill seed
// when `fill` gives none.
Setting read_setting(const std::string& key, const YAML::Node& node, const std::string& path,
                     const YAML::Mark& mark, const conventions::Convention& convention,
                     const std::string& file, std::uint64_t seed);

// settings[key] = s, or, for a null value, the key left out (over a default written before).
void put_setting(Settings& settings, const std::string& key, Setting s);

// A key the convention does not accept: names the conventions that do, if any.
std::string other_convention_hint(const std::string& key, const conventions::Convention& convention);

// The `defaults:` block. Its keys are checked once against every convention; each value is
// parsed against the convention of the case that uses it, at the default's own location.
class Defaults {
 public:
  Defaults() = default;
  Defaults(const YAML::Node& node, const std::string& path, const std::string& file, std::uint64_t seed);

  const conventions::Convention& convention() const { return *convention_; }
  // The defaults that apply to a case of `convention`: those whose key it accepts.
  Settings for_convention(const conventions::Convention& convention) const;

 private:
  std::vector<Entry> entries_;
  const conventions::Convention* convention_ = nullptr;
  std::string file_;
  std::uint64_t seed_ = 1;
};

// `convention: NAME`, checked against the registry.
const conventions::Convention& read_convention(const Entry& e, const std::string& file);

}  // namespace tconv::suite
