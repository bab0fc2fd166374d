#include "reports/html_page.h"

#include <gtest/gtest.h>

#include "reports/report_model.h"
#include "reports/synthetic_run.h"
#include "reports/test_helpers.h"

namespace tconv::reports {
namespace {

TEST(HtmlPage, DataCannotCloseItsScriptElement) {
  const nlohmann::ordered_json j = {{"reason", "</script><script>alert(1)</script><!--"}};
  const std::string text = json_for_script(j);
  EXPECT_EQ(text.find('<'), std::string::npos);
  EXPECT_EQ(nlohmann::ordered_json::parse(text), j);  // still the same data
}

TEST(HtmlPage, EscapesText) { EXPECT_EQ(html_escape("a<b & \"c\" 'd'>"), "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;"); }

TEST(HtmlPage, OneSelfContainedFile) {
  RunRecord run = synthetic_run({});
  run.info.suite_name = "smoke <&>";
  const std::string page = render_report_html(build_report_model(run));
  EXPECT_EQ(page.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(page.find("<title>tconv report: smoke &lt;&amp;&gt;</title>"), std::string::npos);
  EXPECT_NE(page.find("<script type=\"application/json\" id=\"tconv-data\">"), std::string::npos);
  // Nothing is fetched: no external scripts, stylesheets, images, fonts or URLs.
  for (const char* forbidden : {"<script src", "<link", "<img", "@import", "url(", "https://", "//cdn"})
    EXPECT_EQ(page.find(forbidden), std::string::npos) << forbidden;
  // The only http:// text is the SVG namespace name, which is never fetched.
  std::size_t at = 0, http = 0;
  while ((at = page.find("http://", at)) != std::string::npos) {
    EXPECT_EQ(page.compare(at, 26, "http://www.w3.org/2000/svg"), 0);
    ++http;
    ++at;
  }
  EXPECT_LE(http, 1u);
}

}  // namespace
}  // namespace tconv::reports
