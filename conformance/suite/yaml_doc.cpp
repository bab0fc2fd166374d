#include "conformance/suite/yaml_doc.h"

#include <set>

#include "conformance/suite/did_you_mean.h"
#include "conformance/suite/error.h"
#include "conformance/suite/value.h"

namespace tconv::suite {

namespace {

// yaml-cpp tags: "?" plain scalar, "!" quoted scalar, "" or "?" collections.
void reject_tags(const YAML::Node& node, const std::string& path, const std::string& file) {
  const std::string& tag = node.Tag();
  if (!tag.empty() && tag != "?" && tag != "!" && tag != "tag:yaml.org,2002:map" && tag != "tag:yaml.org,2002:seq")
    fail(file, node.Mark(), path.empty() ? "(document)" : path,
         "unexpected YAML tag '" + tag + "' (a value starting with '!' must be quoted, e.g. where: \"!depthwise\")");
  if (node.IsSequence())
    for (std::size_t i = 0; i < node.size(); ++i) reject_tags(node[i], index_path(path, i), file);
  if (node.IsMap())
    for (auto it = node.begin(); it != node.end(); ++it) {
      const std::string key = it->first.IsScalar() ? it->first.Scalar() : "?";
      reject_tags(it->first, path, file);
      reject_tags(it->second, child_path(path, key), file);
    }
}

}  // namespace

YAML::Mark Entry::value_mark() const {
  return value.IsNull() ? key_node.Mark() : mark_or(value, key_node.Mark());
}

YAML::Node load_document(const std::string& text, const std::string& file) {
  std::vector<YAML::Node> docs;
  try {
    docs = YAML::LoadAll(text);
  } catch (const YAML::ParserException& e) {
    fail(file, e.mark, "(yaml)", "syntax error: " + e.msg);
  } catch (const YAML::Exception& e) {
    fail(file, e.mark, "(yaml)", e.msg);
  }
  if (docs.empty() || docs[0].IsNull()) fail(file, YAML::Mark(), "(document)", "empty suite: expected a mapping with `suite:` and `sweeps:` or `cases:`");
  if (docs.size() > 1) fail(file, docs[1].Mark(), "(document)", "more than one YAML document ('---'): one suite per file");
  reject_tags(docs[0], "", file);
  return docs[0];
}

std::vector<Entry> mapping_entries(const YAML::Node& node, const std::string& path,
                                   const std::string& file, const YAML::Mark& where) {
  if (!node.IsMap())
    fail(file, mark_or(node, where), path.empty() ? "(document)" : path,
         "expected a mapping (key: value lines), got " + (node.IsNull() ? std::string("nothing") : "'" + node_text(node) + "'"));
  std::vector<Entry> out;
  std::set<std::string> seen;
  for (auto it = node.begin(); it != node.end(); ++it) {
    if (!it->first.IsScalar())
      fail(file, mark_or(it->first, where), path.empty() ? "(document)" : path, "a key must be a plain word, got '" + node_text(it->first) + "'");
    Entry e{it->first.Scalar(), it->first, it->second, child_path(path, it->first.Scalar())};
    if (!seen.insert(e.key).second) fail(file, e.key_mark(), e.path, "key given twice in one mapping");
    out.push_back(std::move(e));
  }
  return out;
}

void fail_unknown_key(const Entry& e, const std::vector<std::string>& valid, const std::string& file,
                      const std::string& hint) {
  fail(file, e.key_mark(), e.path, "unknown key '" + e.key + "'" + did_you_mean(e.key, valid) + hint);
}

YAML::Mark mark_or(const YAML::Node& node, const YAML::Mark& fallback) {
  if (!node.IsDefined()) return fallback;
  const YAML::Mark m = node.Mark();
  return m.is_null() ? fallback : m;
}

std::string scalar_text(const YAML::Node& node, const std::string& path, const std::string& file,
                        const YAML::Mark& where, const std::string& what) {
  if (!node.IsScalar() || node.Scalar().empty())
    fail(file, mark_or(node, where), path, "expected " + what + ", got " + (node.IsNull() ? std::string("nothing") : "'" + node_text(node) + "'"));
  return node.Scalar();
}

std::vector<YAML::Node> as_list(const YAML::Node& node) {
  std::vector<YAML::Node> out;
  if (node.IsSequence())
    for (const auto& e : node) out.push_back(e);
  else
    out.push_back(node);
  return out;
}

}  // namespace tconv::suite
