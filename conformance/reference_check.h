// How a run checks outputs against the oracle (tconv run / repro --check):
//   full      every element (the default);
//   sample:N  only about N elements (backends/naive/sample.h: tensor edges, border rows and
//             columns, every stride phase, then random ones), each computed by the oracle's
//             per-element definition: a cost of N x (terms per element) whatever the
//             output's size, for problems too large for a full reference.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "backends/naive/oracle.h"

namespace tconv {

struct CheckMode {
  std::int64_t samples = 0;  // 0: every element
  bool sampled() const { return samples > 0; }
  std::string flag() const;  // "sample:4096", or "" for full
};

// "full" or "sample:N" (N >= 1); nullopt otherwise.
std::optional<CheckMode> parse_check_mode(std::string_view text);

// The oracle's reference under `mode`; the sample's seed is the fill seed, so a repro samples
// the same elements.
Reference checked_reference(const Problem& p, Direction d, const Operands& ops, const CheckMode& mode,
                            std::uint64_t seed);

// What a row was checked against, for its `reference` column: "oracle", or
// "oracle sample 4096/1048576" (elements computed / elements of the output).
std::string reference_label(const Reference& ref);

}  // namespace tconv
