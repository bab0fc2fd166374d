// Helpers for the suite tests: parse a YAML string or fail the test with its error.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "conformance/suite.h"

namespace tconv::suite::testing {

inline Suite parse_ok(const std::string& yaml, const std::string& path = "test.yaml") {
  auto r = parse_suite(yaml, path);
  EXPECT_TRUE(r.ok()) << r.error();
  return r.ok() ? r.value() : Suite{};
}

inline std::string parse_error(const std::string& yaml, const std::string& path = "test.yaml") {
  auto r = parse_suite(yaml, path);
  EXPECT_FALSE(r.ok()) << "expected an error for:\n" << yaml;
  return r.ok() ? std::string() : r.error();
}

inline std::string source_dir() { return TCONV_SOURCE_DIR; }

}  // namespace tconv::suite::testing
