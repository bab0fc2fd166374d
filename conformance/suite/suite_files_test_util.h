// Test helpers for suites on disk: a fresh directory per test (SuiteFiles), and golden
// tensors of a problem's shapes written into it.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "backends/api/npy.h"
#include "conformance/suite.h"

namespace tconv::suite::testing {

namespace fs = std::filesystem;

class SuiteFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("tconv_suite_test_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& text) {
    const fs::path p = dir_ / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
    return p.string();
  }
  fs::path dir_;
};

// Writes the golden tensors of `p` (shapes only matter here) under dir/name/.
inline void write_golden(const fs::path& dir, const std::string& name, const Problem& p) {
  fs::create_directories(dir / name);
  const std::pair<const char*, HostTensor> tensors[] = {
      {"x.npy", HostTensor(p.dtype, p.layout, p.x_dims())},
      {"w.npy", HostTensor(p.dtype, p.weight_layout, p.w_dims(), p.groups)},
      {"b.npy", HostTensor(p.dtype, Layout::X, p.b_dims())},
      {"dy.npy", HostTensor(p.dtype, p.layout, p.y_dims())},
      {"y.npy", HostTensor(p.dtype, p.layout, p.y_dims())},
      {"dx.npy", HostTensor(p.dtype, p.layout, p.x_dims())},
      {"dw.npy", HostTensor(p.dtype, p.weight_layout, p.w_dims(), p.groups)},
      {"db.npy", HostTensor(p.dtype, Layout::X, p.b_dims())}};
  for (const auto& [file, t] : tensors) ASSERT_EQ(write_npy((dir / name / file).string(), t), Status::Ok()) << file;
}

inline Problem golden_problem(Layout layout, Layout weight_layout) {
  Problem p;
  p.n = 2;
  p.c_in = 4;
  p.c_out = 6;
  p.groups = 2;
  p.h_in = 5;
  p.w_in = 3;
  p.kh = 3;
  p.kw = 2;
  p.stride_h = 2;
  p.crop_top = 1;
  p.crop_bottom = 0;  // pytorch padding [1, 0], output_padding [1, 0]
  p.dil_w = 2;
  p.layout = layout;
  p.weight_layout = weight_layout;
  return p;
}

}  // namespace tconv::suite::testing
