#include "reports/run_diff_dirs.h"

#include "conformance/results/results_csv.h"
#include "reports/run_diff_html.h"
#include "reports/run_diff_text.h"
#include "reports/run_record.h"

namespace tconv::reports {

std::string apply_backend_match(const std::string& match, std::vector<ResultRow>& rows) {
  const auto eq = match.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == match.size())
    return "--match '" + match + "': expected NEW_BACKEND=BASE_BACKEND";
  auto split = [](const std::string& spec) {
    const auto colon = spec.find(':');
    return colon == std::string::npos ? std::pair{spec, std::string()} : std::pair{spec.substr(0, colon), spec.substr(colon + 1)};
  };
  const auto [from_name, from_variant] = split(match.substr(0, eq));
  const auto [to_name, to_variant] = split(match.substr(eq + 1));
  if (from_variant.empty() != to_variant.empty())
    return "--match '" + match + "': give a variant on both sides or on neither";
  std::size_t renamed = 0;
  for (ResultRow& r : rows) {
    if (r.backend != from_name || (!from_variant.empty() && r.variant != from_variant)) continue;
    r.backend = to_name;
    if (!to_variant.empty()) r.variant = to_variant;
    ++renamed;
  }
  return renamed ? "" : "--match '" + match + "': no row of backend " + match.substr(0, eq) + " in the new run";
}

int compare_run_dirs(const CompareRequest& request, std::ostream& out, std::ostream& err) {
  if (request.options.ratio_factor < 1) {
    err << "tconv compare: --ratio-factor must be at least 1\n";
    return kCompareBadInput;
  }
  auto base = load_run(request.base_dir);
  if (!base) {
    err << "tconv compare: base: " << base.error() << "\n";
    return kCompareBadInput;
  }
  auto now = load_run(request.new_dir);
  if (!now) {
    err << "tconv compare: new: " << now.error() << "\n";
    return kCompareBadInput;
  }
  for (const std::string& m : request.matches) {
    if (std::string e = apply_backend_match(m, now.value().rows); !e.empty()) {
      err << "tconv compare: " << e << "\n";
      return kCompareBadInput;
    }
    out << "matching: " << m.substr(0, m.find('=')) << " (new) is listed as " << m.substr(m.find('=') + 1)
        << " (base); the repro commands name the real backend\n";
  }
  for (const auto* run : {&*base, &*now})
    for (const auto& note : run->notes) err << "tconv compare: " << run->dir << ": " << note << "\n";

  const Comparison c = compare_rows(base->rows, now->rows, request.options);
  out << compare_text(c, *base, *now, request.rows_per_kind);
  if (request.html_path != "-") {
    const std::string path = request.html_path.empty() ? now->dir + "/compare.html" : request.html_path;
    if (std::string e = write_file_atomically(path, render_compare_html(c, *base, *now)); !e.empty()) {
      err << "tconv compare: " << e << "\n";
      return kCompareBadInput;
    }
    out << "details: " << path << "\n";
  }
  return c.regression() ? kCompareRegression : kCompareOk;
}

}  // namespace tconv::reports
