#include "conformance/suite/setting.h"

#include <algorithm>

#include "conformance/suite/did_you_mean.h"
#include "conformance/suite/error.h"

namespace tconv::suite {

namespace {

using conventions::Convention;

const conventions::KeySpec* find_key(const Convention& c, std::string_view key) {
  for (const auto& k : c.keys())
    if (k.name == key) return &k;
  return nullptr;
}

std::vector<std::string> direction_names() {
  std::vector<std::string> names{"all"};
  for (Direction d : kAllDirections) names.emplace_back(to_string(d));
  return names;
}

std::vector<Direction> read_directions(const YAML::Node& node, const std::string& path, const YAML::Mark& mark,
                                       const std::string& file) {
  if (!node.IsScalar() && !node.IsSequence())
    fail(file, mark, path, "expected a direction or a list of them (fwd, bwd_data, bwd_weights, bwd_bias, all)");
  std::vector<Direction> out;
  std::size_t i = 0;
  for (const YAML::Node& e : as_list(node)) {
    const std::string where = node.IsSequence() ? index_path(path, i) : path;
    const YAML::Mark at = mark_or(e, mark);
    ++i;
    if (!e.IsScalar()) fail(file, at, where, "expected a direction, got '" + node_text(e) + "'");
    if (e.Scalar() == "all") {
      for (Direction d : kAllDirections)
        if (std::find(out.begin(), out.end(), d) == out.end()) out.push_back(d);
      continue;
    }
    auto d = parse_direction(e.Scalar());
    if (!d) fail(file, at, where, "unknown direction '" + e.Scalar() + "'" + did_you_mean(e.Scalar(), direction_names()) +
                                      ": expected fwd, bwd_data, bwd_weights, bwd_bias or all");
    if (std::find(out.begin(), out.end(), *d) != out.end()) fail(file, at, where, "direction '" + e.Scalar() + "' listed twice");
    out.push_back(*d);
  }
  if (out.empty()) fail(file, mark, path, "an empty list of directions runs nothing");
  return out;
}

FillSpec read_fill(const YAML::Node& node, const std::string& path, const YAML::Mark& mark,
                   const std::string& file, std::uint64_t seed) {
  static const std::vector<std::string> kinds = {"uniform", "normal", "integer", "exact", "random", "golden"};
  FillSpec spec;
  spec.seed = seed;
  // Pointers, not YAML::Node assignments: assigning a yaml-cpp node writes through to the
  // document node it refers to.
  const YAML::Node* kind = &node;
  std::string kind_path = path;
  static const YAML::Node default_kind("uniform");
  std::vector<Entry> entries;
  if (node.IsMap()) {
    kind = &default_kind;
    entries = mapping_entries(node, path, file, mark);
    for (const Entry& e : entries) {
      if (e.key == "kind") {
        kind = &e.value;
        kind_path = e.path;
      } else if (e.key == "seed") {
        auto v = parse_value(e.value, ValueSpec::integer_at_least(0));
        if (!v) fail(file, e.value_mark(), e.path, v.error());
        spec.seed = static_cast<std::uint64_t>(v->ints[0]);
      } else {
        fail_unknown_key(e, {"kind", "seed"}, file);
      }
    }
  }
  if (!kind->IsScalar()) fail(file, mark_or(*kind, mark), kind_path, "expected a fill (uniform, normal, integer, exact) or {kind: ..., seed: ...}");
  auto k = parse_fill_kind(kind->Scalar());
  if (!k) fail(file, mark_or(*kind, mark), kind_path, "unknown fill '" + kind->Scalar() + "'" + did_you_mean(kind->Scalar(), kinds) +
                                                         ": expected uniform, normal, integer, exact (or random = uniform)");
  spec.kind = *k;
  return spec;
}

}  // namespace

std::vector<std::string> setting_keys(const Convention& convention) {
  std::vector<std::string> keys = case_keys();
  for (const auto& k : convention.keys()) keys.push_back(k.name);
  return keys;
}

std::string other_convention_hint(const std::string& key, const Convention& convention) {
  std::string owners;
  for (const Convention* c : conventions::all_conventions())
    if (c != &convention && find_key(*c, key)) owners += (owners.empty() ? "" : ", ") + std::string(c->name());
  if (owners.empty()) return "";
  return "; '" + key + "' is a key of convention " + owners + ", this case is " + std::string(convention.name());
}

Setting read_setting(const std::string& key, const YAML::Node& node, const std::string& path,
                     const YAML::Mark& mark, const Convention& convention, const std::string& file,
                     std::uint64_t seed) {
  Setting s;
  s.param.mark = mark;
  s.param.path = path;
  s.param.written = node_text(node);
  if (node.IsNull() && (key == "directions" || key == "fill" || find_key(convention, key))) {
    s.absent = true;  // how Python's None reaches YAML (a Keras get_config() dump)
    return s;
  }
  if (key == "directions") {
    s.directions = read_directions(node, path, mark, file);
  } else if (key == "fill") {
    s.fill = read_fill(node, path, mark, file, seed);
  } else {
    const conventions::KeySpec* spec = find_key(convention, key);
    if (!spec) fail(file, mark, path, "unknown key '" + key + "'" + other_convention_hint(key, convention));
    auto v = parse_value(node, spec->spec);
    if (!v) fail(file, mark, path, v.error());
    s.param.value = std::move(v.value());
  }
  return s;
}

void put_setting(Settings& settings, const std::string& key, Setting s) {
  if (s.absent) {
    settings.erase(key);
  } else {
    settings[key] = std::move(s);
  }
}

const Convention& read_convention(const Entry& e, const std::string& file) {
  const std::string name = scalar_text(e.value, e.path, file, e.value_mark(), "a convention name");
  const Convention* c = conventions::find_convention(name);
  if (!c) {
    std::string known;
    for (const auto& n : conventions::convention_names()) known += (known.empty() ? "" : ", ") + n;
    fail(file, e.value_mark(), e.path, "unknown convention '" + name + "'" + did_you_mean(name, conventions::convention_names()) +
                                           ": this build knows " + known);
  }
  return *c;
}

Defaults::Defaults(const YAML::Node& node, const std::string& path, const std::string& file, std::uint64_t seed)
    : convention_(conventions::find_convention(conventions::kDefaultConvention)), file_(file), seed_(seed) {
  if (!node.IsDefined()) return;
  std::vector<std::string> known = case_keys();
  known.push_back("convention");
  for (const Convention* c : conventions::all_conventions())
    for (const auto& k : c->keys())
      if (std::find(known.begin(), known.end(), k.name) == known.end()) known.push_back(k.name);
  for (Entry& e : mapping_entries(node, path, file, node.Mark())) {
    if (e.key == "convention") {
      convention_ = &read_convention(e, file);
      continue;
    }
    if (std::find(known.begin(), known.end(), e.key) == known.end()) fail_unknown_key(e, known, file);
    entries_.push_back(std::move(e));
  }
  // Check every value now against each convention that has its key, so a bad default is
  // reported even when no case happens to use it.
  for (const Convention* c : conventions::all_conventions()) for_convention(*c);
}

Settings Defaults::for_convention(const Convention& convention) const {
  Settings out;
  const std::vector<std::string> keys = setting_keys(convention);
  for (const Entry& e : entries_)
    if (std::find(keys.begin(), keys.end(), e.key) != keys.end())
      put_setting(out, e.key, read_setting(e.key, e.value, e.path, e.value_mark(), convention, file_, seed_));
  return out;
}

}  // namespace tconv::suite
