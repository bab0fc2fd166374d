#include "backends/openmp/gemm.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace tconv::openmp {
namespace {

TEST(Gemm, EveryProviderEveryTransposeWithLeadingDimensions) {
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> u(-1, 1);
  const std::int64_t m = 13, n = 21, k = 17, pad = 3;
  for (GemmProvider g : available_gemm_providers())
    for (bool ta : {false, true})
      for (bool tb : {false, true})
        for (float beta : {0.0f, 1.0f}) {
          const std::int64_t lda = (ta ? m : k) + pad, ldb = (tb ? k : n) + pad, ldc = n + pad;
          std::vector<float> a(static_cast<std::size_t>((ta ? k : m) * lda)), b(static_cast<std::size_t>((tb ? n : k) * ldb));
          std::vector<float> c(static_cast<std::size_t>(m * ldc));
          for (float& v : a) v = u(rng);
          for (float& v : b) v = u(rng);
          for (float& v : c) v = beta == 0.0f ? NAN : u(rng);  // beta 0 must ignore C
          const std::vector<float> c0 = c;
          sgemm(g, ta, tb, m, n, k, 0.5f, a.data(), lda, b.data(), ldb, beta, c.data(), ldc);
          for (std::int64_t i = 0; i < m; ++i)
            for (std::int64_t j = 0; j < n; ++j) {
              double want = beta == 0.0f ? 0.0 : c0[i * ldc + j];
              for (std::int64_t p = 0; p < k; ++p)
                want += 0.5 * (ta ? a[p * lda + i] : a[i * lda + p]) * (tb ? b[j * ldb + p] : b[p * ldb + j]);
              EXPECT_NEAR(c[i * ldc + j], want, 1e-5) << to_string(g) << " ta=" << ta << " tb=" << tb;
            }
        }
}

}  // namespace
}  // namespace tconv::openmp
