// The report page's stylesheet and script (reports/assets/), embedded at build time.
#pragma once

#include <string_view>

namespace tconv::reports {

extern const std::string_view kReportCss;
extern const std::string_view kReportJs;

}  // namespace tconv::reports
