#include "conformance/suite/explicit_case.h"

#include <algorithm>
#include <filesystem>
#include <set>

#include "conformance/suite/error.h"
#include "conformance/suite/golden_shapes.h"

namespace tconv::suite {

namespace {

// `bias: golden/b.npy` names the golden bias tensor; `bias: true/false` is the flag.
bool is_npy_path(const YAML::Node& n) {
  return n.IsScalar() && n.Scalar().size() > 4 && n.Scalar().ends_with(".npy");
}

// `expect: {y, dx, dw, db}`; `outputs` keeps the entries that `files` points to.
void read_expect(const Entry& e, const SuiteContext& ctx, GoldenFiles& g, std::vector<Entry>& outputs, GoldenEntries& files) {
  static const std::vector<std::string> names = {"y", "dx", "dw", "db"};
  outputs = mapping_entries(e.value, e.path, ctx.file, e.value_mark());
  for (const Entry& o : outputs) {
    std::string* slot = o.key == "y" ? &g.y : o.key == "dx" ? &g.dx : o.key == "dw" ? &g.dw : o.key == "db" ? &g.db : nullptr;
    const Entry** at = o.key == "y" ? &files.y : o.key == "dx" ? &files.dx : o.key == "dw" ? &files.dw : &files.db;
    if (!slot) fail_unknown_key(o, names, ctx.file);
    *slot = resolve_existing_file(o, ctx);
    *at = &o;
  }
}

}  // namespace

std::string resolve_existing_file(const Entry& e, const SuiteContext& ctx) {
  namespace fs = std::filesystem;
  const std::string written = scalar_text(e.value, e.path, ctx.file, e.value_mark(), "a .npy file path");
  fs::path p(written);
  if (p.is_relative()) p = fs::path(ctx.dir) / p;
  std::error_code ec;
  fs::path abs = fs::absolute(p, ec).lexically_normal();
  if (ec) abs = p.lexically_normal();
  if (!fs::is_regular_file(abs, ec))
    fail(ctx.file, e.value_mark(), e.path, "golden file not found: " + abs.string() + " (paths are relative to the YAML file)");
  return abs.string();
}

Case expand_explicit_case(const YAML::Node& node, const std::string& path,
                          const std::string& default_name, const SuiteContext& ctx) {
  const std::vector<Entry> entries = mapping_entries(node, path, ctx.file, node.Mark());
  CaseDraft d;
  d.convention = &ctx.defaults->convention();
  d.name = default_name;
  d.path = path;
  d.mark = node.Mark();
  for (const Entry& e : entries) {
    if (e.key == "convention") d.convention = &read_convention(e, ctx.file);
    if (e.key == "name") d.name = scalar_text(e.value, e.path, ctx.file, e.value_mark(), "a case name");
  }
  d.settings = ctx.defaults->for_convention(*d.convention);

  std::set<std::string> own_keys;  // sizes written by the case itself win over the tensors'
  GoldenEntries files;
  std::vector<Entry> outputs;
  std::vector<std::string> valid = setting_keys(*d.convention);
  for (const char* k : {"name", "convention", "x", "weight", "dy", "expect"}) valid.emplace_back(k);
  for (const Entry& e : entries) {
    if (e.key == "name" || e.key == "convention") continue;
    if (e.key == "x") {
      d.golden.x = resolve_existing_file(e, ctx);
      files.x = &e;
    } else if (e.key == "weight") {
      d.golden.weight = resolve_existing_file(e, ctx);
      files.weight = &e;
    } else if (e.key == "dy") {
      d.golden.dy = resolve_existing_file(e, ctx);
      files.dy = &e;
    } else if (e.key == "expect") {
      read_expect(e, ctx, d.golden, outputs, files);
    } else if (e.key == "bias" && is_npy_path(e.value)) {
      d.golden.bias = resolve_existing_file(e, ctx);
      files.bias = &e;
    } else if (std::find(valid.begin(), valid.end(), e.key) != valid.end()) {
      Setting s = read_setting(e.key, e.value, e.path, e.value_mark(), *d.convention, ctx.file, ctx.seed);
      if (!s.absent) own_keys.insert(e.key);
      put_setting(d.settings, e.key, std::move(s));
    } else if (e.key == "where" || e.key == "zip" || e.key == "sample") {
      fail(ctx.file, e.key_mark(), e.path, "'" + e.key + "' belongs to a sweep; a case under `cases:` is one problem");
    } else {
      fail_unknown_key(e, valid, ctx.file, other_convention_hint(e.key, *d.convention));
    }
  }
  if (files.x || files.weight || files.bias || files.dy || files.y) apply_golden_shapes(d, own_keys, files, ctx);
  Case c = build_case(d, ctx);
  check_golden_shapes(c, files, ctx);
  return c;
}

}  // namespace tconv::suite
