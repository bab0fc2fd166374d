// The conformance suite has teeth: backends with planted bugs (the naive backend wrapped and
// broken on purpose) fail it with a located mismatch.
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <limits>

#include "backends/naive/naive_backend.h"
#include "backends/testing/backend_conformance.h"

namespace tconv::crosscheck {
namespace {

enum class Bug { shifted_crop, unwritten_last_element, flipped_kernel, f32_rounding_of_f64 };

class MutantBackend final : public Backend {
 public:
  explicit MutantBackend(Bug bug) : bug_(bug), naive_(naive_backend_factory().create("default").value_or(nullptr)) {}
  std::string name() const override { return "mutant"; }
  Capabilities capabilities() const override { return naive_->capabilities(); }
  MathMode math(const Problem& p) const override { return default_math(p.dtype); }

  Status run(const Problem& p, Direction d, const Operands& ops, RunContext& ctx) override {
    switch (bug_) {
      case Bug::shifted_crop: {  // PyTorch vs Keras "same": the crop on the wrong side
        Problem q = p;
        q.crop_top += 1, q.crop_bottom -= 1;
        return naive_->run(q, d, ops, ctx);
      }
      case Bug::unwritten_last_element: {
        const Status s = naive_->run(p, d, ops, ctx);
        HostTensor* out = d == Direction::fwd ? ops.y : d == Direction::bwd_data ? ops.dx
                          : d == Direction::bwd_weights ? ops.dw : ops.db;
        out->set(out->numel() - 1, std::numeric_limits<double>::quiet_NaN());
        return s;
      }
      case Bug::flipped_kernel: {  // convolution vs correlation
        HostTensor w = *ops.w;
        for_each_index(w.dims(), [&](const Dims& i) {
          w.put(i, ops.w->at({i[0], i[1], w.dims()[2] - 1 - i[2], w.dims()[3] - 1 - i[3]}));
        });
        Operands flipped = ops;
        flipped.w = &w;
        return naive_->run(p, d, flipped, ctx);
      }
      case Bug::f32_rounding_of_f64: {  // an f64 backend that secretly computes in f32
        Problem q = p;
        q.dtype = DType::f32;
        const InputSet narrow{ops.x->to_dtype(DType::f32), ops.w->to_dtype(DType::f32),
                              ops.b ? ops.b->to_dtype(DType::f32) : HostTensor(), ops.dy->to_dtype(DType::f32)};
        HostTensor out = make_output(q, d);
        const Status s = naive_->run(q, d, with_output(narrow.operands(), d, out), ctx);
        const HostTensor wide = out.to_dtype(DType::f64);
        HostTensor* dst = d == Direction::fwd ? ops.y : ops.dx;
        for_each_index(wide.dims(), [&](const Dims& i) { dst->put(i, wide.at(i)); });
        return s;
      }
    }
    return Status::Ok();
  }

 private:
  Bug bug_;
  std::unique_ptr<Backend> naive_;
};

ConformanceCase mutant_case(Bug bug, const std::string& problem_name, Direction d) {
  BackendFactory f{"mutant", "planted bug", [] { return std::vector<std::string>{"default"}; },
                   [bug](const std::string&) -> Result<std::unique_ptr<Backend>> {
                     return std::unique_ptr<Backend>(std::make_unique<MutantBackend>(bug));
                   }};
  for (ConformanceCase& c : conformance_cases(f))
    if (c.problem_name == problem_name && c.direction == d) return c;
  ADD_FAILURE() << "no problem " << problem_name;
  return {};
}

TEST(ConformanceMutants, ShiftedCropIsCaught) {
  const ConformanceCase c = mutant_case(Bug::shifted_crop, "pytorch_s2_p1_op1", Direction::fwd);
  EXPECT_NONFATAL_FAILURE(expect_conformance(c, FillKind::uniform), "elements over bound");
  EXPECT_NONFATAL_FAILURE(expect_conformance(c, FillKind::integer), "elements over bound");
}

TEST(ConformanceMutants, UnwrittenElementIsCaughtInEveryDirection) {
  for (Direction d : kAllDirections) {
    const ConformanceCase c = mutant_case(Bug::unwritten_last_element, "groups2", d);
    EXPECT_NONFATAL_FAILURE(expect_conformance(c, FillKind::uniform), "1 NaN");
  }
}

TEST(ConformanceMutants, FlippedKernelIsCaught) {
  const ConformanceCase c = mutant_case(Bug::flipped_kernel, "nhwc_groups_ihwo", Direction::bwd_data);
  EXPECT_NONFATAL_FAILURE(expect_conformance(c, FillKind::uniform), "elements over bound");
}

TEST(ConformanceMutants, F64BackendComputingInF32IsCaught) {
  const ConformanceCase c = mutant_case(Bug::f32_rounding_of_f64, "f64", Direction::fwd);
  EXPECT_NONFATAL_FAILURE(expect_conformance(c, FillKind::uniform), "elements over bound");
}

}  // namespace
}  // namespace tconv::crosscheck
