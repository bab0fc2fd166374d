// Regression test over the kept libFuzzer corpus of the repro parser (tools/fuzz/): every
// input either parses and round-trips through to_repro, or fails with a one-line error.
// The corpus is found in the source tree (TCONV_SOURCE_DIR).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "backends/api/problem.h"

namespace tconv {
namespace {

namespace fs = std::filesystem;

fs::path corpus_dir(const char* name) {
  return fs::path(TCONV_SOURCE_DIR) / "tools" / "fuzz" / "corpus" / name;
}

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(ReproCorpus, EveryInputParsesAndRoundTripsOrFailsCleanly) {
  const fs::path dir = corpus_dir("repro");
  ASSERT_TRUE(fs::is_directory(dir)) << dir << " not found (built from a copy without tools/fuzz?)";
  int files = 0, parsed = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    ++files;
    const std::string text = read_all(entry.path());
    SCOPED_TRACE(entry.path().filename().string());
    const Result<Problem> r = parse_problem(text);
    if (!r.ok()) {
      EXPECT_FALSE(r.error().empty());
      EXPECT_EQ(r.error().find_first_of("\r\n"), std::string::npos) << r.error();
      continue;
    }
    ++parsed;
    const std::string repro = to_repro(*r);
    const Result<Problem> back = parse_problem(repro);
    ASSERT_TRUE(back.ok()) << repro << ": " << back.error();
    EXPECT_EQ(*back, *r) << repro;
    const Status v = validate(*r);
    EXPECT_EQ(v.message.find_first_of("\r\n"), std::string::npos) << v.message;
  }
  // A corpus that went missing or empty must not pass silently.
  EXPECT_GE(files, 10);
  EXPECT_GT(parsed, 0);
  EXPECT_LT(parsed, files);
}

}  // namespace
}  // namespace tconv
