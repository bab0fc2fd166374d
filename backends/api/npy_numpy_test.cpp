// .npy interoperability with NumPy itself: files tconv writes load in NumPy with the right
// dtype, shape and values, and files NumPy writes (every header version) load in tconv.
// Skipped where python3 with NumPy is not installed.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "backends/api/npy.h"

namespace tconv {
namespace {

namespace fs = std::filesystem;

bool have_numpy() {
  static const bool ok = std::system("python3 -c 'import numpy' >/dev/null 2>&1") == 0;
  return ok;
}

class NumPyInterop : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!have_numpy()) GTEST_SKIP() << "python3 with NumPy is not installed";
    dir_ = fs::temp_directory_path() / ("tconv_npy_numpy_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    if (!dir_.empty()) fs::remove_all(dir_, ec);
  }
  std::string file(const std::string& name) const { return (dir_ / name).string(); }

  // Runs a Python script with the scratch dir as argv[1]; returns stdout, fails on error.
  std::string python(const std::string& script) {
    const std::string script_path = file("script.py");
    std::ofstream(script_path) << script;
    const std::string cmd = "python3 '" + script_path + "' '" + dir_.string() + "' 2>&1";
    FILE* pipe = ::popen(cmd.c_str(), "r");
    if (pipe == nullptr) return "";
    std::string out;
    char buf[4096];
    while (std::size_t n = std::fread(buf, 1, sizeof buf, pipe)) out.append(buf, n);
    EXPECT_EQ(::pclose(pipe), 0) << out;
    return out;
  }

  fs::path dir_;
};

// One line per array: "name descr d0,d1,... v0 v1 ..." with values as float.hex().
struct Described {
  std::string descr;
  std::vector<std::int64_t> shape;
  std::vector<double> values;
};

std::map<std::string, Described> parse_description(const std::string& text) {
  std::map<std::string, Described> out;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream in(line);
    std::string name, shape, v;
    Described d;
    in >> name >> d.descr >> shape;
    std::istringstream dims(shape);
    for (std::string dim; std::getline(dims, dim, ',');)
      if (dim != "-") d.shape.push_back(std::stoll(dim));
    while (in >> v) d.values.push_back(std::strtod(v.c_str(), nullptr));  // reads hex, nan, inf
    out[name] = d;
  }
  return out;
}

bool same_value(double a, double b) {
  return (std::isnan(a) && std::isnan(b)) || (a == b && std::signbit(a) == std::signbit(b));
}

constexpr const char* kDescribe = R"(
import sys, numpy as np
def describe(name, a):
    shape = ','.join(str(d) for d in a.shape) or '-'
    print(name, a.dtype.str, shape, ' '.join(float(v).hex() for v in a.ravel()))
)";

TEST_F(NumPyInterop, NumPyLoadsTconvFiles) {
  std::map<std::string, HostTensor> written;
  for (DType t : {DType::f32, DType::f64, DType::f16, DType::bf16, DType::i8, DType::i16, DType::i32})
    for (auto [l, d, g] : {std::tuple{Layout::NHWC, Dims{2, 3, 2, 2}, std::int64_t{1}},
                           std::tuple{Layout::OIHW_FLIPPED, Dims{4, 3, 2, 2}, std::int64_t{2}},
                           std::tuple{Layout::HWOI, Dims{2, 3, 1, 2}, std::int64_t{1}},
                           std::tuple{Layout::X, Dims{5, 1, 1, 1}, std::int64_t{1}}}) {
      HostTensor x(t, l, d, g);
      for (std::int64_t i = 0; i < x.numel(); ++i) x.set(i, std::sin(0.7 * static_cast<double>(i)) * 100.0);
      x.set(0, is_integer(t) ? static_cast<double>(int_min(t)) : NAN);  // integers: the range's ends
      x.set(1, is_integer(t) ? static_cast<double>(int_max(t)) : -0.0);
      x.set(2, INFINITY);
      const std::string name = std::string(to_string(t)) + "_" + std::string(to_string(l));
      ASSERT_EQ(write_npy(file(name + ".npy"), x), Status::Ok());
      written.emplace(name, std::move(x));
    }
  const auto seen = parse_description(python(std::string(kDescribe) + R"(
import glob, os
for p in sorted(glob.glob(os.path.join(sys.argv[1], '*.npy'))):
    describe(os.path.basename(p)[:-4], np.load(p))
)"));
  ASSERT_EQ(seen.size(), written.size());
  for (const auto& [name, x] : written) {
    SCOPED_TRACE(name);
    ASSERT_TRUE(seen.count(name));
    const Described& d = seen.at(name);
    const std::map<DType, std::string> descr = {{DType::f16, "<f2"}, {DType::f64, "<f8"}, {DType::i8, "|i1"},
                                                {DType::i16, "<i2"}, {DType::i32, "<i4"}};
    EXPECT_EQ(d.descr, descr.count(x.dtype()) ? descr.at(x.dtype()) : "<f4");
    const Dims pd = x.physical_dims();
    EXPECT_EQ(d.shape, std::vector<std::int64_t>(pd.begin(), pd.begin() + physical_rank(x.layout())));
    ASSERT_EQ(std::ssize(d.values), x.numel());
    for (std::int64_t i = 0; i < x.numel(); ++i)
      ASSERT_TRUE(same_value(d.values[static_cast<std::size_t>(i)], x.get(i))) << i << ": " << d.values[i] << " vs " << x.get(i);
  }
}

TEST_F(NumPyInterop, TconvLoadsNumPyFiles) {
  const auto expected = parse_description(python(std::string(kDescribe) + R"(
import os
d = sys.argv[1]
def save(name, a, version=None):
    with open(os.path.join(d, name + '.npy'), 'wb') as f:
        np.lib.format.write_array(f, a, version=version)
    describe(name, a)
save('f2', (np.arange(24, dtype='<f2').reshape(2, 3, 4) * 0.5 - 3))
save('f4', (np.arange(6, dtype='<f4') / np.float32(3)).reshape(2, 3))
f8 = np.linspace(-1, 1, 7); f8[3] = np.nan; f8[4] = -np.inf
save('f8', f8)
save('scalar', np.array(2.5, dtype='<f4'))
save('empty', np.zeros((0, 3), dtype='<f4'))
save('v2', np.arange(10, dtype='<f8').reshape(5, 2), version=(2, 0))
save('v3', np.arange(10, dtype='<f4').reshape(2, 5), version=(3, 0))
save('nhwc', np.arange(120, dtype='<f4').reshape(2, 4, 5, 3))
save('sliced', np.arange(40, dtype='<f4').reshape(5, 8)[::2, 1::3])
save('i1', np.array([-128, -1, 0, 5, 127], dtype=np.int8))
save('i2', np.array([[-32768, -300], [7, 32767]], dtype='<i2'))
save('i4', np.array([-2**31, 2**31 - 1, 3], dtype='<i4'))
np.save(os.path.join(d, 'fortran.npy'), np.asfortranarray(np.zeros((2, 3), dtype='<f4')))
np.save(os.path.join(d, 'bigendian.npy'), np.zeros((2, 3), dtype='>f4'))
np.save(os.path.join(d, 'int64.npy'), np.arange(6, dtype='<i8'))
np.save(os.path.join(d, 'bool.npy'), np.ones(3, dtype=bool))
)"));
  ASSERT_EQ(expected.size(), 12u);
  const std::map<DType, std::string> descr = {{DType::f16, "<f2"}, {DType::f32, "<f4"}, {DType::f64, "<f8"},
                                              {DType::i8, "|i1"},  {DType::i16, "<i2"}, {DType::i32, "<i4"}};
  for (const auto& [name, want] : expected) {
    SCOPED_TRACE(name);
    auto a = read_npy(file(name + ".npy"));
    ASSERT_TRUE(a.ok()) << a.error();
    EXPECT_EQ(a->shape, want.shape);
    EXPECT_EQ(want.descr, descr.at(a->dtype));
    ASSERT_EQ(a->values.size(), want.values.size());
    for (std::size_t i = 0; i < want.values.size(); ++i) ASSERT_TRUE(same_value(a->values[i], want.values[i])) << i;
  }
  // A NumPy NHWC array as an NHWC tensor: logical (n, c, h, w) is NumPy's a[n, h, w, c].
  auto t = load_npy_tensor(file("nhwc.npy"), DType::f32, Layout::NHWC, {2, 3, 4, 5});
  ASSERT_TRUE(t.ok()) << t.error();
  EXPECT_EQ(t->at({1, 2, 3, 4}), ((1 * 4 + 3) * 5 + 4) * 3 + 2);
  EXPECT_EQ(t->at({0, 1, 2, 0}), (2 * 5 + 0) * 3 + 1);

  const std::pair<const char*, const char*> rejected[] = {
      {"fortran", "Fortran-order"}, {"bigendian", "big-endian descr '>f4'"},
      {"int64", "unsupported descr '<i8'"}, {"bool", "unsupported descr '|b1'"}};
  for (auto [name, why] : rejected) {
    auto a = read_npy(file(std::string(name) + ".npy"));
    ASSERT_FALSE(a.ok()) << name;
    EXPECT_EQ(a.error().rfind(file(std::string(name) + ".npy") + ": ", 0), 0u) << a.error();
    EXPECT_NE(a.error().find(why), std::string::npos) << a.error();
  }
}

}  // namespace
}  // namespace tconv
