// Integer storage types: exact loads and stores (saturating, ties-to-even conversion), layout
// changes, and .npy exchange as '|i1' / '<i2' / '<i4' with strict loading.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>

#include <unistd.h>

#include "backends/api/npy.h"

namespace tconv {
namespace {

TEST(IntegerDType, NamesSizesAndRanges) {
  EXPECT_EQ(parse_dtype("i8"), DType::i8);
  EXPECT_EQ(parse_dtype("i16"), DType::i16);
  EXPECT_EQ(parse_dtype("i32"), DType::i32);
  EXPECT_EQ(dtype_size(DType::i8), 1u);
  EXPECT_EQ(dtype_size(DType::i16), 2u);
  EXPECT_EQ(int_min(DType::i8), -128);
  EXPECT_EQ(int_max(DType::i16), 32767);
  EXPECT_EQ(unit_roundoff(DType::i8), 0.0);
  EXPECT_TRUE(is_integer(DType::i16));
  EXPECT_FALSE(is_integer(DType::bf16));
  for (DType t : kAllDTypes) EXPECT_FALSE(is_integer(t)) << "kAllDTypes stays floating point";
}

TEST(IntegerDType, StoreRoundsTiesToEvenAndSaturates) {
  unsigned char buf[4];
  const std::pair<double, double> i8[] = {{5, 5}, {-128, -128}, {127, 127}, {200, 127}, {-1e9, -128},
                                          {2.5, 2}, {-2.5, -2}, {3.5, 4}, {NAN, 0}};
  for (auto [in, out] : i8) {
    store_element(buf, DType::i8, in);
    EXPECT_EQ(load_element(buf, DType::i8), out) << in;
  }
  store_element(buf, DType::i16, -40000);
  EXPECT_EQ(load_element(buf, DType::i16), -32768);
  store_element(buf, DType::i32, -123456789);
  EXPECT_EQ(load_element(buf, DType::i32), -123456789);
}

HostTensor ramp(DType t, Layout l) {
  HostTensor x(t, l, {2, 3, 2, 4});
  double v = int_min(t);
  for_each_index(x.dims(), [&](const Dims& i) { x.put(i, v); v += 7; });
  return x;
}

TEST(IntegerDType, LayoutConversionKeepsEveryValue) {
  for (DType t : kIntDTypes) {
    const HostTensor x = ramp(t, Layout::NCHW);
    const HostTensor y = x.to_layout(Layout::NHWC).to_layout(Layout::NCHW);
    EXPECT_EQ(x.logical_values(), y.logical_values());
    EXPECT_EQ(x.to_layout(Layout::NHWC).at({1, 2, 1, 3}), x.at({1, 2, 1, 3}));
  }
}

TEST(IntegerDType, PoisonIsAnIntegerPattern) {
  HostTensor t(DType::i8, Layout::NCHW, {1, 1, 1, 2});
  t.poison();
  EXPECT_EQ(t.get(0), 0x5A);
}

std::string scratch(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("tconv_int_npy_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return (dir / name).string();
}

TEST(IntegerNpy, WritesNumpyDescrsAndRoundTripsExactly) {
  const std::pair<DType, std::string> descrs[] = {{DType::i8, "'|i1'"}, {DType::i16, "'<i2'"}, {DType::i32, "'<i4'"}};
  for (const auto& [t, descr] : descrs) {
    const HostTensor x = ramp(t, Layout::NHWC);
    std::string bytes;
    bytes = npy_bytes(x);
    EXPECT_NE(bytes.find(descr), std::string::npos) << descr;
    EXPECT_EQ(bytes.size() % 64, x.bytes() % 64) << "header padded to 64 bytes";
    auto a = parse_npy(bytes, "mem");
    ASSERT_TRUE(a.ok()) << a.error();
    EXPECT_EQ(a->dtype, t);
    EXPECT_EQ(a->values.front(), static_cast<double>(int_min(t)));
    const std::string path = scratch(std::string(to_string(t)) + ".npy");
    ASSERT_EQ(write_npy(path, x), Status::Ok());
    auto back = load_npy_tensor(path, t, Layout::NHWC, x.dims());
    ASSERT_TRUE(back.ok()) << back.error();
    EXPECT_EQ(back->logical_values(), x.logical_values());
  }
  // '<i1' is what some writers use for a one-byte integer; NumPy writes '|i1'.
  std::string bytes;
  bytes = npy_bytes(ramp(DType::i8, Layout::NCHW));
  bytes.replace(bytes.find("|i1"), 3, "<i1");
  EXPECT_TRUE(parse_npy(bytes, "mem").ok());
}

TEST(IntegerNpy, LoadingIntoAnIntegerTensorIsStrict) {
  HostTensor f(DType::f32, Layout::NCHW, {1, 1, 1, 3});
  f.set(0, 1);
  f.set(1, 2.5);
  f.set(2, 3);
  const std::string path = scratch("fraction.npy");
  ASSERT_EQ(write_npy(path, f), Status::Ok());
  auto r = load_npy_tensor(path, DType::i8, Layout::NCHW, f.dims());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("element 1 = 2.500000 is not an integer in the i8 range [-128, 127]"), std::string::npos) << r.error();
  HostTensor wide(DType::i16, Layout::NCHW, {1, 1, 1, 3});
  wide.set(2, 300);
  ASSERT_EQ(write_npy(path, wide), Status::Ok());
  EXPECT_FALSE(load_npy_tensor(path, DType::i8, Layout::NCHW, wide.dims()).ok());  // 300 leaves i8
  EXPECT_TRUE(load_npy_tensor(path, DType::i32, Layout::NCHW, wide.dims()).ok());
  std::filesystem::remove_all(std::filesystem::path(path).parent_path());
}

}  // namespace
}  // namespace tconv
