// The suites shipped in cases/ load, and smoke covers what the issue asks of it.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "conformance/suite.h"
#include "conformance/suite/test_util.h"

namespace tconv::suite {
namespace {

namespace fs = std::filesystem;

std::string cases_dir() { return testing::source_dir() + "/cases"; }

Suite load(const std::string& name) {
  auto r = load_suite(cases_dir() + "/" + name);
  EXPECT_TRUE(r.ok()) << r.error();
  return r.ok() ? r.value() : Suite{};
}

std::size_t valid_count(const Suite& s) {
  return static_cast<std::size_t>(std::count_if(s.cases.begin(), s.cases.end(), [](const Case& c) { return c.invalid_reason.empty(); }));
}

TEST(ShippedSuites, EverySuiteInCasesLoads) {
  std::size_t n = 0;
  for (const auto& e : fs::directory_iterator(cases_dir())) {
    if (e.path().extension() != ".yaml") continue;
    SCOPED_TRACE(e.path().string());
    auto r = load_suite(e.path().string());
    EXPECT_TRUE(r.ok()) << r.error();
    if (r.ok()) {
      EXPECT_FALSE(r->cases.empty());
    }
    ++n;
  }
  EXPECT_GE(n, 4u);
}

TEST(ShippedSuites, SizesStayInTheirBudgets) {
  const Suite smoke = load("smoke.yaml");
  EXPECT_GE(smoke.cases.size(), 100u);
  EXPECT_LE(smoke.cases.size(), 400u);  // "a few hundred small problems"
  const Suite full = load("full.yaml");
  EXPECT_GE(valid_count(full), 3000u);  // "thousands of cases"
  const Suite models = load("models.yaml");
  EXPECT_GE(models.cases.size(), 20u);
  const Suite conventions = load("conventions.yaml");
  const Suite golden = load("golden.yaml");
  const Suite quantized = load("quantized.yaml");
  const Suite def = load("default.yaml");
  EXPECT_EQ(def.cases.size(), smoke.cases.size() + models.cases.size() + conventions.cases.size() +
                                  golden.cases.size() + quantized.cases.size());
  for (const Case& c : def.cases)
    EXPECT_TRUE(c.name.rfind("smoke/", 0) == 0 || c.name.rfind("models/", 0) == 0 || c.name.rfind("conventions/", 0) == 0 ||
                c.name.rfind("golden/", 0) == 0 || c.name.rfind("quantized/", 0) == 0)
        << c.name;
}

TEST(ShippedSuites, ModelsAreValidAndIncludeTheBenchmarkShapes) {
  const Suite models = load("models.yaml");
  for (const Case& c : models.cases) EXPECT_TRUE(c.invalid_reason.empty()) << c.name << ": " << c.invalid_reason;
  auto has = [&](const std::string& name) {
    return std::any_of(models.cases.begin(), models.cases.end(), [&](const Case& c) { return c.name == name; });
  };
  for (const char* name : {"unet_keras_up6", "dcgan_g2", "pix2pix_up_outermost", "fcn32s_upscore", "fcn8s_upscore8", "fsrcnn_x3",
                           "maskrcnn_mask_deconv", "espcn_like_x3", "depthwise_decoder_up"})
    EXPECT_TRUE(has(name)) << name;
  // The Keras U-Net layer: 8x8x256 -> 16x16x128, k == s == 2, no crop.
  const Case& keras = *std::find_if(models.cases.begin(), models.cases.end(), [](const Case& c) { return c.name == "unet_keras_up6"; });
  EXPECT_EQ(keras.problem.y_dims(), (Dims{8, 128, 16, 16}));
  // Issue 4's benchmark list at its real sizes, in models_perf.yaml.
  const Suite perf = load("models_perf.yaml");
  auto perf_has = [&](const std::string& repro) {
    return std::any_of(perf.cases.begin(), perf.cases.end(), [&](const Case& c) { return to_repro(c.problem) == repro; });
  };
  EXPECT_TRUE(perf_has("n=1 ci=56 co=1 g=1 in=64x64 k=9x9 s=3x3 d=1x1 crop=4,2,4,2 bias=1 dt=f32 layout=NCHW wl=IOHW"));
  EXPECT_TRUE(perf_has("n=8 ci=256 co=256 g=256 in=32x32 k=3x3 s=2x2 d=1x1 crop=1,0,1,0 bias=1 dt=f32 layout=NCHW wl=IOHW"));
  EXPECT_TRUE(perf_has("n=4 ci=64 co=64 g=1 in=32x32 k=3x3 s=1x1 d=2x2 crop=2,2,2,2 bias=1 dt=f32 layout=NCHW wl=IOHW"));
}

// What smoke must exercise at least once, asserted on its expanded (valid) cases.
TEST(ShippedSuites, SmokeCoversEveryParameterAndDirection) {
  const Suite smoke = load("smoke.yaml");
  std::set<Direction> directions;
  std::set<std::int64_t> strides;
  std::set<DType> dtypes;
  std::set<Layout> layouts, weight_layouts;
  std::set<FillKind> fills;
  bool dilation = false, groups = false, depthwise = false, negative_crop = false, asymmetric_crop = false,
       non_square_kernel = false, non_square_stride = false, non_square_dilation = false, no_bias = false,
       batch = false, invalid = false;
  for (const Case& c : smoke.cases) {
    if (!c.invalid_reason.empty()) {
      invalid = true;
      continue;
    }
    const Problem& p = c.problem;
    directions.insert(c.directions.begin(), c.directions.end());
    strides.insert(p.stride_h);
    strides.insert(p.stride_w);
    dtypes.insert(p.dtype);
    layouts.insert(p.layout);
    weight_layouts.insert(p.weight_layout);
    fills.insert(c.fill.kind);
    dilation |= p.dil_h > 1 || p.dil_w > 1;
    groups |= p.groups > 1 && p.groups < p.c_in;
    depthwise |= p.groups > 1 && p.groups == p.c_in;
    negative_crop |= p.crop_top < 0 || p.crop_bottom < 0 || p.crop_left < 0 || p.crop_right < 0;
    asymmetric_crop |= p.crop_top != p.crop_bottom || p.crop_left != p.crop_right;
    non_square_kernel |= p.kh != p.kw;
    non_square_stride |= p.stride_h != p.stride_w;
    non_square_dilation |= p.dil_h != p.dil_w;
    no_bias |= !p.bias;
    batch |= p.n > 1;
  }
  EXPECT_EQ(directions.size(), 4u);
  for (std::int64_t s : {1, 2, 3}) EXPECT_TRUE(strides.count(s)) << "stride " << s;
  for (DType t : {DType::f32, DType::f16, DType::bf16}) EXPECT_TRUE(dtypes.count(t)) << to_string(t);
  for (Layout l : kDataLayouts) EXPECT_TRUE(layouts.count(l)) << to_string(l);
  for (Layout l : kWeightLayouts) EXPECT_TRUE(weight_layouts.count(l)) << to_string(l);
  for (FillKind f : {FillKind::uniform, FillKind::normal, FillKind::integer, FillKind::exact})
    EXPECT_TRUE(fills.count(f)) << to_string(f);
  EXPECT_TRUE(dilation);
  EXPECT_TRUE(groups);
  EXPECT_TRUE(depthwise);
  EXPECT_TRUE(negative_crop);
  EXPECT_TRUE(asymmetric_crop);
  EXPECT_TRUE(non_square_kernel);
  EXPECT_TRUE(non_square_stride);
  EXPECT_TRUE(non_square_dilation);
  EXPECT_TRUE(no_bias);
  EXPECT_TRUE(batch);
  EXPECT_TRUE(invalid);  // INVALID rows are exercised too
}

// Issue 14: every f16/bf16 case of smoke runs with uniform data and with the exact fill.
TEST(ShippedSuites, SmokeRunsEveryLowPrecisionUniformCaseWithTheExactFillToo) {
  const Suite smoke = load("smoke.yaml");
  std::set<std::string> exact;
  for (const Case& c : smoke.cases)
    if (c.fill.kind == FillKind::exact) exact.insert(to_repro(c.problem));
  std::size_t low_precision = 0;
  for (const Case& c : smoke.cases) {
    if (!c.invalid_reason.empty() || c.fill.kind != FillKind::uniform) continue;
    if (c.problem.dtype != DType::f16 && c.problem.dtype != DType::bf16) continue;
    ++low_precision;
    EXPECT_TRUE(exact.count(to_repro(c.problem))) << c.name << ": " << to_repro(c.problem);
  }
  EXPECT_GT(low_precision, 10u);
}

TEST(ShippedSuites, SmokeSourcesPointIntoTheFile) {
  const Suite smoke = load("smoke.yaml");
  for (const Case& c : smoke.cases) EXPECT_EQ(c.source.rfind(cases_dir() + "/smoke.yaml:", 0), 0u) << c.source;
}

}  // namespace
}  // namespace tconv::suite

namespace tconv::suite {
namespace {

// full.yaml spans the axes of issue 3 item 10.
TEST(ShippedSuites, FullSpansEveryAxis) {
  auto r = load_suite(cases_dir() + "/full.yaml");
  ASSERT_TRUE(r.ok()) << r.error();
  std::set<std::int64_t> strides, dilations, kernels, groups_seen;
  std::set<std::int64_t> output_paddings;  // pytorch op = pad_top - pad_bottom for p/op cases
  std::set<DType> dtypes;
  std::set<Layout> layouts, weight_layouts;
  bool depthwise = false, negative = false, asymmetric = false, non_square_kernel = false;
  for (const Case& c : r->cases) {
    if (!c.invalid_reason.empty()) continue;
    const Problem& p = c.problem;
    strides.insert(p.stride_h);
    dilations.insert(p.dil_h);
    kernels.insert(p.kh);
    dtypes.insert(p.dtype);
    layouts.insert(p.layout);
    weight_layouts.insert(p.weight_layout);
    if (p.groups > 1 && p.groups == p.c_in) depthwise = true;
    else groups_seen.insert(p.groups);
    if (c.origin.count("output_padding")) output_paddings.insert(p.crop_top - p.crop_bottom);
    negative |= p.crop_top < 0 || p.crop_bottom < 0 || p.crop_left < 0 || p.crop_right < 0;
    asymmetric |= p.crop_top != p.crop_bottom || p.crop_left != p.crop_right;
    non_square_kernel |= p.kh != p.kw;
  }
  for (std::int64_t v : {1, 2, 3, 4}) EXPECT_TRUE(strides.count(v)) << "stride " << v;
  for (std::int64_t v : {0, 1, 2, 3}) EXPECT_TRUE(output_paddings.count(v)) << "output_padding " << v;
  for (std::int64_t v : {1, 2, 3}) EXPECT_TRUE(dilations.count(v)) << "dilation " << v;
  for (std::int64_t v : {1, 2, 3, 4, 5}) EXPECT_TRUE(kernels.count(v)) << "kernel " << v;
  for (std::int64_t v : {1, 2, 4}) EXPECT_TRUE(groups_seen.count(v)) << "groups " << v;
  for (DType t : {DType::f32, DType::f16, DType::bf16}) EXPECT_TRUE(dtypes.count(t));
  EXPECT_EQ(layouts.size(), 2u);
  EXPECT_EQ(weight_layouts.size(), 4u);
  EXPECT_TRUE(depthwise);
  EXPECT_TRUE(negative);
  EXPECT_TRUE(asymmetric);
  EXPECT_TRUE(non_square_kernel);
}

}  // namespace
}  // namespace tconv::suite
