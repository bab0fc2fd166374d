#include "backends/cudnn/algorithms.h"

#include <gtest/gtest.h>

#include <set>

#include "backends/cudnn/cudnn_backend.h"

namespace tconv::cudnn {
namespace {

TEST(CudnnVariants, EveryLegacyAlgorithmIsAVariant) {
  const std::vector<std::string> names = variant_names();
  ASSERT_GE(names.size(), 2u);
  EXPECT_EQ(names[0], "default");
  EXPECT_EQ(names[1], "tf32");
  // bwd-data 6, fwd 8, bwd-filter 7 minus the unimplemented WINOGRAD; find, find+tf32, graph,
  // graph+tf32, graph:fallback
  EXPECT_EQ(names.size(), 2 + 6 + 8 + 6 + 5u);
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), names.size());
  for (const std::string& n : names) {
    std::string error;
    const std::optional<Variant> v = parse_variant(n, &error);
    ASSERT_TRUE(v) << n << ": " << error;
    EXPECT_EQ(v->name, n);
  }
  EXPECT_EQ(find_algorithm("BWD_FILTER_ALGO_WINOGRAD"), nullptr);
}

TEST(CudnnVariants, DeterminismFollowsCudnnsDocumentation) {
  for (const AlgoInfo& a : all_algorithms()) {
    const std::string n = a.name;
    const bool nondeterministic = n == "BWD_DATA_ALGO_0" || n == "BWD_FILTER_ALGO_0" || n == "BWD_FILTER_ALGO_3";
    EXPECT_EQ(a.deterministic, !nondeterministic) << n;
  }
}

TEST(CudnnVariants, PinnedAlgorithmsServeOneTransposedDirection) {
  std::string error;
  EXPECT_EQ(direction_served_by(parse_variant("algo=BWD_DATA_ALGO_1", &error)->algo->op), Direction::fwd);
  EXPECT_EQ(direction_served_by(parse_variant("algo=FWD_ALGO_GEMM", &error)->algo->op), Direction::bwd_data);
  EXPECT_EQ(direction_served_by(parse_variant("algo=BWD_FILTER_ALGO_1", &error)->algo->op), Direction::bwd_weights);
  const std::optional<Variant> t = parse_variant("algo=FWD_ALGO_IMPLICIT_GEMM+tf32", &error);
  ASSERT_TRUE(t);
  EXPECT_TRUE(t->tf32);
  EXPECT_STREQ(t->algo->name, "FWD_ALGO_IMPLICIT_GEMM");
}

TEST(CudnnVariants, UnknownNamesSayWhatExists) {
  std::string error;
  EXPECT_FALSE(parse_variant("algo=FWD_ALGO_9", &error));
  EXPECT_NE(error.find("no variant 'algo=FWD_ALGO_9'"), std::string::npos) << error;
  EXPECT_NE(error.find("BWD_DATA_ALGO_*"), std::string::npos) << error;
  EXPECT_FALSE(parse_variant("tf32+tf32", &error));
}

TEST(CudnnVariants, FactoryCreatesEveryVariantWithoutAGpu) {
  const BackendFactory f = cudnn_backend_factory();
  EXPECT_EQ(f.name, "cudnn");
  EXPECT_NE(f.description.find("cuDNN 9."), std::string::npos) << f.description;
  for (const std::string& n : f.variants()) {
    Result<std::unique_ptr<Backend>> made = f.create(n);
    ASSERT_TRUE(made.ok()) << n << ": " << made.error();
    std::unique_ptr<Backend> b = std::move(made).value();
    EXPECT_EQ(b->variant(), n);
    const Capabilities c = b->capabilities();
    EXPECT_TRUE(c.on_device);
    if (n.starts_with("algo=")) {
      EXPECT_EQ(c.directions.size(), 1u) << n;
    }
  }
  EXPECT_FALSE(f.create("algo=nope").ok());
  EXPECT_FALSE(f.create("algo=nope").error().empty());
}

TEST(CudnnVariants, FindAndGraphVariantsParse) {
  std::string error;
  const std::optional<Variant> find = parse_variant("find+tf32", &error);
  ASSERT_TRUE(find) << error;
  EXPECT_TRUE(find->find);
  EXPECT_TRUE(find->tf32);
  EXPECT_EQ(find->graph, GraphSelection::none);
  EXPECT_EQ(parse_variant("graph", &error)->graph, GraphSelection::heuristics);
  EXPECT_EQ(parse_variant("graph:fallback", &error)->graph, GraphSelection::fallback);
  const std::optional<Variant> pinned = parse_variant("graph:engine=27+tf32", &error);
  ASSERT_TRUE(pinned) << error;
  EXPECT_EQ(pinned->graph, GraphSelection::engine);
  EXPECT_EQ(pinned->engine, 27);
  EXPECT_TRUE(pinned->tf32);
  EXPECT_EQ(pinned->name, "graph:engine=27+tf32");
  EXPECT_EQ(parse_variant("graph:engine=0", &error)->engine, 0);
}

TEST(CudnnVariants, MalformedFindAndGraphNamesAreRefusedWithTheGrammar) {
  for (const char* bad : {"graph:engine=", "graph:engine=-1", "graph:engine=+3", "graph:engine=1x", "graph:engine= 1",
                          "graph:engine=1234567890", "graph:fallbackx", "graphs", "find+tf32+tf32", "finds",
                          "default+tf32", "graph:engine=3+TF32"}) {
    std::string error;
    EXPECT_FALSE(parse_variant(bad, &error)) << bad;
    EXPECT_NE(error.find(std::string("'") + bad + "'"), std::string::npos) << error;
    EXPECT_NE(error.find("graph:engine=<K>"), std::string::npos) << error;
  }
}

TEST(CudnnVariants, FindAndPinnedEnginesDoNotClaimDeterminism) {
  auto make = [&](const char* n) { return cudnn_backend_factory().create(n).value_or(nullptr); };
  EXPECT_FALSE(make("find")->capabilities().deterministic);
  EXPECT_FALSE(make("graph:engine=3")->capabilities().deterministic);
  EXPECT_TRUE(make("graph")->capabilities().deterministic);  // skips nondeterministic engines
  EXPECT_EQ(make("graph")->capabilities().directions.size(), 4u);
  EXPECT_EQ(make("find+tf32")->capabilities().dtypes, std::vector<DType>{DType::f32});
}

}  // namespace
}  // namespace tconv::cudnn
