#include "reports/html_page.h"

#include "reports/report_assets.h"

namespace tconv::reports {

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string json_for_script(const nlohmann::ordered_json& j) {
  // '<' only occurs inside JSON strings, where \u003c means the same character.
  const std::string text = j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  std::string out;
  out.reserve(text.size() + 64);
  for (char c : text) {
    if (c == '<') out += "\\u003c";
    else out += c;
  }
  return out;
}

std::string render_report_html(const nlohmann::ordered_json& model) {
  std::string suite = "run";
  if (const auto r = model.find("run"); r != model.end() && r->contains("suite"))
    suite = (*r)["suite"].value("name", "run");
  std::string page;
  page += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  page += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  page += "<title>tconv report: " + html_escape(suite) + "</title>\n";
  // Errors anywhere on the page (the browser test reads them) are recorded from the start.
  page += "<script>window.tconvErrors=[];window.addEventListener('error',function(e){"
          "window.tconvErrors.push(String(e.message||e));});</script>\n";
  page += "<style>\n";
  page += kReportCss;
  page += "</style>\n</head>\n<body>\n";
  page += "<noscript><p class=\"noscript\">This report draws its charts and table with JavaScript; "
          "the data is in results.json / results.csv beside it.</p></noscript>\n";
  page += "<div id=\"app\"></div>\n";
  page += "<script type=\"application/json\" id=\"tconv-data\">";
  page += json_for_script(model);
  page += "</script>\n<script>\n";
  page += kReportJs;
  page += "</script>\n</body>\n</html>\n";
  return page;
}

}  // namespace tconv::reports
