#include "conformance/suite/sweep.h"

#include <algorithm>
#include <optional>

#include "conformance/suite/did_you_mean.h"
#include "conformance/suite/error.h"
#include "conformance/suite/sampling.h"

namespace tconv::suite {

namespace {

using conventions::Convention;

// One dimension of the product: a single key, or a zip group whose keys vary together.
struct Axis {
  std::vector<std::string> keys;
  std::vector<std::vector<Setting>> alternatives;  // [alternative][key]
  std::vector<Entry> written;                      // where each key was written
};

struct Condition {
  Expr expr;
  YAML::Mark mark;
  std::string path;
};

constexpr std::int64_t kMaxRangeLength = 10000;

// `{range: [lo, hi], step: s}` -> lo, lo+s, ..., <= hi, each checked against the key's spec.
std::vector<Setting> read_range(const std::string& key, const Entry& e, const Convention& conv,
                                const SuiteContext& ctx) {
  std::optional<std::int64_t> lo, hi;
  std::int64_t step = 1;
  YAML::Mark range_mark = e.value_mark();
  std::string range_path = e.path;
  for (const Entry& r : mapping_entries(e.value, e.path, ctx.file, e.value_mark())) {
    if (r.key == "range") {
      range_mark = r.value_mark();
      range_path = r.path;
      if (!r.value.IsSequence() || r.value.size() != 2)
        fail(ctx.file, range_mark, r.path, "expected [low, high], got '" + node_text(r.value) + "'");
      auto a = parse_value(r.value[0], ValueSpec::integer_at_least(std::numeric_limits<std::int64_t>::min()));
      auto b = parse_value(r.value[1], ValueSpec::integer_at_least(std::numeric_limits<std::int64_t>::min()));
      if (!a || !b) fail(ctx.file, range_mark, r.path, "expected [low, high] integers, got '" + node_text(r.value) + "'");
      lo = a->ints[0];
      hi = b->ints[0];
    } else if (r.key == "step") {
      auto s = parse_value(r.value, ValueSpec::integer_at_least(1));
      if (!s) fail(ctx.file, r.value_mark(), r.path, s.error());
      step = s->ints[0];
    } else {
      fail_unknown_key(r, {"range", "step"}, ctx.file);
    }
  }
  if (!lo) fail(ctx.file, e.value_mark(), e.path, "a mapping here must be {range: [low, high]} (optionally with step)");
  if (*lo > *hi) fail(ctx.file, range_mark, range_path, "empty range: low " + std::to_string(*lo) + " > high " + std::to_string(*hi));
  if ((*hi - *lo) / step >= kMaxRangeLength) fail(ctx.file, range_mark, range_path, "range has more than 10000 values");
  std::vector<Setting> out;
  for (std::int64_t v = *lo; v <= *hi; v += step) {
    Setting s = read_setting(key, YAML::Node(v), range_path, range_mark, conv, ctx.file, ctx.seed);
    s.param.written = std::to_string(v);
    out.push_back(std::move(s));
  }
  return out;
}

// The alternatives a sweep lists for one key. A list is always a list of alternatives
// (`kernel: [3, 5]` = 3x3 and 5x5; one non-square kernel is `kernel: [[1, 4]]`), except
// `directions`, whose flat list is one value (list lists of directions to sweep them).
std::vector<Setting> read_alternatives(const Entry& e, const Convention& conv, const SuiteContext& ctx) {
  const bool is_range = e.value.IsMap() && e.key != "fill";
  if (is_range) return read_range(e.key, e, conv, ctx);
  bool list_of_alternatives = e.value.IsSequence();
  if (e.key == "directions" && e.value.IsSequence())
    list_of_alternatives = std::any_of(e.value.begin(), e.value.end(), [](const YAML::Node& n) { return n.IsSequence(); });
  std::vector<Setting> out;
  if (!list_of_alternatives) {
    out.push_back(read_setting(e.key, e.value, e.path, e.value_mark(), conv, ctx.file, ctx.seed));
    return out;
  }
  if (e.value.size() == 0) fail(ctx.file, e.value_mark(), e.path, "empty list: nothing to sweep");
  for (std::size_t i = 0; i < e.value.size(); ++i)
    out.push_back(read_setting(e.key, e.value[i], index_path(e.path, i), mark_or(e.value[i], e.value_mark()), conv, ctx.file, ctx.seed));
  return out;
}

// `zip: {kernel: [2, 4], stride: [2, 2]}` or a list of such groups.
std::vector<Axis> read_zip(const Entry& e, const Convention& conv, const SuiteContext& ctx,
                           const std::vector<std::string>& valid_keys) {
  std::vector<Axis> axes;
  std::vector<std::pair<YAML::Node, std::string>> groups;
  if (e.value.IsSequence()) {
    for (std::size_t i = 0; i < e.value.size(); ++i) groups.emplace_back(e.value[i], index_path(e.path, i));
  } else {
    groups.emplace_back(e.value, e.path);
  }
  if (groups.empty()) fail(ctx.file, e.value_mark(), e.path, "empty zip");
  for (const auto& [group, gpath] : groups) {
    Axis axis;
    std::string first_key;
    for (const Entry& z : mapping_entries(group, gpath, ctx.file, e.value_mark())) {
      if (std::find(valid_keys.begin(), valid_keys.end(), z.key) == valid_keys.end())
        fail_unknown_key(z, valid_keys, ctx.file, other_convention_hint(z.key, conv));
      if (!z.value.IsSequence() || z.value.size() == 0)
        fail(ctx.file, z.value_mark(), z.path, "a zip value must be a non-empty list (its values pair up with the other lists of the group)");
      if (!axis.keys.empty() && z.value.size() != axis.alternatives.size())
        fail(ctx.file, z.value_mark(), z.path,
             "has " + std::to_string(z.value.size()) + " values but '" + first_key + "' has " +
                 std::to_string(axis.alternatives.size()) + ": zipped lists need equal lengths");
      if (axis.keys.empty()) {
        first_key = z.key;
        axis.alternatives.resize(z.value.size());
      }
      axis.keys.push_back(z.key);
      axis.written.push_back(z);
      for (std::size_t i = 0; i < z.value.size(); ++i)
        axis.alternatives[i].push_back(read_setting(z.key, z.value[i], index_path(z.path, i),
                                                    mark_or(z.value[i], z.value_mark()), conv, ctx.file, ctx.seed));
    }
    if (axis.keys.empty()) fail(ctx.file, mark_or(group, e.value_mark()), gpath, "empty zip group");
    axes.push_back(std::move(axis));
  }
  return axes;
}

std::vector<Condition> read_where(const Entry& e, const Convention& conv, const SuiteContext& ctx) {
  const std::vector<std::string> names = where_names(conv);
  std::vector<Condition> out;
  const std::vector<YAML::Node> items = as_list(e.value);
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string path = e.value.IsSequence() ? index_path(e.path, i) : e.path;
    const YAML::Mark mark = mark_or(items[i], e.value_mark());
    const std::string text = scalar_text(items[i], path, ctx.file, mark, "an expression such as 'output_padding < stride'");
    auto expr = Expr::parse(text);
    if (!expr) fail(ctx.file, mark, path, expr.error());
    // A where: condition sees no case name, so a word standing as a condition is an unknown
    // name here too; a word on the right of == / != is text (docs/expressions.md).
    std::vector<std::string> used = expr->names();
    used.insert(used.end(), expr->condition_words().begin(), expr->condition_words().end());
    for (const std::string& n : used)
      if (std::find(names.begin(), names.end(), n) == names.end())
        fail(ctx.file, mark, path, "unknown name '" + n + "' in '" + text + "'" + did_you_mean(n, names) +
                                       other_convention_hint(n, conv));
    out.push_back({std::move(expr.value()), mark, path});
  }
  return out;
}

std::string describe_combination(const Settings& s) {
  std::string out;
  for (const auto& [key, setting] : s) out += (out.empty() ? "" : " ") + key + "=" + setting.param.written;
  return out;
}

}  // namespace

std::vector<Case> expand_sweep(const YAML::Node& node, const std::string& path,
                               const std::string& default_name, const SuiteContext& ctx) {
  const std::vector<Entry> entries = mapping_entries(node, path, ctx.file, node.Mark());
  const Convention* conv = &ctx.defaults->convention();
  std::string name = default_name;
  std::optional<std::uint64_t> seed;
  std::optional<std::uint64_t> sample;
  for (const Entry& e : entries) {
    if (e.key == "convention") conv = &read_convention(e, ctx.file);
    if (e.key == "name") name = scalar_text(e.value, e.path, ctx.file, e.value_mark(), "a sweep name");
    if (e.key == "seed" || e.key == "sample") {
      auto v = parse_value(e.value, ValueSpec::integer_at_least(e.key == "seed" ? 0 : 1));
      if (!v) fail(ctx.file, e.value_mark(), e.path, v.error());
      (e.key == "seed" ? seed : sample) = static_cast<std::uint64_t>(v->ints[0]);
    }
  }

  std::vector<std::string> valid = setting_keys(*conv);
  std::vector<std::string> all_valid = valid;
  all_valid.insert(all_valid.end(), sweep_structure_keys().begin(), sweep_structure_keys().end());
  std::vector<Axis> axes;
  std::vector<Condition> conditions;
  std::vector<std::string> swept;  // keys already on an axis
  auto claim = [&](const std::string& key, const Entry& at) {
    if (std::find(swept.begin(), swept.end(), key) != swept.end())
      fail(ctx.file, at.key_mark(), at.path, "'" + key + "' is swept twice (as a list and in a zip group, or in two zip groups)");
    swept.push_back(key);
  };
  for (const Entry& e : entries) {
    const auto& structure = sweep_structure_keys();
    if (e.key == "where") {
      conditions = read_where(e, *conv, ctx);
    } else if (e.key == "zip") {
      for (Axis& a : read_zip(e, *conv, ctx, valid)) {
        for (std::size_t k = 0; k < a.keys.size(); ++k) claim(a.keys[k], a.written[k]);
        axes.push_back(std::move(a));
      }
    } else if (std::find(structure.begin(), structure.end(), e.key) != structure.end()) {
      continue;
    } else if (std::find(valid.begin(), valid.end(), e.key) != valid.end()) {
      claim(e.key, e);
      axes.push_back({{e.key}, {}, {e}});
      for (Setting& s : read_alternatives(e, *conv, ctx)) axes.back().alternatives.push_back({std::move(s)});
    } else if (e.key == "x" || e.key == "weight" || e.key == "dy" || e.key == "expect") {
      fail(ctx.file, e.key_mark(), e.path, "golden files belong to an explicit case under `cases:`, not to a sweep");
    } else {
      fail_unknown_key(e, all_valid, ctx.file, other_convention_hint(e.key, *conv));
    }
  }

  std::uint64_t total = 1;
  for (const Axis& a : axes) {
    if (__builtin_mul_overflow(total, a.alternatives.size(), &total) || total > (std::uint64_t{1} << 62))
      total = std::uint64_t{1} << 62;
  }
  if (!sample && total > kMaxGridCombinations)
    fail(ctx.file, node.Mark(), path,
         "sweep '" + name + "' has " + std::to_string(total) + " combinations (limit " + std::to_string(kMaxGridCombinations) +
             "): add `sample: K`, zip groups or fewer values");

  const Settings base = ctx.defaults->for_convention(*conv);
  auto draft_of = [&](std::uint64_t index) {
    CaseDraft d;
    d.convention = conv;
    d.settings = base;
    d.path = path;
    d.mark = node.Mark();
    for (std::size_t a = axes.size(); a-- > 0;) {
      const std::uint64_t size = axes[a].alternatives.size();
      const auto& alt = axes[a].alternatives[index % size];
      index /= size;
      for (std::size_t k = 0; k < axes[a].keys.size(); ++k) put_setting(d.settings, axes[a].keys[k], alt[k]);
    }
    return d;
  };
  auto accepted = [&](const CaseDraft& d, Case* out) {
    ExprEnv env;
    Case c = build_case(d, ctx, conditions.empty() ? nullptr : &env);
    for (const Condition& cond : conditions) {
      auto ok = cond.expr.test(env);
      if (!ok) fail(ctx.file, cond.mark, cond.path, ok.error() + " (for " + describe_combination(d.settings) + ")");
      if (!*ok) return false;
    }
    if (out) *out = std::move(c);
    return true;
  };

  std::vector<Case> cases;
  auto emit = [&](std::uint64_t index) {
    CaseDraft d = draft_of(index);
    d.name = name + "/" + std::to_string(cases.size());
    Case c;
    if (accepted(d, &c)) cases.push_back(std::move(c));
  };
  if (sample) {
    const std::uint64_t sample_seed = seed ? *seed : mix_seed(ctx.seed, name);
    const auto chosen = sample_indices(total, *sample, sample_seed, [&](std::uint64_t i) { return accepted(draft_of(i), nullptr); });
    for (std::uint64_t i : chosen) emit(i);
  } else {
    for (std::uint64_t i = 0; i < total; ++i) emit(i);
  }
  if (cases.empty())
    fail(ctx.file, node.Mark(), path, "sweep '" + name + "' expands to no cases: `where` rejects every combination");
  return cases;
}

}  // namespace tconv::suite
