// The oracle sums each output element in a fixed order, so its results are bitwise identical
// for any number of OpenMP threads.
#include <gtest/gtest.h>

#include <cstring>

#include "backends/naive/oracle.h"
#include "conformance/fill.h"

#if defined(_OPENMP)
#include <omp.h>
#endif

namespace tconv::crosscheck {
namespace {

template <class T>
bool bitwise_equal(const ReferenceArray<T>& a, const ReferenceArray<T>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0;
}

TEST(OracleThreads, ResultsAreBitwiseIdenticalForOneTwoAndThreeThreads) {
#if !defined(_OPENMP)
  GTEST_SKIP() << "built without OpenMP";
#else
  const int saved = omp_get_max_threads();
  // Large enough that the oracle does use threads in every direction (it stays serial on
  // small problems); fields in Problem's declaration order.
  const Problem problems[] = {
      {2, 8, 8, 1, 12, 12, 3, 3, 2, 2, 1, 1, 1, 0, 1, 0, true, DType::f32, Layout::NCHW, Layout::IOHW, {}},
      {2, 8, 12, 4, 14, 12, 4, 3, 3, 2, 2, 1, -1, 2, 1, 0, true, DType::f32, Layout::NHWC, Layout::HWOI, {}},
      {4, 16, 16, 16, 16, 16, 5, 5, 2, 2, 1, 1, 2, 1, 2, 1, false, DType::f16, Layout::NCHW, Layout::OIHW_FLIPPED, {}},
  };
  std::uint64_t seed = 31;
  for (const Problem& p : problems) {
    ASSERT_TRUE(validate(p).ok()) << validate(p).message;
    const InputSet in = make_inputs(p, {FillKind::normal, ++seed});
    for (Direction d : kAllDirections) {
      omp_set_num_threads(1);
      const Reference one = compute_reference(p, d, in.operands());
      for (int threads : {2, 3}) {
        omp_set_num_threads(threads);
        const Reference many = compute_reference(p, d, in.operands());
        EXPECT_TRUE(bitwise_equal(one.value, many.value) && bitwise_equal(one.abs_sum, many.abs_sum) &&
                    bitwise_equal(one.terms, many.terms))
            << threads << " threads, " << to_string(d) << " " << to_repro(p);
      }
    }
  }
  omp_set_num_threads(saved);
#endif
}

}  // namespace
}  // namespace tconv::crosscheck
