// Issue 14: the looser bounds must not blind the check. Every planted mutant runs over the
// smoke suite and is judged under the bound before the change (legacy), the math it declares
// (f64 accumulation, one rounding), and the loosest declarations real backends make: f16/bf16
// style (truncating accumulation, separate bias, split-K partials rounded to the output type)
// and the norm-wise Winograd criterion. The table printed is docs/tolerance.md's.
#include <gtest/gtest.h>

#include <cstdio>
#include <limits>
#include <map>

#include "conformance/compare.h"
#include "conformance/fill.h"
#include "conformance/suite.h"
#include "conformance/test_backends/mutants.h"

namespace tconv {
namespace {

enum Regime { kLegacy, kDeclared, kLowPrecision, kWinograd, kRegimes };
constexpr const char* kRegimeNames[] = {"before (legacy bound)", "after, as declared", "after, loosest rounding",
                                        "after, Winograd norm-wise"};

MathMode regime_math(Regime r, const Backend& b, const Problem& p, Direction d) {
  MathMode m = b.declared_math(p, d, {});
  if (r == kLowPrecision) {
    m = one_rounding_math(p.dtype, AlgorithmClass::implicit_gemm);
    m.truncating_acc = true;
    m.split_k = 4;
    m.u_split = unit_roundoff(p.dtype);
    if (d == Direction::fwd && p.bias) {
      m.separate_bias = true;
      m.output_roundings = 2;
    }
  }
  if (r == kWinograd) m = one_rounding_math(p.dtype, AlgorithmClass::winograd);
  return m;
}

struct Margin {
  int caught = 0, escaped = 0;  // rows over the bound; rows the legacy bound caught and this one did not
  double weakest = std::numeric_limits<double>::infinity();  // smallest err/bound among caught rows
};

TEST(MutantMargins, EveryPlantedBugStaysIncorrectWithItsMarginMeasured) {
  auto suite = load_suite(std::string(TCONV_SOURCE_DIR) + "/cases/smoke.yaml");
  ASSERT_TRUE(suite.ok()) << suite.error();
  std::map<std::string, std::array<Margin, kRegimes>> margins;
  for (const Case& c : suite->cases) {
    if (!c.invalid_reason.empty() || is_integer(c.problem.dtype)) continue;
    const Problem& p = c.problem;
    const InputSet in = make_inputs(p, c.fill);
    for (Direction d : c.directions) {
      const Reference ref = compute_reference(p, d, in.operands());
      for (const std::string& name : testing::mutant_names()) {
        auto mutant = testing::make_mutant(name);
        if (!mutant->check(p, d).ok()) continue;
        HostTensor out = make_output(p, d);
        RunContext ctx;
        ASSERT_TRUE(mutant->run(p, d, with_output(in.operands(), d, out), ctx).ok());
        std::array<bool, kRegimes> caught{};
        for (int r = 0; r < kRegimes; ++r) {
          const Regime regime = static_cast<Regime>(r);
          const Comparison cmp = compare_to_reference(ref, out, regime_math(regime, *mutant, p, d),
                                                      {.legacy_bound = regime == kLegacy});
          caught[r] = !cmp.passed();
          Margin& m = margins[name][r];
          if (caught[r]) {
            ++m.caught;
            m.weakest = std::min(m.weakest, cmp.err_bound_ratio);
          }
          if (caught[kLegacy] && !caught[r]) ++m.escaped;
        }
      }
    }
  }
  std::printf("| mutant | bound | rows INCORRECT | escaped vs before | weakest err/bound |\n|---|---|---|---|---|\n");
  for (const auto& [name, by_regime] : margins)
    for (int r = 0; r < kRegimes; ++r)
      std::printf("| %s | %s | %d | %d | %.3g |\n", name.c_str(), kRegimeNames[r], by_regime[r].caught,
                  by_regime[r].escaped, by_regime[r].weakest);
  ASSERT_EQ(margins.size(), testing::mutant_names().size());
  for (const auto& [name, by_regime] : margins) {
    EXPECT_GT(by_regime[kLegacy].caught, 0) << name;
    // What the mutants declare loses nothing; the loosest declarations lose no row either.
    for (int r = kDeclared; r < kRegimes; ++r) EXPECT_EQ(by_regime[r].escaped, 0) << name << " " << kRegimeNames[r];
  }
}

}  // namespace
}  // namespace tconv
