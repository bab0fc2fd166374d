#include "backends/naive/reference_array.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace tconv {
namespace {

constexpr std::size_t kLarge = std::size_t{8} << 20;  // doubles: 64 MiB, above the recycling size

TEST(ReferenceArray, ALargeBlockFreedIsTheNextOfASimilarSize) {
  const double* first = nullptr;
  {
    ReferenceArray<double> a(kLarge);
    a.back() = 1.0;  // mapped, writable to the end
    first = a.data();
  }
  ReferenceArray<double> b(kLarge - 1000);  // a little smaller: the same block serves
  EXPECT_EQ(b.data(), first);
  b.back() = 2.0;
}

TEST(ReferenceArray, ABlockMoreThanTwiceTheRequestIsNotHandedOut) {
  const double* big = nullptr;
  {
    ReferenceArray<double> a(4 * kLarge);
    big = a.data();
  }
  ReferenceArray<double> small(kLarge);  // 1/4 of the kept block: a fresh one
  EXPECT_NE(small.data(), big);
  small.back() = 1.0;
  ReferenceArray<double> again(4 * kLarge - 1);  // and the kept one still serves its size
  EXPECT_EQ(again.data(), big);
}

TEST(ReferenceArray, SmallArraysAndCopiesBehaveAsVectors) {
  ReferenceArray<std::int32_t> terms;
  terms.assign(5, 7);  // assign still fills
  EXPECT_EQ(to_vector(terms), (std::vector<std::int32_t>{7, 7, 7, 7, 7}));
  ReferenceArray<double> v{1.5, 2.5};
  ReferenceArray<double> copy = v;
  copy.push_back(3.5);
  EXPECT_EQ(to_vector(copy), (std::vector<double>{1.5, 2.5, 3.5}));
  EXPECT_EQ(to_vector(v), (std::vector<double>{1.5, 2.5}));
}

}  // namespace
}  // namespace tconv
