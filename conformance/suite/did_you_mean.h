// "did you mean 'stride'?" for unknown keys and enum values.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tconv::suite {

// Optimal-string-alignment distance (a transposition costs 1, as in "strdie"), ignoring case
// and treating '-' like '_', so "NHWC" vs "nhwc" is 0 and "output-padding" matches.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The closest candidate if it is close enough to be a plausible typo of `word`.
std::optional<std::string> closest_match(std::string_view word, const std::vector<std::string>& candidates);

// " (did you mean 'x'?)" or "".
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace tconv::suite
