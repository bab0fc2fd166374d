// Every malformed suite in cases/bad/ gives one located line: "path:line:col: key.path: ...".
// Each fixture says what is wrong in its first comment and the expected error (without the
// path) on its second line: "# error: LINE:COL: key.path: message".
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "conformance/suite.h"
#include "conformance/suite/test_util.h"

namespace tconv::suite {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> bad_fixtures() {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(testing::source_dir() + "/cases/bad"))
    if (e.path().extension() == ".yaml") out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

std::string expected_error(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("# error: ", 0) == 0) return line.substr(9);
  return "";
}

TEST(BadFixtures, AtLeastTwentyKinds) { EXPECT_GE(bad_fixtures().size(), 20u); }

TEST(BadFixtures, EachGivesItsLocatedOneLineError) {
  for (const std::string& path : bad_fixtures()) {
    SCOPED_TRACE(path);
    const std::string expected = expected_error(path);
    ASSERT_FALSE(expected.empty()) << "fixture lacks its '# error: LINE:COL: key.path: message' line";
    auto r = load_suite(path);
    ASSERT_FALSE(r.ok());
    const std::string& e = r.error();
    EXPECT_EQ(e.find('\n'), std::string::npos) << "one line: " << e;
    EXPECT_EQ(e.rfind(path + ":" + expected, 0), 0u) << "got:      " << e << "\nexpected: " << path << ":" << expected;
    // A key path between the column and the message.
    const std::string after = e.substr(path.size() + 1);
    EXPECT_NE(after.find(": "), std::string::npos);
  }
}

TEST(BadFixtures, UnreadableFiles) {
  const std::string missing = testing::source_dir() + "/cases/bad/no_such_suite.yaml";
  auto r = load_suite(missing);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(), missing + ":1:1: (file): cannot read: No such file or directory");
  const std::string dir = testing::source_dir() + "/cases/bad";
  auto d = load_suite(dir);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error(), dir + ":1:1: (file): cannot read: is a directory, not a suite file");
}

TEST(BadFixtures, ParseSuiteReportsThePathGiven) {
  const std::string e = testing::parse_error("sweeps:\n  - strid: 1\n", "x/y.yaml");
  EXPECT_EQ(e, "x/y.yaml:2:5: sweeps[0].strid: unknown key 'strid' (did you mean 'stride'?)");
}

}  // namespace
}  // namespace tconv::suite
