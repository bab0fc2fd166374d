#include "backends/testing/skip_without_gpu.h"

#include <gtest/gtest.h>

namespace tconv::test_support {
namespace {

// A device backend that chose its algorithm at run time and reports everything the runner and
// the conformance kit read after a run.
class Chooser final : public Backend {
 public:
  std::string name() const override { return "chooser"; }
  Capabilities capabilities() const override { return {}; }
  Status run(const Problem&, Direction, const Operands&, RunContext&) override { return Status::Ok(); }
  MathMode declared_math(const Problem& p, Direction, const RunDetails& ran) const override {
    MathMode m = math(p);
    m.name = "math of " + ran.algorithm;
    return m;
  }
  std::optional<double> last_device_time_ms() const override { return 1.5; }
  std::optional<double> last_staging_time_ms() const override { return 0.25; }
  RunDetails last_run_details() const override { return {"winograd", 64, false}; }
  std::string explain_choice(const Problem&, Direction) const override { return "winograd: fastest"; }
};

// The kit judges a run by the math of what ran; a wrapper that answered with the defaults
// would hold a Winograd result to the direct bound (a false INCORRECT on a GPU).
TEST(SkipWithoutGpu, ForwardsWhatRanToTheKit) {
  SkipWithoutGpu b(std::make_unique<Chooser>(), [] { return std::string(); });
  const Problem p;
  EXPECT_EQ(b.declared_math(p, Direction::fwd, b.last_run_details()).name, "math of winograd");
  EXPECT_EQ(b.last_run_details().workspace_bytes, 64);
  EXPECT_EQ(b.last_run_details().deterministic, false);
  EXPECT_EQ(b.last_device_time_ms(), 1.5);
  EXPECT_EQ(b.last_staging_time_ms(), 0.25);
  EXPECT_EQ(b.explain_choice(p, Direction::fwd), "winograd: fastest");
  EXPECT_TRUE(b.check(p, Direction::fwd).ok());
}

TEST(SkipWithoutGpu, EveryCheckAnswersTheMissingGpu) {
  SkipWithoutGpu b(std::make_unique<Chooser>(), [] { return std::string("no GPU: none found"); });
  const Status s = b.check(Problem{}, Direction::fwd);
  EXPECT_EQ(s.code, StatusCode::unsupported);
  EXPECT_EQ(s.message, "no GPU: none found");
}

}  // namespace
}  // namespace tconv::test_support
