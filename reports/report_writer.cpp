#include "reports/report_writer.h"

#include "conformance/results/results_csv.h"
#include "reports/html_page.h"
#include "reports/report_model.h"

namespace tconv::reports {

Result<WrittenReport> write_report(const RunRecord& run, const std::string& out_path) {
  const std::string html = render_report_html(build_report_model(run));
  if (std::string err = write_file_atomically(out_path, html); !err.empty())
    return Result<WrittenReport>::failure(err);
  return WrittenReport{out_path, html.size(), run.rows.size(), run.notes};
}

Result<WrittenReport> write_report(const std::string& run_dir, const std::string& out_path) {
  auto run = load_run(run_dir);
  if (!run) return Result<WrittenReport>::failure(run.error());
  return write_report(*run, out_path.empty() ? run->dir + "/report.html" : out_path);
}

}  // namespace tconv::reports
