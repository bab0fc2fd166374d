// test_reports_details: the oracle, reporting what a backend with several algorithms reports
// (Backend::last_run_details): a nondeterministic algorithm and its workspace, and the device
// time of a staging copy (Backend::last_staging_time_ms). The runner's
// tests follow these values into result rows, in-process and through an isolated worker.
#pragma once

#include <memory>
#include <string>

#include "backends/api/backend.h"

namespace tconv::testing {

inline constexpr const char* kReportedAlgorithm = "planted_algo_3";
inline constexpr std::int64_t kReportedWorkspaceBytes = 12345;
inline constexpr double kReportedStagingMs = 0.375;

std::unique_ptr<Backend> make_reporting(const std::string& name);

}  // namespace tconv::testing
