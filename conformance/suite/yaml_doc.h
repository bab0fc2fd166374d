// Reading a suite's YAML with locations: syntax errors, mapping entries with duplicate-key
// and unknown-key checks, and marks for values that yaml-cpp leaves without one.
#pragma once

#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

namespace tconv::suite {

// One `key: value` of a mapping, with its key path for messages.
struct Entry {
  std::string key;
  YAML::Node key_node;
  YAML::Node value;
  std::string path;
  YAML::Mark key_mark() const { return key_node.Mark(); }
  YAML::Mark value_mark() const;  // the value's mark, or the key's for an empty value
};

// The single document of `text`; syntax errors, several documents, an empty file and
// YAML tags (`!foo`, usually an unquoted expression starting with '!') are load errors.
YAML::Node load_document(const std::string& text, const std::string& file);

// Entries in order; not a mapping, a non-scalar key or a key given twice is a load error.
std::vector<Entry> mapping_entries(const YAML::Node& node, const std::string& path,
                                   const std::string& file, const YAML::Mark& where);

// "unknown key 'strid' (did you mean 'stride'?)" at the key, plus an optional hint.
[[noreturn]] void fail_unknown_key(const Entry& e, const std::vector<std::string>& valid,
                                   const std::string& file, const std::string& hint = "");

// The node's mark, or `fallback` when yaml-cpp has none (null or synthesized nodes).
YAML::Mark mark_or(const YAML::Node& node, const YAML::Mark& fallback);

// A scalar string value or a load error ("expected text").
std::string scalar_text(const YAML::Node& node, const std::string& path, const std::string& file,
                        const YAML::Mark& where, const std::string& what);

// Nodes of a sequence value, or the value itself as a one-element list when it is a scalar.
std::vector<YAML::Node> as_list(const YAML::Node& node);

}  // namespace tconv::suite
