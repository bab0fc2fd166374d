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
  EXPECT_EQ(names[1], "default+tf32");
  // graph: default, autotune, heur_b, fallback, each +tf32, default+fused_bias,
  // default+pre_post, autotune+pre_post; legacy, legacy_find, each +tf32; bwd-data 6, fwd 8,
  // bwd-filter 7 minus the unimplemented WINOGRAD
  EXPECT_EQ(names.size(), 8 + 1 + 2 + 4 + 6 + 8 + 6u);
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

TEST(CudnnVariants, GraphVariantsParse) {
  std::string error;
  auto parsed = [&](const char* n) {
    std::optional<Variant> v = parse_variant(n, &error);
    EXPECT_TRUE(v) << n << ": " << error;
    return v.value_or(Variant{});
  };
  EXPECT_EQ(parsed("default").graph, GraphSelection::heuristics);
  EXPECT_FALSE(parsed("default").tf32);  // f32 never TF32 unless named +tf32
  EXPECT_TRUE(parsed("default+tf32").tf32);
  EXPECT_EQ(parsed("autotune").graph, GraphSelection::autotune);
  EXPECT_EQ(parsed("heur_b+tf32").graph, GraphSelection::heur_b);
  EXPECT_EQ(parsed("fallback").graph, GraphSelection::fallback);
  const Variant fused = parsed("default+fused_bias+tf32");
  EXPECT_TRUE(fused.fused_bias && fused.tf32);
  EXPECT_TRUE(parsed("autotune+tf32+fused_bias").fused_bias);
  const Variant pinned = parsed("engine=28,TILE_SIZE=4,EDGE=0,SPLIT_K_SLC=-1+tf32");
  EXPECT_EQ(pinned.graph, GraphSelection::engine);
  EXPECT_EQ(pinned.engine, 28);
  EXPECT_TRUE(pinned.tf32);
  const std::vector<std::pair<std::int64_t, std::int64_t>> knobs{{2, 4}, {3, 0}, {9, -1}};
  EXPECT_EQ(pinned.knobs, knobs);
  EXPECT_EQ(parsed("engine=0").engine, 0);
  EXPECT_TRUE(parsed("engine=0").knobs.empty());
  EXPECT_STREQ(knob_name(2), "TILE_SIZE");
  EXPECT_EQ(knob_type("TILE_CGA"), 32);
  EXPECT_EQ(knob_type("SCHED_POLICY"), -1);  // frontend-only knobs never reach cuDNN
}

// `--why` prints each graph config as the variant that pins it; that name parses back to the
// same engine and knobs, and a knob without a name is left out rather than misnamed.
TEST(CudnnVariants, EngineVariantNamesParseBack) {
  const std::vector<std::pair<std::int64_t, std::int64_t>> knobs{{2, 4}, {3, 0}, {12, -1}};
  const std::string name = engine_variant_name(41, knobs, Variant{});
  EXPECT_EQ(name, "engine=41,TILE_SIZE=4,EDGE=0,KERNEL_CFG=-1");
  std::string error;
  const std::optional<Variant> v = parse_variant(name, &error);
  ASSERT_TRUE(v) << error;
  EXPECT_EQ(v->engine, 41);
  EXPECT_EQ(v->knobs, knobs);
  EXPECT_FALSE(v->tf32);
  // The pin keeps the graph of the variant it came from.
  const Variant like = parse_variant("autotune+pre_post+fused_bias+tf32", &error).value();
  EXPECT_EQ(engine_variant_name(0, {}, like), "engine=0+tf32+fused_bias+pre_post");
  const std::optional<Variant> back = parse_variant(engine_variant_name(0, {}, like), &error);
  ASSERT_TRUE(back) << error;
  EXPECT_TRUE(back->tf32 && back->fused_bias && back->pre_post);
  EXPECT_EQ(back->graph, GraphSelection::engine);
  EXPECT_EQ(engine_variant_name(7, {{2, 1}, {999, 3}}, Variant{}), "engine=7,TILE_SIZE=1");
}

TEST(CudnnVariants, LegacyVariantsAndOlderNames) {
  std::string error;
  const std::optional<Variant> legacy = parse_variant("legacy", &error);
  ASSERT_TRUE(legacy) << error;
  EXPECT_EQ(legacy->graph, GraphSelection::none);
  EXPECT_FALSE(legacy->find);
  EXPECT_TRUE(parse_variant("legacy_find+tf32", &error)->find);
  // Older names keep their meaning; the row shows the name the user gave.
  const std::optional<Variant> find = parse_variant("find+tf32", &error);
  ASSERT_TRUE(find) << error;
  EXPECT_TRUE(find->find && find->tf32);
  EXPECT_EQ(find->graph, GraphSelection::none);
  EXPECT_EQ(find->name, "find+tf32");
  const std::optional<Variant> tf32 = parse_variant("tf32", &error);
  EXPECT_TRUE(tf32->tf32 && tf32->graph == GraphSelection::none && !tf32->find);
  EXPECT_EQ(parse_variant("graph", &error)->graph, GraphSelection::heuristics);
  EXPECT_EQ(parse_variant("graph:fallback", &error)->graph, GraphSelection::fallback);
  const std::optional<Variant> pinned = parse_variant("graph:engine=27+tf32", &error);
  ASSERT_TRUE(pinned) << error;
  EXPECT_EQ(pinned->graph, GraphSelection::engine);
  EXPECT_EQ(pinned->engine, 27);
  EXPECT_TRUE(pinned->tf32);
}

TEST(CudnnVariants, MalformedNamesAreRefusedWithTheGrammar) {
  for (const char* bad : {"engine=", "engine=-1", "engine=+3", "engine=1x", "engine= 1", "engine=1234567890",
                          "engine=3,TILE_SIZE", "engine=3,NOPE=1", "engine=3,TILE_SIZE=x", "engine=3,",
                          "graph:fallbackx", "graphs", "find+tf32+tf32", "finds", "legacy+fused_bias",
                          "algo=FWD_ALGO_GEMM+fused_bias", "engine=3+TF32", "autotunes", "legacy+pre_post",
                          "default+pre_post+pre_post"}) {
    std::string error;
    EXPECT_FALSE(parse_variant(bad, &error)) << bad;
    EXPECT_NE(error.find(std::string("'") + bad + "'"), std::string::npos) << error;
    EXPECT_NE(error.find("engine=<K>"), std::string::npos) << error;
  }
}

TEST(CudnnVariants, BenchmarkingAndPinnedVariantsDoNotClaimDeterminism) {
  auto make = [&](const char* n) { return cudnn_backend_factory().create(n).value_or(nullptr); };
  EXPECT_FALSE(make("legacy_find")->capabilities().deterministic);
  EXPECT_FALSE(make("autotune")->capabilities().deterministic);
  EXPECT_FALSE(make("engine=3")->capabilities().deterministic);
  EXPECT_TRUE(make("default")->capabilities().deterministic);  // skips nondeterministic engines
  EXPECT_TRUE(make("heur_b")->capabilities().deterministic);
  EXPECT_EQ(make("default")->capabilities().directions.size(), 4u);
  EXPECT_EQ(make("legacy_find+tf32")->capabilities().dtypes, std::vector<DType>{DType::f32});
}

}  // namespace
}  // namespace tconv::cudnn
