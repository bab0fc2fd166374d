#include "reports/row_encoding.h"

#include <cmath>
#include <cstdio>
#include <functional>
#include <unordered_map>

#include "reports/axes.h"

namespace tconv::reports {

using json = nlohmann::ordered_json;

namespace {

// Text column: labels in order of first appearance, one code per entry.
class DictColumn {
 public:
  void add(const std::string& label) {
    auto [it, added] = index_.try_emplace(label, labels_.size());
    if (added) labels_.push_back(label);
    codes_.push_back(it->second);
  }
  bool has(const std::string& label) const { return index_.count(label) > 0; }
  json to_json() const {
    const int w = code_width(labels_.size());
    std::string packed;
    packed.reserve(codes_.size() * static_cast<std::size_t>(w));
    for (std::size_t c : codes_) packed += code_text(c, w);
    return {{"d", labels_}, {"k", packed}, {"w", w}};
  }

 private:
  std::vector<std::string> labels_;
  std::vector<std::size_t> codes_;
  std::unordered_map<std::string, std::size_t> index_;
};

// Number column: comma-separated compact numbers, "" where there is none.
class NumberColumn {
 public:
  void add_real(const std::optional<double>& v, int digits = 4) { next(v ? compact_number(*v, digits) : ""); }
  void add_int(const std::optional<std::int64_t>& v) { next(v ? std::to_string(*v) : ""); }
  json to_json() const { return {{"f", text_}}; }

 private:
  void next(const std::string& s) {
    if (count_++) text_ += ',';
    text_ += s;
  }
  std::string text_;
  std::size_t count_ = 0;
};

std::string cut(const std::string& s, std::size_t n) {
  if (s.size() <= n) return s;
  std::size_t end = n;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;  // not inside a UTF-8 sequence
  return s.substr(0, end) + "...";
}

std::string replace_first(std::string s, const std::string& what, const std::string& with, std::size_t from = 0) {
  const auto at = s.find(what, from);
  if (at != std::string::npos) s.replace(at, what.size(), with);
  return s;
}

std::string pair_text(std::int64_t a, std::int64_t b) { return std::to_string(a) + "x" + std::to_string(b); }

}  // namespace

double round_significant(double v, int digits) {
  if (!std::isfinite(v) || v == 0) return v;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", digits, v);
  return std::strtod(buf, nullptr);
}

std::string compact_number(double v, int digits) {
  if (!std::isfinite(v)) return format_real(v);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", digits, v);
  std::string s = buf;
  // "1.5e-07" -> "1.5e-7", "2e+05" -> "2e5": both parse back the same.
  if (const auto e = s.find('e'); e != std::string::npos) {
    std::string mant = s.substr(0, e), exp = s.substr(e + 1);
    const bool neg = exp[0] == '-';
    if (exp[0] == '-' || exp[0] == '+') exp.erase(0, 1);
    exp.erase(0, std::min(exp.find_first_not_of('0'), exp.size() - 1));
    s = mant + "e" + (neg ? "-" : "") + exp;
  }
  return s;
}

int code_width(std::size_t size) {
  int w = 1;
  for (std::size_t cap = kCodeDigits.size(); cap < size; cap *= kCodeDigits.size()) ++w;
  return w;
}

std::string code_text(std::size_t k, int width) {
  std::string s(static_cast<std::size_t>(width), '0');
  for (int i = width - 1; i >= 0; --i) {
    s[static_cast<std::size_t>(i)] = kCodeDigits[k % kCodeDigits.size()];
    k /= kCodeDigits.size();
  }
  return s;
}

std::string first_entries(const std::string& list, std::size_t n) {
  std::size_t at = 0;
  for (std::size_t k = 0; k < n; ++k) {
    at = list.find("; ", at);
    if (at == std::string::npos) return list;
    at += 2;
  }
  return list.substr(0, at) + "...";
}

std::string repro_template(const ResultRow& r) {
  const std::string& s = r.repro;
  const std::string problem = to_repro(r.problem);
  // The page rebuilds the problem text from the row's labels: only template what it can rebuild.
  if (s.find('{') != std::string::npos || problem != problem_text_from_labels(r)) return s;
  const auto p = s.find(problem);
  if (p == std::string::npos) return s;
  std::string t = s.substr(0, p) + "{P}" + s.substr(p + problem.size());
  t = replace_first(t, "dir=" + std::string(to_string(r.direction)), "dir={D}", p);
  t = replace_first(t, "--backend " + r.backend + ":" + r.variant, "--backend {B}");
  return t;
}

const std::vector<std::string>& case_column_names() {
  static const std::vector<std::string> names = {"case", "source", "dtype", "layout", "wl", "input", "kernel", "stride",
                                                 "dil", "crop", "crop_class", "output", "n", "c_in", "c_out", "groups", "bias"};
  return names;
}

json encode_rows(const std::vector<ResultRow>& rows, const RowEncodingLimits& limits) {
  bool perf = false;
  for (const ResultRow& r : rows) perf |= r.time_ms.has_value();

  // Cases: the problem's columns once per (case, problem, source).
  std::unordered_map<std::string, std::size_t> case_index;
  std::vector<std::string> case_names;
  std::unordered_map<std::string, DictColumn> case_dicts;
  std::unordered_map<std::string, NumberColumn> case_numbers;
  DictColumn case_of_row;  // labels unused: only the codes

  std::unordered_map<std::string, DictColumn> dicts;
  std::unordered_map<std::string, NumberColumn> numbers;
  std::size_t detail_bytes = 0, shortened = 0;
  // Every column exists even without rows, so the page never meets a missing one.
  for (const auto& name : case_column_names())
    if (name != "case") {
      if (name == "n" || name == "c_in" || name == "c_out" || name == "groups" || name == "bias") case_numbers[name];
      else case_dicts[name];
    }
  for (const char* name :
       {"backend", "dir", "status", "reason", "mismatch_list", "math", "repro", "algorithm", "deterministic", "reference"})
    dicts[name];
  for (const char* name : {"abs_err", "rel_err", "ulp", "ratio", "mismatches", "elements", "zero_frac", "workspace"})
    numbers[name];

  for (const ResultRow& r : rows) {
    const Problem& p = r.problem;
    const std::string key = r.case_name + '\n' + to_repro(p) + '\n' + r.source;
    auto [it, new_case] = case_index.try_emplace(key, case_names.size());
    if (new_case) {
      case_names.push_back(r.case_name);
      case_dicts["source"].add(r.source);
      case_dicts["dtype"].add(axis_label(Axis::dtype, r));
      case_dicts["layout"].add(std::string(to_string(p.layout)));
      case_dicts["wl"].add(std::string(to_string(p.weight_layout)));
      case_dicts["input"].add(pair_text(p.h_in, p.w_in));
      case_dicts["kernel"].add(axis_label(Axis::kernel, r));
      case_dicts["stride"].add(axis_label(Axis::stride, r));
      case_dicts["dil"].add(axis_label(Axis::dilation, r));
      case_dicts["crop"].add(crop_text(p));
      case_dicts["crop_class"].add(crop_class(p));
      case_dicts["output"].add(validate(p).ok() ? pair_text(p.h_out(), p.w_out()) : std::string("-"));
      case_numbers["n"].add_int(p.n);
      case_numbers["c_in"].add_int(p.c_in);
      case_numbers["c_out"].add_int(p.c_out);
      case_numbers["groups"].add_int(p.groups);
      case_numbers["bias"].add_int(p.bias ? 1 : 0);
    }
    case_of_row.add(std::to_string(it->second));

    // Details within the budget; a label already stored costs nothing more.
    const bool over = detail_bytes > limits.detail_bytes;
    const std::string reason =
        !over ? cut(r.reason, limits.reason_chars) : r.reason.empty() ? std::string() : std::string(kShortenedReason);
    const std::string mismatches = over ? std::string() : first_entries(r.first_mismatches, limits.mismatches);
    if (reason != r.reason || (over && !r.first_mismatches.empty())) ++shortened;
    if (!dicts["reason"].has(reason)) detail_bytes += reason.size();
    if (!dicts["mismatch_list"].has(mismatches)) detail_bytes += mismatches.size();

    dicts["backend"].add(r.backend + ":" + r.variant);
    dicts["dir"].add(std::string(to_string(r.direction)));
    dicts["status"].add(std::string(to_string(r.status)));
    dicts["reason"].add(reason);
    dicts["mismatch_list"].add(mismatches);
    dicts["math"].add(r.math);
    dicts["repro"].add(repro_template(r));
    dicts["algorithm"].add(r.algorithm);
    dicts["deterministic"].add(r.deterministic ? (*r.deterministic ? "yes" : "no") : "");
    dicts["reference"].add(r.reference);
    numbers["workspace"].add_int(r.workspace_bytes);
    numbers["repeat_diff"].add_real(r.repeat_max_diff, 3);
    numbers["abs_err"].add_real(r.max_abs_err, 3);
    numbers["rel_err"].add_real(r.max_rel_err, 3);
    numbers["ulp"].add_real(r.max_ulp, 3);
    numbers["ratio"].add_real(r.err_bound_ratio, 4);
    numbers["mismatches"].add_int(r.mismatches);
    numbers["elements"].add_int(r.elements);
    numbers["zero_frac"].add_real(r.zero_fraction, 2);
    if (perf) {
      dicts["timer"].add(r.timer);
      numbers["time_ms"].add_real(r.time_ms, 4);
      numbers["time_min_ms"].add_real(r.time_min_ms, 3);
      numbers["time_max_ms"].add_real(r.time_max_ms, 3);
      numbers["repeats"].add_int(r.repeats);
      numbers["gflops"].add_real(r.gflops, 4);
      numbers["gbps"].add_real(r.gbps, 3);
      numbers["staging_ms"].add_real(r.staging_ms, 3);
    }
  }

  json case_cols = json::object();
  case_cols["case"] = {{"v", case_names}};
  for (const auto& name : case_column_names()) {
    if (case_dicts.count(name)) case_cols[name] = case_dicts[name].to_json();
    else if (case_numbers.count(name)) case_cols[name] = case_numbers[name].to_json();
  }
  json cols = json::object();
  json refs = case_of_row.to_json();
  refs.erase("d");  // the code is the case's index
  cols["case_ref"] = refs;
  for (const char* name :
       {"backend", "dir", "status", "reason", "mismatch_list", "math", "repro", "timer", "algorithm", "deterministic", "reference"})
    if (dicts.count(name)) cols[name] = dicts[name].to_json();
  for (const char* name : {"abs_err", "rel_err", "ulp", "ratio", "mismatches", "elements", "zero_frac", "workspace", "repeat_diff", "time_ms",
                           "time_min_ms", "time_max_ms", "repeats", "gflops", "gbps", "staging_ms"})
    if (numbers.count(name)) cols[name] = numbers[name].to_json();
  return {{"n", rows.size()},
          {"shortened", shortened},
          {"cases", {{"n", case_names.size()}, {"cols", std::move(case_cols)}}},
          {"cols", std::move(cols)}};
}

}  // namespace tconv::reports
