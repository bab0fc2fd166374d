// Test helper: translate a parameter string with a convention, failing the test on bad input.
#pragma once

#include <gtest/gtest.h>

#include "conformance/conventions/framework_conventions.h"
#include "conformance/conventions/param_text.h"

namespace tconv::conventions::testing {

inline Translation translate_text(const Convention& c, const std::string& text) {
  auto params = parse_param_text(c, text);
  EXPECT_TRUE(params.ok()) << params.error();
  if (!params) return Translation::failure("(text)", params.error());
  Translation t = c.translate(*params);
  EXPECT_TRUE(t.error.empty()) << t.error_key << ": " << t.error;
  return t;
}

// The four crops as one comparable value.
inline std::array<std::int64_t, 4> crops(const Problem& p) { return {p.crop_top, p.crop_bottom, p.crop_left, p.crop_right}; }

}  // namespace tconv::conventions::testing
