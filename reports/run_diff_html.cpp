#include "reports/run_diff_html.h"

#include <cstdio>

#include "reports/run_diff_text.h"
#include "reports/html_page.h"
#include "reports/report_assets.h"

namespace tconv::reports {

namespace {

std::string cell(const std::string& text, const std::string& cls = "") {
  return "<td" + (cls.empty() ? std::string() : " class=\"" + cls + "\"") + ">" + html_escape(text) + "</td>";
}

std::string status_cell(const std::optional<ResultRow>& r) {
  if (!r) return "<td>-</td>";
  const std::string s(to_string(r->status));
  return "<td><span class=\"pill st-" + s + "\">" + s + "</span></td>";
}

std::string factor_text(double f) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "x%.3g", f);
  return buf;
}

std::string run_table(const char* title, const RunRecord& run) {
  std::string s = "<div class=\"card\"><h3>" + std::string(title) + "</h3><table class=\"kv\">";
  auto kv = [&](const std::string& k, const std::string& v) {
    if (!v.empty()) s += "<tr><th>" + html_escape(k) + "</th><td>" + html_escape(v) + "</td></tr>";
  };
  kv("directory", run.dir);
  kv("suite", run.info.suite_name);
  kv("rows", std::to_string(run.rows.size()));
  kv("started", run.info.start_time);
  kv("state", run.info.state);
  kv("command", run.info.command_line);
  kv("commit", run.environment.value("git_commit", ""));
  kv("cpu", run.environment.value("cpu", ""));
  return s + "</table></div>";
}

std::string change_table(const Comparison& c, Change kind, std::size_t limit) {
  const std::int64_t total = c.count(kind);
  if (total == 0) return "";
  const bool regression = c.is_regression(kind);
  std::string s = "<section class=\"card\" id=\"" + std::string(to_string(kind)) + "\"><h2" +
                  (regression ? " class=\"bad\"" : "") + ">" + html_escape(std::string(describe(kind))) + " (" +
                  std::to_string(total) + ")</h2>";
  s += "<div class=\"scroll\"><table class=\"grid\"><thead><tr><th>case</th><th>backend</th><th>dir</th>"
       "<th>base</th><th>new</th><th>base err/bound</th><th>new err/bound</th><th>base time</th>"
       "<th>new time</th><th>factor</th><th>reason / repro</th></tr></thead><tbody>";
  std::size_t shown = 0;
  for (const RowChange& ch : c.changes) {
    if (ch.kind != kind) continue;
    if (shown++ == limit) break;
    const auto& row = ch.now ? ch.now : ch.base;
    s += "<tr>" + cell(ch.key.case_name) + cell(backend_spec(ch.key)) + cell(std::string(to_string(ch.key.direction)));
    s += status_cell(ch.base) + status_cell(ch.now);
    s += cell(ch.base ? ratio_text(ch.base->err_bound_ratio) : "", "num");
    s += cell(ch.now ? ratio_text(ch.now->err_bound_ratio) : "", "num");
    s += cell(ch.base ? timing_text(*ch.base) : "", "num") + cell(ch.now ? timing_text(*ch.now) : "", "num");
    s += cell(ch.factor > 0 ? factor_text(ch.factor) : "", "num");
    s += "<td class=\"wrap\">" + html_escape(row->reason) + (row->reason.empty() ? "" : "<br>") +
         "<code class=\"repro\">" + html_escape(row->repro) + "</code></td></tr>";
  }
  s += "</tbody></table></div>";
  if (static_cast<std::int64_t>(limit) < total)
    s += "<p class=\"muted\">" + std::to_string(total - static_cast<std::int64_t>(limit)) +
         " more not listed here.</p>";
  return s + "</section>";
}

}  // namespace

std::string render_compare_html(const Comparison& c, const RunRecord& base, const RunRecord& now,
                                std::size_t rows_per_kind) {
  std::string page = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                     "<title>tconv compare: " + html_escape(base.info.suite_name) + "</title>\n<style>\n";
  page += kReportCss;
  page += "</style>\n</head>\n<body class=\"static\">\n<header class=\"top\"><h1>tconv compare</h1><p class=\"verdict ";
  page += c.regression() ? "bad\">REGRESSION" : "good\">no regression";
  page += "</p></header>\n<main>\n<div class=\"two\">" + run_table("base", base) + run_table("new", now) + "</div>\n";

  page += "<section class=\"card\"><h2>Changes</h2><p class=\"muted\">" + std::to_string(c.common_rows) +
          " rows in both runs; timings compared on " + std::to_string(c.perf_compared) +
          " (beyond the noise = the runs' min..max ranges do not overlap); err/bound growth flagged above x" +
          factor_text(c.options.ratio_factor).substr(1) + " when the new ratio exceeds " +
          factor_text(c.options.ratio_floor).substr(1) + ".</p><div class=\"tiles\">";
  for (Change kind : kAllChanges) {
    const std::int64_t n = c.count(kind);
    std::string cls = "tile";
    if (n > 0 && c.is_regression(kind)) cls += " bad";
    else if (n > 0 && (kind == Change::fixed || kind == Change::faster)) cls += " good";
    page += "<a class=\"" + cls + "\" href=\"#" + std::string(to_string(kind)) + "\"><b>" + std::to_string(n) +
            "</b><span>" + html_escape(std::string(describe(kind))) + "</span></a>";
  }
  page += "</div></section>\n";
  for (Change kind : kAllChanges) page += change_table(c, kind, rows_per_kind);
  page += "\n</main>\n</body>\n</html>\n";
  return page;
}

}  // namespace tconv::reports
