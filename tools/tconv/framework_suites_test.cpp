// Suites as a user writes them for their framework's layer: only the layer's own arguments
// (Keras get_config() with output_padding: null, an ONNX node's attributes) and the tensors,
// made here by the oracle (`tconv repro --dump`), in the framework's layouts. They load and
// every row passes on naive and openmp.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>

#include "conformance/results/results_csv.h"
#include "conformance/testing/test_support.h"

namespace tconv {
namespace {

const std::string kTconv = TCONV_EXE;

int run(const std::string& args, const std::string& log) {
  return std::system((kTconv + " " + args + " >" + log + " 2>&1").c_str());
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The oracle's tensors of `repro` under dir/name: x, w, b, dy and y_ref, dx_ref, dw_ref, db_ref.
void dump(const std::string& dir, const std::string& name, const std::string& repro) {
  const std::string log = dir + "/" + name + ".log";
  ASSERT_EQ(run("repro \"" + repro + "\" --dump " + dir + "/" + name, log), 0) << slurp(log);
}

// Runs the suite on naive and openmp: every row must pass, and each backend:variant has
// exactly `rows_per_variant` rows (how many openmp variants there are depends on the GEMM
// libraries the build found).
void expect_all_pass(const std::string& dir, const std::string& suite, std::size_t rows_per_variant) {
  const std::string log = dir + "/run.log";
  EXPECT_EQ(run("run " + suite + " --backends naive,openmp --out " + dir + "/run", log), 0) << slurp(log);
  auto csv = read_results_csv(dir + "/run/results.csv");
  ASSERT_TRUE(csv.ok()) << csv.error() << "\n" << slurp(log);
  std::set<std::string> backends;
  std::map<std::string, std::size_t> rows;  // per backend:variant
  for (const auto& r : csv->rows) {
    EXPECT_EQ(r.status, Outcome::PASSED) << r.case_name << " " << r.backend << ":" << r.variant << " " << to_string(r.direction) << ": "
                                         << r.reason;
    backends.insert(r.backend);
    ++rows[r.backend + ":" + r.variant];
  }
  EXPECT_EQ(backends, (std::set<std::string>{"naive", "openmp"}));
  for (const auto& [variant, n] : rows) EXPECT_EQ(n, rows_per_variant) << variant;
}

TEST(FrameworkSuites, KerasConfigWithTensorsPassesOnNaiveAndOpenmp) {
  const std::string dir = test::fresh_dir("framework_keras");
  // Keras Conv2DTranspose(4, 3, strides=2, padding='same') on 2x5x4x3: crops (0, 1); and
  // padding='valid' with output_padding=(1, 0), no bias, channels_first.
  dump(dir, "same", "n=2 ci=3 co=4 g=1 in=5x4 k=3x3 s=2x2 d=1x1 crop=0,1,0,1 bias=1 dt=f32 layout=NHWC wl=HWOI");
  dump(dir, "valid", "n=1 ci=2 co=3 g=1 in=3x4 k=2x3 s=2x1 d=1x1 crop=0,-1,0,0 bias=0 dt=f32 layout=NCHW wl=HWOI");
  std::ofstream(dir + "/keras.yaml") << R"(suite: keras_user
cases:
  - name: unet_like_same
    convention: keras
    filters: 4
    kernel_size: [3, 3]
    strides: [2, 2]
    padding: same
    output_padding: null
    dilation_rate: [1, 1]
    data_format: channels_last
    use_bias: true
    x: same/x.npy
    weight: same/w.npy
    bias: same/b.npy
    dy: same/dy.npy
    expect: {y: same/y_ref.npy, dx: same/dx_ref.npy, dw: same/dw_ref.npy, db: same/db_ref.npy}
  - name: valid_output_padding
    convention: keras
    filters: 3
    kernel_size: [2, 3]
    strides: [2, 1]
    padding: valid
    output_padding: [1, 0]
    dilation_rate: [1, 1]
    data_format: channels_first
    use_bias: false
    x: valid/x.npy
    weight: valid/w.npy
    dy: valid/dy.npy
    expect: {y: valid/y_ref.npy, dx: valid/dx_ref.npy, dw: valid/dw_ref.npy}
  # Keras's bias starts at zero: not saved, it is zero.
  - {name: use_bias_without_a_bias_tensor, convention: keras, filters: 3, kernel_size: [2, 3], strides: [2, 1],
     padding: valid, output_padding: [1, 0], data_format: channels_first, use_bias: true,
     x: valid/x.npy, weight: valid/w.npy, expect: {y: valid/y_ref.npy}}
)";
  // 3 cases x 4 directions per variant (bwd_bias of the bias-free layer too).
  expect_all_pass(dir, dir + "/keras.yaml", 3 * 4);
}

TEST(FrameworkSuites, OnnxNodeWithTensorsPassesOnNaiveAndOpenmp) {
  const std::string dir = test::fresh_dir("framework_onnx");
  // ConvTranspose(group=2, strides=(2, 1), dilations=(1, 2), pads=(1, 0, 0, 1)), X 1x4x4x5.
  dump(dir, "node", "n=1 ci=4 co=6 g=2 in=4x5 k=3x2 s=2x1 d=1x2 crop=1,0,0,1 bias=1 dt=f32 layout=NCHW wl=IOHW");
  std::ofstream(dir + "/onnx.yaml") << R"(suite: onnx_user
cases:
  - name: grouped_node
    convention: onnx
    group: 2
    kernel_shape: [3, 2]
    strides: [2, 1]
    dilations: [1, 2]
    pads: [1, 0, 0, 1]
    output_padding: null
    x: node/x.npy
    weight: node/w.npy
    bias: node/b.npy
    expect: {y: node/y_ref.npy}
)";
  expect_all_pass(dir, dir + "/onnx.yaml", 4);  // 1 case x 4 directions per variant
}

}  // namespace
}  // namespace tconv
