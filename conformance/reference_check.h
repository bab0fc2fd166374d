// How a run checks outputs against the oracle (tconv run / repro --check):
//   full      every element (the default);
//   sample:N  only about N elements (backends/naive/sample.h: tensor edges, border rows and
//             columns, every stride phase, then random ones), each computed by the oracle's
//             per-element definition: a cost of N x (terms per element) whatever the
//             output's size, for problems too large for a full reference.
// and which reference (--reference):
//   oracle    compute_reference, trusted by its tests (the default);
//   fast      cuda:gather in f64 where a GPU answers (device_reference.h), else openmp:f64acc
//             (im2col + DGEMM in f64, f64acc_reference.h), else the oracle's fast loops (a
//             build without either, integer problems), with trust earned per run: the
//             per-element definition recomputes every element of a problem under
//             kFastCheckedWhole terms, else a sample (backends/naive/sample.h, up to 4096
//             elements: fast_check_samples()), and each must agree to 1e-12 of its S =
//             sum |a_k*b_k|, with the same K; where one does not, the row falls back to the
//             sampled definition and says so.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "backends/naive/oracle.h"

namespace tconv {

struct CheckMode {
  std::int64_t samples = 0;  // 0: every element
  bool fast = false;         // --reference fast
  bool sampled() const { return samples > 0; }
  std::string flag() const;  // "sample:4096", or "" for full
};

// "full" or "sample:N" (N >= 1); nullopt otherwise.
std::optional<CheckMode> parse_check_mode(std::string_view text);

// Below this many terms (elements x terms per element) --reference fast rechecks every element.
inline constexpr double kFastCheckedWhole = 1 << 20;
inline constexpr std::int64_t kFastCheckSamples = 4096;
// Above it, the sample shrinks so that its terms stay within 1/kFastCheckShare of the
// problem's (a 4096-element sample of a weight gradient summed over a whole batch costs more
// than the fast reference itself): first its random part, then its structural part is
// thinned evenly (reference_check.cpp, fast_check_elements).
inline constexpr double kFastCheckShare = 64;
// How many elements --reference fast rechecks on a problem of `terms` multiply-adds over
// `elements` outputs (more than kFastCheckedWhole terms): between 1 and kFastCheckSamples.
std::int64_t fast_check_samples(double terms, std::int64_t elements);

// The oracle's reference under `mode`; the sample's seed is the fill seed, so a repro samples
// the same elements.
Reference checked_reference(const Problem& p, Direction d, const Operands& ops, const CheckMode& mode,
                            std::uint64_t seed);

// What a row was checked against, for its `reference` column: "oracle", or
// "oracle sample 4096/1048576" (elements computed / elements of the output), or for
// --reference fast "openmp:f64acc, definition agrees on all 1024" / "... on sample
// 4096/1048576" ("cuda:gather f64, ..." on a GPU, "fast f64, ..." where the oracle's fast
// loops served).
std::string reference_label(const Reference& ref);

}  // namespace tconv
