// Helpers for the reports' tests: rows built field by field and scratch directories.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "conformance/results/row.h"

#ifndef TCONV_TEST_TMP
#define TCONV_TEST_TMP "/tmp/tconv_reports_test"
#endif

namespace tconv::reports::test {

inline ResultRow make_row(const std::string& case_name, const std::string& backend, Outcome status,
                          std::optional<double> ratio = 0.25, Direction d = Direction::fwd) {
  ResultRow r;
  r.case_name = case_name;
  r.backend = backend;
  r.variant = "default";
  r.direction = d;
  r.problem.n = 2;
  r.problem.c_in = 4;
  r.problem.c_out = 6;
  r.problem.h_in = 5;
  r.problem.w_in = 7;
  r.problem.kh = r.problem.kw = 3;
  r.problem.stride_h = r.problem.stride_w = 2;
  r.status = status;
  r.err_bound_ratio = ratio;
  r.repro = "tconv repro \"" + to_repro(r.problem) + " dir=" + std::string(to_string(d)) +
            " fill=uniform seed=1\" --backend " + backend + ":default";
  return r;
}

// An empty directory under the build tree, named after the test.
inline std::string fresh_dir(const std::string& name) {
  const std::string dir = std::string(TCONV_TEST_TMP) + "/" + name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace tconv::reports::test
