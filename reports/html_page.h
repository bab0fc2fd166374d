// report.html: one self-contained file (CSS, script and data inline; no network access).
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace tconv::reports {

// The page for a report model (build_report_model).
std::string render_report_html(const nlohmann::ordered_json& model);

// Text safe inside HTML elements and attribute values.
std::string html_escape(std::string_view s);

// JSON text safe inside <script type="application/json">: every '<' is written as \u003c,
// so no "</script>" or "<!--" can end or confuse the element.
std::string json_for_script(const nlohmann::ordered_json& j);

}  // namespace tconv::reports
