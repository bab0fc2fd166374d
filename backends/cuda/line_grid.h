// The grid of the line-table kernels (depthwise v2, small_cout v2): capped at a few waves of
// the current device's SMs, so each thread walks many rows and a block's tap table, filled once,
// serves them all.
#pragma once

#include <cstdint>

namespace tconv::cuda {

inline constexpr int kLinesThreads = 256;
inline constexpr int kLinesBlocksPerSm = 16;  // a few waves: 4 to 8 blocks of 256 threads fit an SM
inline constexpr std::int64_t kLinesMaxTableBytes = 48 * 1024;  // shared memory without opting in
inline constexpr std::int64_t kH200Sms = 132;  // what emulation assumes for the cap

// kLinesBlocksPerSm times the current device's SM count, asked once per device (the H200's
// when the query fails).
std::int64_t lines_max_blocks();

}  // namespace tconv::cuda
