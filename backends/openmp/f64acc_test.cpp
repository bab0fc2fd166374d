// openmp:f64acc against the oracle's f64 values at 1e-12 x S per element (S = sum of |terms|)
// on random problems of every shape class, dtype and layout, and bitwise identical results
// for 1, 2 and 3 threads on problems that take every tiling (bands, channel blocks, several
// bwd_weights chunks).
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>

#include "backends/naive/oracle.h"
#include "backends/openmp/openmp_backend.h"
#include "backends/testing/random_problem.h"
#include "backends/testing/square_problem.h"
#include "conformance/fill.h"

namespace tconv {
namespace {

constexpr double kRelative = 1e-12;

struct F64Run {
  Status status;
  HostTensor out;
};

F64Run run_f64acc(const Problem& p, Direction d, const InputSet& in, int threads) {
  auto backend = openmp_backend_factory().create("f64acc").value_or(nullptr);
  F64Run r{Status::Ok(), make_output(p, d)};
  RunContext ctx;
  ctx.threads = threads;
  r.status = backend->run(p, d, with_output(in.operands(), d, r.out), ctx);
  return r;
}

// |out - value| within 1e-12 x S, plus half an ulp of the output type where it is narrower.
void expect_agrees(const Problem& p, Direction d, const HostTensor& out, const Reference& ref) {
  const double u = p.dtype == DType::f64 ? 0 : p.dtype == DType::f32 ? 0x1p-24 : p.dtype == DType::f16 ? 0x1p-11 : 0x1p-8;
  const double tiny = p.dtype == DType::f64 ? 0 : p.dtype == DType::f32 ? 0x1p-149 : p.dtype == DType::f16 ? 0x1p-24 : 0x1p-133;
  std::int64_t i = 0, bad = 0;
  for_each_index(out.dims(), [&](const Dims& idx) {
    const double v = ref.value[static_cast<std::size_t>(i)], s = ref.abs_sum[static_cast<std::size_t>(i)];
    const double got = out.at(idx);
    const double bound = kRelative * s + u * std::fabs(v) + tiny;
    if (!(std::fabs(got - v) <= bound) && ++bad <= 3)
      ADD_FAILURE() << to_string(d) << " " << to_repro(p) << " element " << i << ": " << got << " vs " << v
                    << " (S " << s << ", bound " << bound << ")";
    ++i;
  });
}

TEST(OpenMPF64Acc, AgreesWithTheOracleOnRandomProblems) {
  std::mt19937_64 rng(2112);
  crosscheck::RandomProblemLimits limits;
  limits.max_channels_per_group = 5;
  limits.max_spatial = 9;
  for (int k = 0; k < 240; ++k) {
    Problem p = crosscheck::random_problem(rng, limits);
    const DType types[] = {DType::f64, DType::f64, DType::f32, DType::f16, DType::bf16};
    p.dtype = types[k % 5];
    if (!validate(p).ok()) continue;
    const InputSet in = make_inputs(p, {k % 2 ? FillKind::normal : FillKind::uniform, static_cast<std::uint64_t>(k)});
    for (Direction d : kAllDirections) {
      const F64Run r = run_f64acc(p, d, in, 2);
      ASSERT_TRUE(r.status.ok()) << to_repro(p) << ": " << r.status.message;
      expect_agrees(p, d, r.out, compute_reference(p, d, in.operands()));
    }
  }
}

TEST(OpenMPF64Acc, BitwiseIdenticalForAnyThreadCount) {
  const std::vector<Problem> problems{
      square_problem(1, 4, 8, 1, 80, 80, 4, 2, 1, 1, 0),    // fwd in two bands of input rows
      square_problem(4, 16, 64, 1, 32, 32, 4, 2, 1, 1, 0),  // bwd_weights in three chunks
      square_problem(3, 8, 12, 4, 10, 9, 3, 2, 2, 1, 2),    // groups, dilation
      square_problem(1, 2, 40, 1, 12, 12, 3, 3, 1, -1, 1),  // one image: channel blocks
  };
  for (Problem p : problems)
    for (Layout layout : kDataLayouts) {
      p.layout = layout;
      p.dtype = DType::f32;
      const InputSet in = make_inputs(p, {FillKind::uniform, 5});
      for (Direction d : kAllDirections) {
        const F64Run one = run_f64acc(p, d, in, 1), two = run_f64acc(p, d, in, 2), three = run_f64acc(p, d, in, 3);
        ASSERT_TRUE(one.status.ok() && two.status.ok() && three.status.ok()) << to_repro(p);
        EXPECT_EQ(0, std::memcmp(one.out.data(), two.out.data(), one.out.bytes())) << to_string(d) << " " << to_repro(p);
        EXPECT_EQ(0, std::memcmp(one.out.data(), three.out.data(), one.out.bytes())) << to_string(d) << " " << to_repro(p);
      }
      p.dtype = DType::f64;  // and the f64 values themselves, before any rounding to f32
      const InputSet in64 = make_inputs(p, {FillKind::uniform, 5});
      for (Direction d : kAllDirections) {
        const F64Run one = run_f64acc(p, d, in64, 1), three = run_f64acc(p, d, in64, 3);
        EXPECT_EQ(0, std::memcmp(one.out.data(), three.out.data(), one.out.bytes())) << to_string(d) << " " << to_repro(p);
        if (d == Direction::bwd_weights) expect_agrees(p, d, one.out, compute_reference(p, d, in64.operands()));
      }
    }
}

TEST(OpenMPF64Acc, DeclaresF64AccumulationAndRefusesIntegers) {
  auto backend = openmp_backend_factory().create("f64acc").value_or(nullptr);
  ASSERT_TRUE(backend);
  Problem p = square_problem(1, 2, 2, 1, 3, 3, 2, 2, 1, 0, 0);
  EXPECT_EQ(backend->math(p).name, "f64acc");
  EXPECT_EQ(backend->math(p).u_acc, 0x1p-53);
  p.dtype = DType::f64;
  EXPECT_TRUE(backend->check(p, Direction::fwd).ok());
  p.dtype = DType::i8;
  EXPECT_FALSE(backend->check(p, Direction::fwd).ok());
}

}  // namespace
}  // namespace tconv
