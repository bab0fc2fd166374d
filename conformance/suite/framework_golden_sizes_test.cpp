// Golden suites written as other tools write them: only the framework's own arguments (a
// Keras get_config(), an ONNX node's attributes, tf.nn's arguments) and the tensors. Sizes
// come from the tensors in each convention's layouts; a written size or a tensor that
// disagrees is a load error naming the file's key, both shapes and the rule; YAML null is None.
#include "conformance/suite/suite_files_test_util.h"
#include "conformance/suite/test_util.h"

namespace tconv::suite {
namespace {

using namespace tconv::suite::testing;

// Keras padding same, k 3, s 2 on 5x4: crops (0, 1) in both dimensions, NHWC / HWOI.
Problem keras_same_problem() {
  return parse_problem("n=2 ci=3 co=4 g=1 in=5x4 k=3x3 s=2x2 d=1x1 crop=0,1,0,1 bias=1 dt=f32 layout=NHWC wl=HWOI").value();
}

const char* const kKerasConfig = R"(
cases:
  - name: keras_get_config
    convention: keras
    filters: 4
    kernel_size: 3                # scalars, as Keras also takes them
    strides: 2
    padding: same
    output_padding:               # nothing: None too
    dilation_rate: 1
    data_format: channels_last
    use_bias: true
    x: g/x.npy
    weight: g/w.npy
    bias: g/b.npy
    dy: g/dy.npy
    expect: {y: g/y.npy, dx: g/dx.npy, dw: g/dw.npy, db: g/db.npy}
  - {name: tensors_only, convention: keras, padding: same, strides: 2, output_padding: ~, x: g/x.npy, weight: g/w.npy}
)";

TEST_F(SuiteFiles, KerasConfigAndTensorsLoad) {
  const Problem p = keras_same_problem();
  write_golden(dir_, "g", p);
  auto r = load_suite(write("keras.yaml", kKerasConfig));
  ASSERT_TRUE(r.ok()) << r.error();
  ASSERT_EQ(r->cases.size(), 2u);
  EXPECT_EQ(r->cases[0].problem, p) << to_repro(r->cases[0].problem);
  EXPECT_TRUE(r->cases[0].invalid_reason.empty()) << r->cases[0].invalid_reason;
  EXPECT_EQ(r->cases[0].origin.at("input_shape"), "from x [2, 5, 4, 3] (channels_last [N, H, W, C])");
  EXPECT_EQ(r->cases[0].origin.count("output_padding"), 0u);  // null: None, as not written
  EXPECT_EQ(r->cases[1].problem, p) << to_repro(r->cases[1].problem);  // use_bias defaults to True
}

TEST_F(SuiteFiles, KerasSizesThatDisagreeNameTheKeyBothShapesAndTheRule) {
  write_golden(dir_, "g", keras_same_problem());
  const std::string filters = write("filters.yaml", "cases:\n  - {convention: keras, filters: 5, padding: same, strides: 2, x: g/x.npy, weight: g/w.npy}\n");
  auto f = load_suite(filters);
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error(), filters + ":2:84: cases[0].weight: shape mismatch: weight [3, 3, 4, 3] (kernel (kH, kW, filters, C_in)) means "
                                 "filters 4, but the case writes filters: 5");
  // strides 1 instead of 2: the sizes load, but dy is not the output this layer makes.
  const std::string strides = write("strides.yaml", "cases:\n  - {convention: keras, padding: same, x: g/x.npy, weight: g/w.npy,\n"
                                                    "     dy: g/dy.npy}\n");
  auto s = load_suite(strides);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error(), strides + ":3:10: cases[0].dy: shape mismatch: the file has shape [2, 10, 8, 4], but this case's dy is [2, 5, 4, 4] "
                                 "(NHWC, logical [2, 4, 5, 4]); keras padding='same', output_padding=None: H: out in*s = 5, "
                                 "total crop (in-1)*s + k_eff - out = 7 - 5 = 2, begin = max(total, 0)//2 = 1, end = total - begin = 1 "
                                 "(larger half at the end); W: out in*s = 4, total crop (in-1)*s + k_eff - out = 6 - 4 = 2, "
                                 "begin = max(total, 0)//2 = 1, end = total - begin = 1 (larger half at the end)");
  // The kernel's C_in against x's channels.
  write_golden(dir_, "h", golden_problem(Layout::NHWC, Layout::HWOI));
  const std::string cin = write("cin.yaml", "cases:\n  - {convention: keras, x: g/x.npy, weight: h/w.npy}\n");
  auto c = load_suite(cin);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().find("cases[0].weight: shape mismatch: weight [3, 2, 3, 4] (kernel (kH, kW, filters, C_in)) means input_shape[3] 4, "
                           "but from x [2, 5, 4, 3] (channels_last [N, H, W, C]) gave input_shape[3] 3"),
            std::string::npos)
      << c.error();
}

TEST_F(SuiteFiles, OnnxNodeAttributesAndTensorsLoad) {
  const Problem p = golden_problem(Layout::NCHW, Layout::IOHW);  // group 2, pads [1, 0, 0, 0]
  write_golden(dir_, "g", p);
  auto r = load_suite(write("onnx.yaml", R"(
cases:
  - name: onnx_node
    convention: onnx
    group: 2
    kernel_shape: [3, 2]
    strides: [2, 1]
    dilations: [1, 2]
    pads: [1, 0, 0, 0]
    output_padding: null
    output_shape: null
    x: g/x.npy
    weight: g/w.npy
    bias: g/b.npy
    expect: {y: g/y.npy}
)"));
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->cases[0].problem, p) << to_repro(r->cases[0].problem);
  EXPECT_EQ(r->cases[0].origin.at("weight_shape"), "from weight [4, 3, 3, 2] (W [C, M/group, kH, kW])");
  // Without `group: 2` the weight [4, 3, 3, 2] means M = 3, and Y's 6 channels disagree.
  const std::string no_group = write("no_group.yaml", "cases:\n  - {convention: onnx, strides: [2, 1], dilations: [1, 2], pads: [1, 0, 0, 0],\n"
                                                      "     x: g/x.npy, weight: g/w.npy, expect: {y: g/y.npy}}\n");
  auto e = load_suite(no_group);
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.error().find("cases[0].expect.y: shape mismatch: the file has shape [2, 6, 10, 5], but this case's y is [2, 3, 10, 5]"),
            std::string::npos)
      << e.error();
}

// A float32 .npy of zeros of any rank (HostTensor is 4-D at most).
void write_zeros_npy(const fs::path& path, const std::vector<std::int64_t>& shape) {
  std::string dims;
  std::int64_t count = 1;
  for (std::int64_t d : shape) {
    dims += std::to_string(d) + ", ";
    count *= d;
  }
  const std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }\n";
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << std::string("\x93NUMPY\x01\x00", 8) << static_cast<char>(header.size() & 0xff) << static_cast<char>(header.size() >> 8)
      << header << std::string(static_cast<std::size_t>(count) * 4, '\0');
}

TEST_F(SuiteFiles, OnnxNodeOf3DTensorsIsAnUnsupportedCase) {
  // test_convtranspose_3d: no attributes, X [1, 1, 3, 4, 5], W [1, 2, 3, 3, 3], Y [1, 2, 5, 6, 7].
  write_zeros_npy(dir_ / "g/x.npy", {1, 1, 3, 4, 5});
  write_zeros_npy(dir_ / "g/w.npy", {1, 2, 3, 3, 3});
  write_zeros_npy(dir_ / "g/y.npy", {1, 2, 5, 6, 7});
  auto r = load_suite(write("onnx3d.yaml", "cases:\n  - {name: convtranspose_3d, convention: onnx, bias: false,\n"
                                           "     x: g/x.npy, weight: g/w.npy, expect: {y: g/y.npy}}\n"));
  ASSERT_TRUE(r.ok()) << r.error();
  ASSERT_EQ(r->cases.size(), 1u);
  EXPECT_EQ(r->cases[0].unsupported_reason, "3-D ConvTranspose (input_shape [1, 1, 3, 4, 5]): tconv's operator is 2-D");
  EXPECT_TRUE(r->cases[0].invalid_reason.empty()) << r->cases[0].invalid_reason;
  // A written 2-D input_shape and a 5-D X disagree: a load error at x.
  const std::string written = write("written.yaml", "cases:\n  - {convention: onnx, input_shape: [1, 1, 3, 4], x: g/x.npy}\n");
  auto e = load_suite(written);
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.error().find("cases[0].x: shape mismatch: x [1, 1, 3, 4, 5] (X [N, C, H, W]) has 5 dimensions, but input_shape has 4 values"),
            std::string::npos)
      << e.error();
}

TEST_F(SuiteFiles, TfArgumentsTakeOutputShapeFromTheTensors) {
  Problem p = golden_problem(Layout::NHWC, Layout::HWOI);
  p.groups = 1;
  p.c_out = 3;
  p.bias = false;
  write_golden(dir_, "g", p);
  auto r = load_suite(write("tf.yaml", "cases:\n  - {convention: tf, strides: [2, 1], dilations: [1, 2], padding: VALID,\n"
                                       "     x: g/x.npy, weight: g/w.npy, dy: g/dy.npy, expect: {y: g/y.npy}}\n"));
  ASSERT_TRUE(r.ok()) << r.error();
  const Problem& q = r->cases[0].problem;
  EXPECT_EQ(q.x_dims(), p.x_dims());
  EXPECT_EQ(q.y_dims(), p.y_dims());
  EXPECT_EQ(q.w_dims(), p.w_dims());
  EXPECT_EQ(r->cases[0].origin.at("output_shape"), "from dy [2, 10, 5, 3] (NHWC [N, H, W, C])");
}

TEST(NullMeansNone, InEveryConventionAndPlace) {
  // A null is the key left out: its default, or None / absent where it has none.
  const Suite s = parse_ok(R"(
defaults: {output_padding: [1, 1]}
cases:
  - {convention: keras, kernel_size: 3, strides: 2, output_padding: null}
  - {convention: pytorch, stride: 2, output_padding: ~, groups: null, output_size: null}
  - {convention: onnx, strides: 2, output_shape: null, kernel_shape: ~}
  - {convention: tf, output_shape: [1, 1, 1, 1], dilations: null}
  - {convention: canonical, pad_top: null, directions: null, fill: ~}
sweeps:
  - {name: sweep, convention: keras, kernel_size: 3, strides: 2, output_padding: [null, [1, 1]]}
)");
  ASSERT_EQ(s.cases.size(), 6u);  // the sweep's null is the first case again: a duplicate
  EXPECT_EQ(s.cases[0].problem.h_out(), 3);     // None: (in-1)*s + max(k_eff, s), not the default's + 1
  EXPECT_EQ(s.cases[1].problem.crop_bottom, 0);  // not the default's output_padding 1
  EXPECT_EQ(s.cases[1].problem.groups, 1);
  EXPECT_EQ(s.cases[5].problem.h_out(), 4);     // output_padding 1: (in-1)*s + k_eff + 1
  EXPECT_EQ(s.cases[4].directions.size(), 4u);  // directions and fill null: their defaults
  for (const Case& c : s.cases) EXPECT_TRUE(c.invalid_reason.empty()) << c.name << ": " << c.invalid_reason;
}

}  // namespace
}  // namespace tconv::suite
