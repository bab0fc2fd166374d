// Proof on the CPU that the graph plan's values describe the problem: cuDNN's convolution as
// its documentation defines it (cross-correlation; X read at o * stride + tap * dilation - pre
// padding, zero outside; post padding only in the size rule; groups implied by X's channels
// over W's C), evaluated from the GraphPlan's dims and paddings alone, equals the oracle for
// the three operations tconv maps onto it. Run on every plan the graph variants use without
// staging, asymmetric pre / post padding included (the legacy API cannot express those; the
// staging proof is staging_oracle_test.cpp).
#include <gtest/gtest.h>

#include <random>

#include "backends/cudnn/graph_plan.h"
#include "backends/naive/oracle.h"
#include "backends/testing/backend_conformance.h"
#include "backends/testing/random_problem.h"
#include "conformance/fill.h"

namespace tconv::cudnn {
namespace {

Dims dims_of(const std::array<std::int64_t, 4>& a) { return {a[0], a[1], a[2], a[3]}; }

// Calls f(y index, x index, w index) for every product of the graph's convolution whose X
// element lies inside X (the rest multiply padding zeros).
template <class F>
void for_each_product(const GraphPlan& g, F&& f) {
  const std::int64_t n = g.y.dims[0], k_all = g.y.dims[1], oh_n = g.y.dims[2], ow_n = g.y.dims[3];
  const std::int64_t c_per = g.w.dims[1], r_n = g.w.dims[2], s_n = g.w.dims[3];
  const std::int64_t groups = g.x.dims[1] / c_per, k_per = k_all / groups;
  for (std::int64_t b = 0; b < n; ++b)
    for (std::int64_t k = 0; k < k_all; ++k)
      for (std::int64_t oh = 0; oh < oh_n; ++oh)
        for (std::int64_t ow = 0; ow < ow_n; ++ow)
          for (std::int64_t c = 0; c < c_per; ++c)
            for (std::int64_t r = 0; r < r_n; ++r)
              for (std::int64_t s = 0; s < s_n; ++s) {
                const std::int64_t h = oh * g.stride[0] + r * g.dilation[0] - g.pre_padding[0];
                const std::int64_t w = ow * g.stride[1] + s * g.dilation[1] - g.pre_padding[1];
                if (h < 0 || h >= g.x.dims[2] || w < 0 || w >= g.x.dims[3]) continue;
                f(Dims{b, k, oh, ow}, Dims{b, (k / k_per) * c_per + c, h, w}, Dims{k, c, r, s});
              }
}

// The size rule cuDNN checks (with both paddings): Y is the forward convolution of X.
std::int64_t forward_out(std::int64_t in, std::int64_t pre, std::int64_t post, std::int64_t k, std::int64_t dil,
                         std::int64_t stride) {
  return (in + pre + post - (dil * (k - 1) + 1)) / stride + 1;
}

void expect_graph_semantics_exact(const Problem& canonical, std::uint64_t seed) {
  Problem p = canonical;
  p.dtype = DType::f64;
  p.weight_layout = Layout::IOHW;
  const InputSet in = make_inputs(p, {FillKind::integer, seed});
  for (Direction d : kConvDirections) {
    const ConvPlan pl = make_plan(p, d, PaddingForm::pre_post);
    if (pl.staged) continue;
    const GraphPlan g = make_graph_plan(pl);
    SCOPED_TRACE(std::string(to_string(d)) + " " + describe(g));
    // The roles: X is the problem's y / dy, Y its x, W its filter [C_in, C_out/g, kH, kW].
    ASSERT_EQ(dims_of(g.x.dims), p.y_dims());
    ASSERT_EQ(dims_of(g.y.dims), p.x_dims());
    ASSERT_EQ(dims_of(g.w.dims), p.w_dims());
    ASSERT_EQ(g.y.dims[2], forward_out(g.x.dims[2], g.pre_padding[0], g.post_padding[0], g.w.dims[2], g.dilation[0],
                                       g.stride[0]));
    ASSERT_EQ(g.y.dims[3], forward_out(g.x.dims[3], g.pre_padding[1], g.post_padding[1], g.w.dims[3], g.dilation[1],
                                       g.stride[1]));
    const Dims out_dims = d == Direction::fwd ? p.y_dims() : d == Direction::bwd_data ? p.x_dims() : p.w_dims();
    HostTensor out(DType::f64, d == Direction::bwd_weights ? Layout::IOHW : Layout::NCHW, out_dims, p.groups);
    for (std::int64_t i = 0; i < out.numel(); ++i) out.set(i, 0.0);
    switch (d) {
      case Direction::fwd:  // dgrad: DX (y) from DY (x) and W
        for_each_product(g, [&](const Dims& yi, const Dims& xi, const Dims& wi) {
          out.put(xi, out.at(xi) + in.x.at(yi) * in.w.at(wi));
        });
        if (p.bias)
          for_each_index(out_dims, [&](const Dims& i) { out.put(i, out.at(i) + in.b.at({i[1], 0, 0, 0})); });
        break;
      case Direction::bwd_data:  // fprop: Y (dx) from X (dy) and W
        for_each_product(g, [&](const Dims& yi, const Dims& xi, const Dims& wi) {
          out.put(yi, out.at(yi) + in.dy.at(xi) * in.w.at(wi));
        });
        break;
      default:  // wgrad: DW from DY (x) and X (dy)
        for_each_product(g, [&](const Dims& yi, const Dims& xi, const Dims& wi) {
          out.put(wi, out.at(wi) + in.x.at(yi) * in.dy.at(xi));
        });
    }
    EXPECT_EQ(out.logical_values(), to_vector(compute_reference(p, d, in.operands()).value)) << to_repro(p);
  }
}

TEST(GraphPaddingOracle, ConformanceProblems) {
  std::uint64_t seed = 1;
  for (const crosscheck::NamedProblem& np : crosscheck::conformance_problems()) {
    if (is_integer(np.problem.dtype)) continue;
    SCOPED_TRACE(np.name);
    expect_graph_semantics_exact(np.problem, ++seed);
  }
}

TEST(GraphPaddingOracle, RandomProblemsWithAsymmetricPadding) {
  std::mt19937_64 rng(17);
  int asymmetric = 0;
  for (int i = 0; i < 300; ++i) {
    const Problem p = crosscheck::random_problem(rng);
    const ConvPlan pl = make_plan(p, Direction::fwd, PaddingForm::pre_post);
    asymmetric += !pl.staged && (pl.pad_h != pl.post_pad_h || pl.pad_w != pl.post_pad_w);
    expect_graph_semantics_exact(p, 200 + i);
    if (HasFailure()) break;
  }
  EXPECT_GT(asymmetric, 20) << "the random problems should exercise pre / post padding";
}

}  // namespace
}  // namespace tconv::cudnn
