// YAML suite -> expanded cases. The pieces live in conformance/suite/: documents and
// locations (yaml_doc, error), values (value, setting), sweeps (sweep, expr, sampling),
// explicit and golden cases (explicit_case), translation (case_builder + conventions/).
#include "conformance/suite.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "conformance/suite/error.h"
#include "conformance/suite/explicit_case.h"
#include "conformance/suite/sweep.h"

namespace tconv {

namespace {

using namespace tconv::suite;
namespace fs = std::filesystem;

const std::vector<std::string> kTopKeys = {"suite", "description", "seed", "defaults", "include", "sweeps", "cases"};

// Same problem, directions, fill, golden files and verdict: the runner would do the same
// work twice.
std::string identity(const Case& c) {
  std::string key = to_repro(c.problem) + "|" + std::string(to_string(c.fill.kind)) + ":" + std::to_string(c.fill.seed) + "|";
  for (Direction d : c.directions) key += std::string(to_string(d)) + ",";
  const GoldenFiles& g = c.golden;
  for (const std::string* f : {&g.x, &g.weight, &g.bias, &g.dy, &g.y, &g.dx, &g.dw, &g.db}) key += "|" + *f;
  return key + "|" + c.invalid_reason + "|" + c.unsupported_reason;
}

Result<std::string> read_file(const std::string& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) return Status::Invalid("is a directory, not a suite file");
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Error(StatusCode::error, std::strerror(errno));
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class SuiteReader {
 public:
  Suite read_file_at(const std::string& path, const YAML::Mark& include_mark, const std::string& include_path,
                     const std::string& includer) {
    const Result<std::string> text = read_file(path);
    if (!text) {
      if (includer.empty()) fail(path, YAML::Mark(), "(file)", "cannot read: " + text.error());
      fail(includer, include_mark, include_path, "cannot read included suite " + path + ": " + text.error());
    }
    return read_text(*text, path);
  }

  Suite read_text(const std::string& text, const std::string& file) {
    std::error_code ec;
    const std::string canonical = fs::weakly_canonical(fs::absolute(file, ec), ec).string();
    if (std::find(stack_.begin(), stack_.end(), canonical) != stack_.end())
      throw SuiteError(file + ":1:1: include: includes itself (an include cycle)");
    stack_.push_back(canonical);

    const YAML::Node doc = load_document(text, file);
    const std::vector<Entry> entries = mapping_entries(doc, "", file, doc.Mark());
    Suite suite;
    suite.path = file;
    suite.name = fs::path(file).stem().string();
    SuiteContext ctx;
    ctx.file = file;
    ctx.dir = fs::path(file).parent_path().string();
    if (ctx.dir.empty()) ctx.dir = ".";
    for (const Entry& e : entries) {
      if (std::find(kTopKeys.begin(), kTopKeys.end(), e.key) == kTopKeys.end()) fail_unknown_key(e, kTopKeys, file);
      if (e.key == "suite") suite.name = scalar_text(e.value, e.path, file, e.value_mark(), "the suite's name");
      if (e.key == "seed") {
        auto v = parse_value(e.value, ValueSpec::integer_at_least(0));
        if (!v) fail(file, e.value_mark(), e.path, v.error());
        suite.seed = static_cast<std::uint64_t>(v->ints[0]);
      }
      if (e.key == "description") scalar_text(e.value, e.path, file, e.value_mark(), "text");
    }
    ctx.seed = suite.seed;
    const Defaults defaults(find(entries, "defaults"), "defaults", file, suite.seed);
    ctx.defaults = &defaults;

    std::vector<Case> cases;
    for (const Entry& e : entries) {
      if (e.key == "include") read_includes(e, ctx, cases, suite);
      if (e.key == "sweeps") read_list(e, ctx, cases, "sweep", true);
      if (e.key == "cases") read_list(e, ctx, cases, "case", false);
    }
    if (cases.empty()) fail(file, doc.Mark(), "(document)", "the suite has no cases: add `sweeps:`, `cases:` or `include:`");
    check_unique_names(cases, ctx);
    for (Case& c : cases) {
      if (!seen_.insert(identity(c)).second) {
        ++suite.duplicates_removed;
        continue;
      }
      suite.cases.push_back(std::move(c));
    }
    stack_.pop_back();
    return suite;
  }

 private:
  static YAML::Node find(const std::vector<Entry>& entries, const std::string& key) {
    for (const Entry& e : entries)
      if (e.key == key) return e.value;
    return YAML::Node(YAML::NodeType::Undefined);
  }

  // Included suites keep their own defaults and seed; their case names get "<suite>/".
  void read_includes(const Entry& e, const SuiteContext& ctx, std::vector<Case>& cases, Suite& suite) {
    const std::vector<YAML::Node> items = as_list(e.value);
    for (std::size_t i = 0; i < items.size(); ++i) {
      const std::string path = e.value.IsSequence() ? index_path(e.path, i) : e.path;
      const YAML::Mark mark = mark_or(items[i], e.value_mark());
      const std::string name = scalar_text(items[i], path, ctx.file, mark, "a suite file path");
      fs::path p(name);
      if (p.is_relative()) p = fs::path(ctx.dir) / p;
      const std::string included = p.lexically_normal().string();
      std::error_code ec;
      if (std::find(stack_.begin(), stack_.end(), fs::weakly_canonical(fs::absolute(included, ec), ec).string()) != stack_.end())
        fail(ctx.file, mark, path, "include cycle: " + included + " is already being read");
      // A nested reader dedups within the included suite only; this suite dedups again.
      SuiteReader nested;
      nested.stack_ = stack_;
      Suite sub = nested.read_file_at(included, mark, path, ctx.file);
      suite.duplicates_removed += sub.duplicates_removed;
      for (Case& c : sub.cases) {
        c.name = sub.name + "/" + c.name;
        cases.push_back(std::move(c));
      }
    }
  }

  void read_list(const Entry& e, const SuiteContext& ctx, std::vector<Case>& cases, const std::string& what, bool sweeps) {
    if (!e.value.IsSequence())
      fail(ctx.file, e.value_mark(), e.path, "expected a list of " + what + "s ('- ' items)");
    std::set<std::string> names;
    for (std::size_t i = 0; i < e.value.size(); ++i) {
      const YAML::Node& node = e.value[i];
      const std::string path = index_path(e.path, i);
      const std::string default_name = what + std::to_string(i);
      if (node.IsMap() && node["name"] && node["name"].IsScalar() && !names.insert(node["name"].Scalar()).second)
        fail(ctx.file, node["name"].Mark(), path + ".name", "the name '" + node["name"].Scalar() + "' is already used by another " + what);
      if (sweeps) {
        for (Case& c : expand_sweep(node, path, default_name, ctx)) cases.push_back(std::move(c));
      } else {
        cases.push_back(expand_explicit_case(node, path, default_name, ctx));
      }
    }
  }

  static void check_unique_names(const std::vector<Case>& cases, const SuiteContext& ctx) {
    std::set<std::string> names;
    for (const Case& c : cases)
      if (!names.insert(c.name).second)
        throw SuiteError(c.source + ":1: " + c.name + ": case name used twice in " + ctx.file);
  }

  std::vector<std::string> stack_;  // files being read, for include cycles
  std::set<std::string> seen_;      // identities of the cases kept so far
};

// The one place the parser's SuiteError becomes the tree's error type: StatusCode::invalid,
// one located line "file:line:col: key.path: message".
template <class Read>
Result<Suite> as_result(const std::string& file, Read read) {
  try {
    return read();
  } catch (const SuiteError& e) {
    return Status::Invalid(e.what());
  } catch (const std::exception& e) {  // yaml-cpp or the standard library: still one located line
    return Status::Invalid(file + ":1:1: (document): " + e.what());
  }
}

}  // namespace

Result<Suite> parse_suite(const std::string& yaml_text, const std::string& path_for_errors) {
  return as_result(path_for_errors, [&] { return SuiteReader().read_text(yaml_text, path_for_errors); });
}

Result<Suite> load_suite(const std::string& path) {
  return as_result(path, [&] { return SuiteReader().read_file_at(path, YAML::Mark(), "", ""); });
}

}  // namespace tconv
