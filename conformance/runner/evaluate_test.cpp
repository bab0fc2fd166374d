#include "conformance/runner/evaluate.h"

#include <gtest/gtest.h>

#include <cmath>

namespace tconv {
namespace {

TEST(OutcomeOfStatus, MapsEveryCode) {
  EXPECT_EQ(outcome_of_status(Status::Ok()), Outcome::PASSED);
  EXPECT_EQ(outcome_of_status(Status::Error(StatusCode::no_device, "no GPU")), Outcome::SKIPPED);
  EXPECT_EQ(outcome_of_status(Status::Error(StatusCode::unsupported, "algo rejects")), Outcome::UNSUPPORTED);
  EXPECT_EQ(outcome_of_status(Status::Error(StatusCode::error, "launch failed")), Outcome::FAILED);
  EXPECT_EQ(outcome_of_status(Status::Error(StatusCode::out_of_memory, "cudaMalloc")), Outcome::FAILED);
  EXPECT_EQ(outcome_of_status(Status::Error(StatusCode::invalid, "missing operand")), Outcome::FAILED);
}

// The oracle's result plus noise of 1e-6 where the reference is exactly 0, as an FFT leaves it;
// it reports the algorithm it "chose" (`algorithm`), and declares the FFT class only when that
// algorithm ran: the math of what ran must be the one the row is judged by.
class PicksAtRunTime final : public Backend {
 public:
  explicit PicksAtRunTime(std::string algorithm) : algorithm_(std::move(algorithm)) {}
  std::string name() const override { return "picks_at_run_time"; }
  Capabilities capabilities() const override { return {}; }
  MathMode declared_math(const Problem& p, Direction, const RunDetails& ran) const override {
    return one_rounding_math(p.dtype, ran.algorithm == "FFT" ? AlgorithmClass::fft : AlgorithmClass::direct);
  }
  Status run(const Problem& p, Direction d, const Operands& ops, RunContext&) override {
    const Reference r = compute_reference(p, d, ops);
    std::size_t e = 0;
    for_each_index(r.dims, [&](const Dims& i) {
      output_of(ops, d)->put(i, r.value[e] == 0 ? 1e-6 : r.value[e]);
      ++e;
    });
    return Status::Ok();
  }
  RunDetails last_run_details() const override { return {algorithm_, std::nullopt, std::nullopt}; }

 private:
  std::string algorithm_;
};

TEST(Evaluate, JudgesARowByTheMathOfTheAlgorithmThatRan) {
  Problem p;
  p.n = 1, p.c_in = 2, p.c_out = 2, p.h_in = 6, p.w_in = 6, p.kh = p.kw = 3, p.stride_h = p.stride_w = 2;
  p.crop_top = p.crop_bottom = p.crop_left = p.crop_right = -1;  // bias-free border lines: reference 0
  p.bias = false;
  const InputSet in = make_inputs(p, {FillKind::uniform, 5});
  const Reference ref = compute_reference(p, Direction::fwd, in.operands());
  EvalOptions opt;
  opt.isolation = Isolation::none;

  PicksAtRunTime fft("FFT");
  const Evaluation norm_wise = evaluate(fft, "x", p, Direction::fwd, in, [&]() -> const Reference& { return ref; }, {}, opt);
  EXPECT_EQ(norm_wise.outcome, Outcome::PASSED) << norm_wise.reason;
  EXPECT_NE(norm_wise.math.find("fft"), std::string::npos) << norm_wise.math;
  EXPECT_NE(norm_wise.reason.find("elementwise"), std::string::npos) << norm_wise.reason;
  ASSERT_TRUE(norm_wise.comparison);
  EXPECT_TRUE(norm_wise.comparison->norm_wise());

  PicksAtRunTime direct("implicit GEMM");
  const Evaluation elementwise = evaluate(direct, "x", p, Direction::fwd, in, [&]() -> const Reference& { return ref; }, {}, opt);
  EXPECT_EQ(elementwise.outcome, Outcome::INCORRECT) << elementwise.reason;
  EXPECT_NE(elementwise.math.find("direct"), std::string::npos) << elementwise.math;
}

}  // namespace
}  // namespace tconv
