// The outcome of one row (case x backend x variant x direction), docs/design.md section 4.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace tconv {

enum class Outcome : std::uint8_t {
  PASSED,       // within the shape-aware bound everywhere
  INCORRECT,    // numbers wrong
  FAILED,       // the backend reported an error (or threw)
  UNSUPPORTED,  // the backend's check() declined, or the case is outside tconv's operator (3-D)
  INVALID,      // the case itself is not a valid problem
  MISTRUSTED,   // passed, but the check is weak (mostly zero reference)
  SKIPPED,      // over the memory budget, or no device
  TIMEOUT,      // isolated call ran past --timeout and was killed
  CRASHED,      // isolated call died (signal or abnormal exit)
};

inline constexpr Outcome kAllOutcomes[] = {Outcome::PASSED,      Outcome::INCORRECT, Outcome::FAILED,
                                           Outcome::UNSUPPORTED, Outcome::INVALID,   Outcome::MISTRUSTED,
                                           Outcome::SKIPPED,     Outcome::TIMEOUT,   Outcome::CRASHED};

std::string_view to_string(Outcome o);
std::optional<Outcome> parse_outcome(std::string_view s);

// The outcomes that make `tconv run` exit with status 1.
bool is_failure(Outcome o);

}  // namespace tconv
