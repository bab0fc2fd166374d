// tconv merge OUT_DIR SHARD_DIR...: one run directory from the shards of a run.
#include <iostream>
#include <memory>

#include "tools/tconv/commands.h"
#include "conformance/results/merge.h"
#include "reports/report_writer.h"

namespace tconv::cli {

namespace {

struct MergeArgs {
  std::string out;
  std::vector<std::string> shards;
  bool force = false;
};

int merge(const MergeArgs& args) {
  auto report = merge_runs(args.out, args.shards, args.force);
  if (!report) {
    std::cerr << "tconv merge: " << report.error() << "\n";
    return kExitBadInput;
  }
  for (const auto& w : report->warnings) std::cerr << "tconv merge: warning: " << w << "\n";
  // The merged run's report, from the results.json just written (as `tconv report` would).
  const auto html = reports::write_report(args.out);
  if (!html) std::cerr << "tconv merge: report.html: " << html.error() << "\n";
  std::cout << "merged " << report->rows << " rows from " << args.shards.size() << " run directories into "
            << args.out << "/ (results.csv, results.json" << (html ? ", report.html" : "") << ")\n";
  return kExitOk;
}

}  // namespace

Command add_merge_command(CLI::App& app) {
  auto args = std::make_shared<MergeArgs>();
  CLI::App* sub = app.add_subcommand("merge", "Merge the run directories of shards (tconv run --shard K/N) into one");
  sub->add_option("OUT_DIR", args->out, "the merged run directory (created)")->required();
  sub->add_option("SHARD_DIR", args->shards, "run directories to merge, in order")->required();
  sub->add_flag("--force", args->force,
                "merge even when the shards' suites or seeds differ or a row appears twice (first copy wins)");
  return [args] { return merge(*args); };
}

}  // namespace tconv::cli
