// Helpers shared by the runner's, the results' and the CLI's tests.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "conformance/case.h"

namespace tconv::test {

// Children of this process, alive or not yet reaped (zombies), from /proc: a supervised
// worker must never outlive its use.
inline int child_processes() {
  int n = 0;
  const std::string self = std::to_string(::getpid());
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    std::ifstream stat(entry.path() / "stat");
    std::string pid, comm, state, ppid;
    if (stat >> pid >> comm >> state >> ppid) n += ppid == self;
  }
  return n;
}

inline Problem small_problem(std::int64_t groups = 2, std::int64_t stride = 2) {
  Problem p;
  p.n = 2;
  p.c_in = 4;
  p.c_out = 6;
  p.groups = groups;
  p.h_in = 4;
  p.w_in = 5;
  p.kh = 3;
  p.kw = 2;
  p.stride_h = stride;
  p.stride_w = 1;
  p.crop_top = 1;
  p.crop_bottom = 0;
  p.crop_left = 0;
  p.crop_right = 1;
  return p;
}

inline Case make_case(std::string name, const Problem& p,
                      std::vector<Direction> directions = {std::begin(kAllDirections), std::end(kAllDirections)},
                      FillSpec fill = {}) {
  Case c;
  c.name = std::move(name);
  c.source = "test:" + c.name;
  c.problem = p;
  c.directions = std::move(directions);
  c.fill = fill;
  return c;
}

// A fresh, empty directory for one test.
inline std::string fresh_dir(const std::string& name) {
#ifdef TCONV_TEST_TMP
  const std::filesystem::path root = TCONV_TEST_TMP;
#else
  const std::filesystem::path root = std::filesystem::temp_directory_path() / "tconv_runner_tests";
#endif
  const auto dir = root / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

}  // namespace tconv::test
