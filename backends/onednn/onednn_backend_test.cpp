// The oneDNN peer against the oracle: whatever check() accepts must be right, and whatever
// it refuses must say why. The problems reach every mapping: groups, dilation, asymmetric
// and negative crops, every weight layout, both data layouts and variants.
#include "backends/onednn/onednn_backend.h"

#include <gtest/gtest.h>

#include "backends/naive/oracle.h"
#include "backends/testing/square_problem.h"
#include "conformance/compare.h"
#include "conformance/fill.h"

namespace tconv {
namespace {

constexpr auto make = square_problem;

std::vector<Problem> problems() {
  std::vector<Problem> v{
      make(2, 4, 6, 1, 5, 4, 3, 2, 1, 1, 0),   make(2, 6, 4, 1, 4, 3, 2, 2, 1, 0, 0),
      make(3, 5, 7, 1, 4, 4, 1, 1, 1, 0, 0),   make(2, 4, 6, 2, 5, 3, 3, 1, 2, 2, 1),
      make(2, 6, 6, 6, 6, 5, 3, 2, 1, 1, 0),   make(1, 3, 5, 1, 4, 4, 3, 2, 1, -1, 2),
      make(1, 2, 3, 1, 3, 3, 2, 3, 2, 0, -2),  make(2, 16, 16, 1, 6, 6, 4, 2, 1, 1, 1),
  };
  Problem no_bias = v[0];
  no_bias.bias = false;
  v.push_back(no_bias);
  return v;
}

// f16 and bf16 convolutions exist in oneDNN only on some CPUs (AVX-512 with the bf16 / fp16
// extensions, AMX; an AVX2 machine refuses them): the count that must mostly pass is f32's.
TEST(OneDnnBackend, AcceptedProblemsMatchTheOracleRefusedOnesSayWhy) {
  int accepted = 0, refused = 0, accepted_f32 = 0, refused_f32 = 0;
  for (const std::string& variant : onednn_backend_factory().variants())
    for (DType t : {DType::f32, DType::bf16, DType::f16})
      for (Problem p : problems())
        for (Layout layout : kDataLayouts)
          for (Layout wl : kWeightLayouts) {
            p.dtype = t;
            p.layout = layout;
            p.weight_layout = wl;
            auto backend = onednn_backend_factory().create(variant).value_or(nullptr);
            for (Direction d : kAllDirections) {
              const std::string what = variant + " " + std::string(to_string(d)) + " " + to_repro(p);
              const Status s = backend->check(p, d);
              if (!s.ok()) {
                ++refused;
                refused_f32 += t == DType::f32;
                EXPECT_NE(s.message.find("oneDNN"), std::string::npos) << what << ": " << s.message;
                continue;
              }
              ++accepted;
              accepted_f32 += t == DType::f32;
              const InputSet in = make_inputs(p, {FillKind::uniform, 11});
              HostTensor out = make_output(p, d);
              RunContext ctx;
              const Status st = backend->run(p, d, with_output(in.operands(), d, out), ctx);
              ASSERT_TRUE(st.ok()) << what << ": " << st.message;
              const Comparison c = compare_to_reference(compute_reference(p, d, in.operands()), out, backend->math(p));
              EXPECT_TRUE(c.passed()) << what << ": " << c.summary();
            }
          }
  std::printf("onednn: %d accepted, %d refused (f32: %d, %d)\n", accepted, refused, accepted_f32, refused_f32);
  EXPECT_GT(accepted_f32, 3 * refused_f32);
}

}  // namespace
}  // namespace tconv
