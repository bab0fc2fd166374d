// Live progress of `tconv run` on stderr: one updating line with counts per outcome on a
// terminal, a plain line every few seconds otherwise (logs, CI).
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

#include "conformance/results/summary.h"

namespace tconv::cli {

class Progress {
 public:
  Progress(std::int64_t planned_rows, bool terminal, std::FILE* out = stderr);
  void add(const ResultRow& row);
  void finish();

  static bool stderr_is_terminal();

 private:
  std::string counts_text() const;
  void draw(const ResultRow* last);

  std::int64_t planned_;
  bool terminal_;
  std::FILE* out_;
  Summary summary_;
  std::chrono::steady_clock::time_point last_draw_;
  bool drawn_ = false;
};

}  // namespace tconv::cli
