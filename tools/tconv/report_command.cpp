// tconv report RUN_DIR: RUN_DIR/report.html from RUN_DIR/results.json alone, so any run
// (old, interrupted, merged) can be re-rendered.
#include <iostream>
#include <memory>

#include "tools/tconv/commands.h"
#include "reports/report_writer.h"

namespace tconv::cli {

namespace {

struct ReportArgs {
  std::string run_dir, out;
};

int report(const ReportArgs& args) {
  auto written = reports::write_report(args.run_dir, args.out);
  if (!written) {
    std::cerr << "tconv report: " << written.error() << "\n";
    return kExitBadInput;
  }
  for (const auto& note : written->notes) std::cerr << "tconv report: note: " << note << "\n";
  std::cout << "report: " << written->path << " (" << written->rows << " rows, " << (written->bytes + 512) / 1024
            << " KiB, opens offline)\n";
  return kExitOk;
}

}  // namespace

Command add_report_command(CLI::App& app) {
  auto args = std::make_shared<ReportArgs>();
  CLI::App* sub = app.add_subcommand("report", "Write the HTML report of a run directory (from its results.json)");
  sub->add_option("RUN_DIR", args->run_dir, "a run directory (or its results.json)")->required();
  sub->add_option("--out", args->out, "where to write it (default RUN_DIR/report.html)");
  sub->footer("Exit status: 0 written, 2 the run could not be read or the file not written.");
  return [args] { return report(*args); };
}

}  // namespace tconv::cli
