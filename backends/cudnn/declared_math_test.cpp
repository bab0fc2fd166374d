#include "backends/cudnn/declared_math.h"

#include <gtest/gtest.h>

namespace tconv::cudnn {
namespace {

Problem with_bias(DType t) {
  Problem p;
  p.dtype = t;
  p.bias = true;
  return p;
}

Variant named(const std::string& name) {
  std::string error;
  std::optional<Variant> v = parse_variant(name, &error);
  EXPECT_TRUE(v) << error;
  return v.value_or(Variant{});
}

TEST(CudnnDeclaredMath, AlgorithmNamesMapToTheirClass) {
  EXPECT_EQ(algorithm_class("BWD_DATA_ALGO_FFT_TILING, staged"), AlgorithmClass::fft);
  EXPECT_EQ(algorithm_class("FWD_ALGO_WINOGRAD_NONFUSED"), AlgorithmClass::winograd);
  EXPECT_EQ(algorithm_class("FWD_ALGO_DIRECT"), AlgorithmClass::direct);
  EXPECT_EQ(algorithm_class("BWD_DATA_ALGO_1"), AlgorithmClass::implicit_gemm);
  // Graph engines: the class comes from cuDNN's numerical notes in the row's algorithm.
  EXPECT_EQ(algorithm_class("engine 5 (eng5_k2=1, heuristics A + fallback #3; notes TENSOR_CORE, FFT)"),
            AlgorithmClass::fft);
  EXPECT_EQ(algorithm_class("engine 9 (eng9, fallback #0; notes WINOGRAD_TILE_4x4), autotuned over 3 plans"),
            AlgorithmClass::winograd);
  EXPECT_EQ(algorithm_class("engine 28 (eng28_k2=4_k3=0, heuristics A + fallback #2; notes TENSOR_CORE)"),
            AlgorithmClass::implicit_gemm);
}

TEST(CudnnDeclaredMath, PinnedTransformAlgorithmsAreJudgedAsTheirClass) {
  const MathMode m = variant_math(named("algo=FWD_ALGO_FFT"), with_bias(DType::f32), Direction::bwd_data, "");
  EXPECT_EQ(m.algorithm, AlgorithmClass::fft);
  EXPECT_TRUE(m.transforms());
  EXPECT_EQ(variant_math(named("algo=BWD_DATA_ALGO_WINOGRAD_NONFUSED"), with_bias(DType::f32), Direction::fwd, "").algorithm,
            AlgorithmClass::winograd);
}

TEST(CudnnDeclaredMath, DefaultTakesTheClassOfTheAlgorithmThatRan) {
  const Variant v = named("default");
  EXPECT_EQ(variant_math(v, with_bias(DType::f32), Direction::fwd, "").algorithm, AlgorithmClass::implicit_gemm);
  EXPECT_EQ(variant_math(v, with_bias(DType::f32), Direction::fwd, "BWD_DATA_ALGO_WINOGRAD_NONFUSED").algorithm,
            AlgorithmClass::winograd);
}

TEST(CudnnDeclaredMath, LowPrecisionFwdWithBiasDeclaresTwoRoundingsAndTruncation) {
  for (DType t : {DType::f16, DType::bf16}) {
    const MathMode m = variant_math(named("find"), with_bias(t), Direction::fwd, "");
    EXPECT_TRUE(m.separate_bias);
    EXPECT_EQ(m.output_roundings, 2);
    EXPECT_TRUE(m.truncating_acc);
    EXPECT_FALSE(variant_math(named("find"), with_bias(t), Direction::bwd_data, "").separate_bias);
  }
  const MathMode f32 = variant_math(named("default"), with_bias(DType::f32), Direction::fwd, "");
  EXPECT_FALSE(f32.separate_bias);
  EXPECT_EQ(f32.output_roundings, 1);
}

}  // namespace
}  // namespace tconv::cudnn
