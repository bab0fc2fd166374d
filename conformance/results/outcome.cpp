#include "conformance/results/outcome.h"

namespace tconv {

std::string_view to_string(Outcome o) {
  switch (o) {
    case Outcome::PASSED: return "PASSED";
    case Outcome::INCORRECT: return "INCORRECT";
    case Outcome::FAILED: return "FAILED";
    case Outcome::UNSUPPORTED: return "UNSUPPORTED";
    case Outcome::INVALID: return "INVALID";
    case Outcome::MISTRUSTED: return "MISTRUSTED";
    case Outcome::SKIPPED: return "SKIPPED";
    case Outcome::TIMEOUT: return "TIMEOUT";
    case Outcome::CRASHED: return "CRASHED";
  }
  return "?";
}

std::optional<Outcome> parse_outcome(std::string_view s) {
  for (Outcome o : kAllOutcomes)
    if (to_string(o) == s) return o;
  return std::nullopt;
}

bool is_failure(Outcome o) {
  return o == Outcome::INCORRECT || o == Outcome::FAILED || o == Outcome::TIMEOUT || o == Outcome::CRASHED;
}

}  // namespace tconv
