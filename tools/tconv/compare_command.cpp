// tconv compare BASE_DIR NEW_DIR: what changed between two runs (terminal table and
// NEW_DIR/compare.html); exit status 1 on a regression, for CI jobs and bisects.
#include <iostream>
#include <memory>

#include "tools/tconv/commands.h"
#include "reports/run_diff_dirs.h"

namespace tconv::cli {

Command add_compare_command(CLI::App& app) {
  auto request = std::make_shared<reports::CompareRequest>();
  auto ignore_perf = std::make_shared<bool>(false);
  CLI::App* sub = app.add_subcommand("compare", "Compare two run directories: new failures, fixes, error growth, "
                                                "perf changes beyond the noise, rows added or removed");
  sub->add_option("BASE_DIR", request->base_dir, "the reference run directory")->required();
  sub->add_option("NEW_DIR", request->new_dir, "the run to judge against it")->required();
  sub->add_option("--ratio-factor", request->options.ratio_factor,
                  "flag rows whose error/bound ratio grew by more than this factor (default 2)");
  sub->add_option("--ratio-floor", request->options.ratio_floor,
                  "... and now exceeds this fraction of the bound (default 0.01; smaller ratios are noise)");
  sub->add_flag("--ignore-perf", *ignore_perf, "report slowdowns but do not count them as a regression");
  sub->add_option("--match", request->matches,
                  "NEW=BASE: compare NEW's rows of backend NEW with BASE's rows of backend BASE (NAME or "
                  "NAME:VARIANT on both sides; repeatable)");
  sub->add_option("--html", request->html_path, "where to write the page (default NEW_DIR/compare.html; - for none)");
  sub->add_option("--rows", request->rows_per_kind, "rows listed per kind of change in the terminal (default 20)");
  sub->footer("Slower / faster means the runs' measured min..max ranges do not overlap (tconv run --perf).\n"
              "Exit status: 0 no regression, 1 a regression (new failure, error/bound growth, slowdown), "
              "2 a run could not be read.");
  return [request, ignore_perf] {
    reports::CompareRequest r = *request;
    r.options.perf_regressions = !*ignore_perf;
    return reports::compare_run_dirs(r, std::cout, std::cerr);
  };
}

}  // namespace tconv::cli
