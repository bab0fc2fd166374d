// Regression test over the kept libFuzzer corpus of the .npy reader (tools/fuzz/): every
// input either parses into an array whose value count matches its shape, or fails with a
// one-line error naming the file. The corpus is found in the source tree (TCONV_SOURCE_DIR).
#include <gtest/gtest.h>

#include <filesystem>

#include "backends/api/npy.h"

namespace tconv {
namespace {

namespace fs = std::filesystem;

TEST(NpyCorpus, EveryInputParsesOrFailsCleanly) {
  const fs::path dir = fs::path(TCONV_SOURCE_DIR) / "tools" / "fuzz" / "corpus" / "npy";
  ASSERT_TRUE(fs::is_directory(dir)) << dir << " not found (built from a copy without tools/fuzz?)";
  int files = 0, parsed = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    ++files;
    const std::string path = entry.path().string();
    const Result<NpyArray> r = read_npy(path);
    if (!r.ok()) {
      EXPECT_EQ(r.error().rfind(path + ": ", 0), 0u) << r.error();
      EXPECT_EQ(r.error().find_first_of("\r\n"), std::string::npos) << r.error();
      continue;
    }
    ++parsed;
    std::size_t numel = 1;
    for (std::int64_t d : r->shape) numel *= static_cast<std::size_t>(d);
    EXPECT_EQ(r->values.size(), numel) << path;
  }
  EXPECT_GE(files, 5);
  EXPECT_GT(parsed, 0);
}

}  // namespace
}  // namespace tconv
