// The graph API on the CPU: cuDNN 9 finalizes tensor, convolution, operation and
// operation-graph descriptors without a GPU and validates their shapes while doing so, so the
// graphs built here for every direction are checked by cuDNN itself. Heuristics, execution
// plans and execution need a GPU (the GPU tests at the end skip without one).
#include "backends/cudnn/graph_api.h"

#include <gtest/gtest.h>

#include <random>

#include "backends/cudnn/cudnn_backend.h"
#include "backends/cudnn/device_context.h"
#include "backends/cudnn/graph_selection.h"
#include "backends/naive/oracle.h"
#include "backends/testing/backend_conformance.h"
#include "backends/testing/random_problem.h"
#include "conformance/compare.h"
#include "conformance/fill.h"

namespace tconv::cudnn {
namespace {

constexpr Direction kConvDirections[] = {Direction::fwd, Direction::bwd_data, Direction::bwd_weights};

Problem unet_like() {  // NHWC, HWOI weights, k == s: the Keras U-Net decoder shape, smaller
  Problem p;
  p.n = 2, p.c_in = 16, p.c_out = 8, p.h_in = p.w_in = 4, p.kh = p.kw = 2, p.stride_h = p.stride_w = 2;
  p.layout = Layout::NHWC, p.weight_layout = Layout::HWOI;
  return p;
}

TEST(GraphApiCpu, OperationGraphFinalizesForEveryDirectionAndDtype) {
  for (DType t : {DType::f32, DType::f16, DType::bf16, DType::f64}) {
    Problem p = unet_like();
    p.dtype = t;
    for (Direction d : kConvDirections) {
      const ConvPlan pl = make_plan(p, d);
      OperationGraph g;
      const Status s = build_operation_graph(pl, &g);
      EXPECT_TRUE(s.ok()) << to_string(t) << " " << to_string(d) << ": " << s.message;
      std::int64_t engines = 0;
      if (s.ok()) {
        EXPECT_TRUE(engine_global_count(g, &engines).ok());
      }
      EXPECT_GT(engines, 0) << to_string(t) << " " << to_string(d);
    }
  }
}

TEST(GraphApiCpu, OperationGraphFinalizesOnConformanceAndRandomProblems) {
  std::vector<Problem> problems;
  for (const crosscheck::NamedProblem& np : crosscheck::conformance_problems()) problems.push_back(np.problem);
  std::mt19937_64 rng(5);
  for (int i = 0; i < 60; ++i) problems.push_back(crosscheck::random_problem(rng));
  for (const Problem& p : problems)
    for (Direction d : kConvDirections) {
      const ConvPlan pl = make_plan(p, d);  // staged problems too: cuDNN sees the staging geometry
      OperationGraph g;
      const Status s = build_operation_graph(pl, &g);
      EXPECT_TRUE(s.ok()) << to_repro(p) << " " << to_string(d) << ": " << s.message;
    }
}

// The classic porting mistake (filter K is not dy's channels) is caught by cuDNN's own graph
// validation, and the message carries the legacy values, the graph and cuDNN's words.
TEST(GraphApiCpu, InconsistentFilterIsRefusedWithTheDescriptorValues) {
  ConvPlan pl = make_plan(unet_like(), Direction::fwd);
  pl.k += 1;
  OperationGraph g;
  const Status s = build_operation_graph(pl, &g);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message.find("CUDNN_STATUS_"), std::string::npos) << s.message;
  EXPECT_NE(s.message.find("graph: CUDNN_BACKEND_OPERATION_CONVOLUTION_BACKWARD_DATA_DESCRIPTOR"), std::string::npos)
      << s.message;
  EXPECT_NE(s.message.find("dgrad: dy"), std::string::npos) << s.message;
}

TEST(GraphApiCpu, PinnedEngineIndexMustExist) {
  const ConvPlan pl = make_plan(unet_like(), Direction::fwd);
  OperationGraph g;
  ASSERT_TRUE(build_operation_graph(pl, &g).ok());
  std::int64_t count = 0;
  ASSERT_TRUE(engine_global_count(g, &count).ok());
  std::string error;
  Variant last = *parse_variant("graph:engine=" + std::to_string(count - 1), &error);
  Variant beyond = *parse_variant("graph:engine=" + std::to_string(count), &error);
  EXPECT_EQ(graph_host_refusal(pl, last), "");
  const std::string why = graph_host_refusal(pl, beyond);
  EXPECT_NE(why.find("does not exist"), std::string::npos) << why;
  EXPECT_NE(why.find("0.." + std::to_string(count - 1)), std::string::npos) << why;
  EXPECT_EQ(graph_host_refusal(pl, *parse_variant("default", &error)), "");  // legacy variants: no graph
}

TEST(GraphApiCpu, CheckRefusesAMissingEngineWithoutAGpu) {
  auto made = cudnn_backend_factory().create("graph:engine=99999");
  ASSERT_TRUE(made.ok()) << made.error();
  auto b = std::move(made).value();
  const Status s = b->check(unet_like(), Direction::fwd);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message.find("engine 99999 does not exist"), std::string::npos) << s.message;
  EXPECT_TRUE(b->check(unet_like(), Direction::bwd_bias).ok());  // the bias reduction has no graph
}

TEST(GraphApiCpu, NumericsRulesForEngines) {
  EngineNotes n;
  EXPECT_EQ(engine_refusal(n, true), "");
  n.tensor_core = true;
  EXPECT_NE(engine_refusal(n, true).find("+tf32"), std::string::npos);
  EXPECT_EQ(engine_refusal(n, false), "");
  n.down_convert = true;
  EXPECT_NE(engine_refusal(n, false).find("DOWN_CONVERT"), std::string::npos);
  n = {};
  n.reduced_precision = true;
  EXPECT_NE(engine_refusal(n, false).find("REDUCED_PRECISION"), std::string::npos);
  n = {};
  n.nondeterministic = true;
  EXPECT_EQ(engine_refusal(n, true), "");  // determinism is the selection's business, not numerics
}

// GPU: the graph variants give the oracle's answer on the U-Net-like layer in every direction.
TEST(GraphApiGpu, GraphVariantsMatchTheOracle) {
  if (!no_gpu_reason().empty()) GTEST_SKIP() << no_gpu_reason();
  const Problem p = unet_like();
  for (const char* name : {"graph", "graph:fallback", "find"}) {
    auto made = cudnn_backend_factory().create(name);
    ASSERT_TRUE(made.ok()) << made.error();
    auto b = std::move(made).value();
    for (Direction d : kAllDirections) {
      SCOPED_TRACE(std::string(name) + " " + std::string(to_string(d)));
      if (Status s = b->check(p, d); !s.ok()) {
        ADD_FAILURE() << "unsupported: " << s.message;
        continue;
      }
      const InputSet in = make_inputs(p, {FillKind::uniform, 3});
      HostTensor out = make_output(p, d);
      RunContext ctx;
      const Status s = b->run(p, d, with_output(in.operands(), d, out), ctx);
      ASSERT_TRUE(s.ok()) << s.message;
      const Comparison c = compare_to_reference(compute_reference(p, d, in.operands()), out, b->math(p));
      EXPECT_TRUE(c.passed()) << c.summary();
    }
  }
}

}  // namespace
}  // namespace tconv::cudnn
