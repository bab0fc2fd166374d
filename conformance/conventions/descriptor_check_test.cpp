// `tconv explain --from cudnn|onednn`: library values read back into the layer they describe,
// and each wrong set of values named by the rule it breaks, with its numbers.
#include "conformance/conventions/descriptor_check.h"

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "backends/cudnn/cudnn_descriptors.h"
#include "conformance/conventions/explain.h"
#include "backends/onednn/onednn_descriptors.h"

namespace tconv::conventions {
namespace {

std::string explain_ok(const std::string& from, const std::string& values) {
  auto r = explain({from, values, ""});
  EXPECT_TRUE(r.ok()) << r.error();
  return r.ok() ? *r : "";
}

void expect_line(const std::string& text, const std::string& line) {
  EXPECT_NE(text.find(line), std::string::npos) << "missing: " << line << "\nin:\n" << text;
}

// The seed thread's working configuration: the U-Net decoder's up-sampling layer.
const std::string kSeed = "filter=256,128,2,2 filter_format=NHWC pad=0 stride=2 dy=1,256,8,8 dx=1,128,16,16 format=NHWC bias=true";

TEST(ExplainFromCudnn, SeedConfigurationIsKerasUnetUpsampling) {
  const std::string t = explain_ok("cudnn", kSeed);
  expect_line(t, "  dx height 16 needs (8 - 1) * 2 - 2 * 0 + 1 * (2 - 1) + 1 = 16 (up to 16 + 2 - 1 = 17: output padding), "
                 "so that the forward output size of dx is dy's 8: ok");
  expect_line(t, "  filter k=256 must equal dy channels 256 (k counts the convolution's outputs: dy's): ok");
  expect_line(t, "repro:   n=1 ci=256 co=128 g=1 in=8x8 k=2x2 s=2x2 d=1x1 crop=0,0,0,0 bias=1 dt=f32 layout=NHWC wl=IHWO");
  expect_line(t, "  keras: exact\n    keras.layers.Conv2DTranspose(filters=128, kernel_size=(2, 2), strides=(2, 2), padding=\"same\")\n");
  expect_line(t, "torch.nn.ConvTranspose2d(256, 128, kernel_size=(2, 2), stride=(2, 2), padding=(0, 0))");
  EXPECT_EQ(t.find("BROKEN"), std::string::npos) << t;
  // The enum names as pasted from code read the same.
  const std::string pasted = explain_ok("cudnn", "filter=256,128,2,2 filter_format=CUDNN_TENSOR_NHWC data_type=CUDNN_DATA_FLOAT "
                                                 "mode=CUDNN_CROSS_CORRELATION pad=0 stride=2 dy=1,256,8,8 dx=1,128,16,16 "
                                                 "format=CUDNN_TENSOR_NHWC bias=true");
  EXPECT_EQ(pasted.substr(pasted.find("\n\n")), t.substr(t.find("\n\n")));
}

// A wrong set of values and the rule it must be reported to break.
struct Wrong {
  const char* what;
  std::string values;
  std::string broken;
};

TEST(ExplainFromCudnn, EachWrongDescriptorSetNamesItsBrokenRule) {
  const Wrong cases[] = {
      {"k and c swapped", "filter=128,256,2,2 filter_format=NHWC stride=2 dy=1,256,8,8 dx=1,128,16,16 format=NHWC",
       "filter k=128 must equal dy channels 256 (k counts the convolution's outputs: dy's): BROKEN"},
      {"k and c swapped (c side)", "filter=128,256,2,2 filter_format=NHWC stride=2 dy=1,256,8,8 dx=1,128,16,16 format=NHWC",
       "filter c=256 * groups 1 = 256 must equal dx channels 128: BROKEN"},
      {"NHWC dims in n,h,w,c order", "filter=256,128,2,2 filter_format=NHWC stride=2 dy=1,8,8,256 dx=1,16,16,128 format=NHWC",
       "filter k=256 must equal dy channels 8 (k counts the convolution's outputs: dy's): BROKEN"},
      {"dx one short", "filter=256,128,2,2 stride=2 dy=1,256,8,8 dx=1,128,15,16",
       "dx height 15 needs (8 - 1) * 2 - 2 * 0 + 1 * (2 - 1) + 1 = 16 (up to 16 + 2 - 1 = 17: output padding), so that the forward "
       "output size of dx is dy's 8: BROKEN"},
      {"pad 1 with k 2, s 2", "filter=256,128,2,2 stride=2 pad=1 dy=1,256,8,8 dx=1,128,16,16",
       "dx width 16 needs (8 - 1) * 2 - 2 * 1 + 1 * (2 - 1) + 1 = 14 (up to 14 + 2 - 1 = 15: output padding)"},
      {"groups do not divide k", "filter=256,64,2,2 stride=2 groups=3 dy=1,256,8,8 dx=1,192,16,16",
       "filter k=256 must be a multiple of groups 3: BROKEN"},
      {"negative pad", "filter=4,4,3,3 pad=-1,0 dy=1,4,5,5 dx=1,4,9,7", "pad_h -1 must be >= 0: BROKEN"},
      {"batch", "filter=4,4,3,3 dy=2,4,5,5 dx=1,4,7,7", "dy batch 2 must equal dx batch 1: BROKEN"},
      {"formats", "filter=4,4,3,3 dy=1,4,5,5 dx=1,4,7,7 dy_format=NHWC dx_format=NCHW",
       "dy format NHWC must equal dx format NCHW (tconv describes both in one layout): BROKEN"},
  };
  for (const Wrong& w : cases) {
    SCOPED_TRACE(w.what);
    const std::string t = explain_ok("cudnn", w.values);
    expect_line(t, w.broken);
    expect_line(t, "INVALID: these values describe no transposed convolution: ");
    EXPECT_EQ(t.find("canonical problem"), std::string::npos) << t;
  }
}

TEST(ExplainFromCudnn, BadInput) {
  EXPECT_EQ(explain({"cudnn", "filter=4,4,3,3 dy=1,4,5,5", ""}).error(), "dx: missing (give dx=n,c,h,w)");
  EXPECT_NE(explain({"cudnn", "filtr=4,4,3,3", ""}).error().find("unknown cudnn parameter 'filtr' (did you mean 'filter'?)"),
            std::string::npos);
  EXPECT_NE(explain({"cudnn", kSeed, "8,8,256"}).error().find("--input-shape: --from cudnn takes the sizes"), std::string::npos);
  EXPECT_EQ(explain({"cudn", "x=1", ""}).error(), "--from: unknown convention 'cudn' (did you mean 'cudnn'?)");
}

Problem sample(std::int64_t groups, Layout layout, Layout weight_layout) {
  return parse_problem("n=2 ci=4 co=6 g=" + std::to_string(groups) + " in=5x3 k=3x2 s=2x1 d=1x2 crop=1,0,0,0 bias=0 dt=f32 layout=" +
                       std::string(to_string(layout)) + " wl=" + std::string(to_string(weight_layout)))
      .value();
}

std::string four(const std::vector<std::int64_t>& v) {
  std::string s;
  for (std::int64_t x : v) s += (s.empty() ? "" : ",") + std::to_string(x);
  return s;
}

// The forward mappings (cudnn_descriptors.h, onednn_descriptors.h) read back give the problem.
TEST(ExplainFromCudnn, ReadsBackWhatTheForwardMappingWrites) {
  for (std::int64_t g : {1, 2})
    for (Layout l : {Layout::NCHW, Layout::NHWC})
      for (Layout wl : {Layout::IOHW, Layout::IHWO}) {
        const Problem p = sample(g, l, wl);
        const CudnnBackwardData m = cudnn_backward_data(p);
        ASSERT_TRUE(m.direct);
        const std::string text = "filter=" + four({m.k, m.c, m.r, m.s}) + " filter_format=" + m.filter_format + " pad=" +
                                 four({m.pad_h, m.pad_w}) + " stride=" + four({m.u, m.v}) + " dilation=" +
                                 four({m.dilation_h, m.dilation_w}) + " groups=" + std::to_string(m.group_count) + " dy=" +
                                 four({m.dy.n, m.dy.c, m.dy.h, m.dy.w}) + " dx=" + four({m.dx.n, m.dx.c, m.dx.h, m.dx.w}) +
                                 " format=" + m.dy.format + " data_type=" + m.data_type;
        auto c = check_cudnn_values(text);
        ASSERT_TRUE(c.ok()) << c.error();
        EXPECT_TRUE(c->valid()) << text;
        EXPECT_EQ(c->problem, p) << text << "\n" << to_repro(c->problem);

        const OnednnDeconvolution d = onednn_deconvolution(p);
        const std::string tag = l == Layout::NHWC ? "nhwc" : "nchw";
        const std::string onednn = "src=" + four(d.src) + " dst=" + four(d.dst) + (g == 1 ? " weights=" : " group_weights=") +
                                   four(d.weights) + " strides=" + four(d.strides) + " dilates=" + four(d.dilates) + " padding_l=" +
                                   four(d.padding_l) + " padding_r=" + four(d.padding_r) + " src_tag=" + tag + " dst_tag=" + tag;
        auto o = check_onednn_values(onednn);
        ASSERT_TRUE(o.ok()) << o.error();
        EXPECT_TRUE(o->valid()) << onednn;
        Problem q = p;
        q.weight_layout = Layout::IOHW;
        EXPECT_EQ(o->problem, q) << onednn << "\n" << to_repro(o->problem);
      }
}

TEST(ExplainFromOnednn, SeedAndBrokenRules) {
  const std::string t = explain_ok("onednn", "src=1,256,8,8 dst=1,128,16,16 weights=128,256,2,2 strides=2 src_tag=nhwc dst_tag=nhwc bias=true");
  expect_line(t, "  dst height 16 needs (8 - 1) * 2 - 0 - 0 + (2 - 1) * (0 + 1) + 1 = 16: ok");
  expect_line(t, "keras.layers.Conv2DTranspose(filters=128, kernel_size=(2, 2), strides=(2, 2), padding=\"same\")");
  const Wrong cases[] = {
      {"OC and IC swapped", "src=1,256,8,8 dst=1,128,16,16 weights=256,128,2,2 strides=2",
       "src channels 256 must equal the weights' IC 128: BROKEN"},
      {"dilates as d, not d - 1", "src=1,4,5,5 dst=1,4,9,9 weights=4,4,3,3 strides=2 dilates=1",
       "dst height 9 needs (5 - 1) * 2 - 0 - 0 + (3 - 1) * (1 + 1) + 1 = 13: BROKEN"},
      {"groups", "src=1,6,5,5 dst=1,4,7,7 group_weights=2,2,2,3,3", "src channels 6 must equal the weights' IC 4 (G 2 * IC/G 2): BROKEN"},
  };
  for (const Wrong& w : cases) {
    SCOPED_TRACE(w.what);
    const std::string b = explain_ok("onednn", w.values);
    expect_line(b, w.broken);
    expect_line(b, "INVALID: these values describe no transposed convolution: ");
  }
  EXPECT_EQ(explain({"onednn", "src=1,4,5,5 dst=1,4,7,7", ""}).error(),
            "weights: give weights=OC,IC,KH,KW or group_weights=G,OC/G,IC/G,KH,KW (one of them)");
}

// The README's "Bring your framework's layer" shows explain --from cudnn / onednn output: each
// shown block must be what explain prints now.
TEST(ExplainFromCudnn, ReadmeExamplesAreCurrent) {
  std::ifstream in(std::string(TCONV_SOURCE_DIR) + "/README.md");
  ASSERT_TRUE(in) << "README.md not found";
  std::stringstream buf;
  buf << in.rdbuf();
  const std::string readme = buf.str();
  const std::regex block(R"(\$ tconv explain --from (cudnn|onednn) \"([^\"]*)\"\n([\s\S]*?)```)");
  int checked = 0;
  for (auto it = std::sregex_iterator(readme.begin(), readme.end(), block); it != std::sregex_iterator(); ++it) {
    const std::smatch& m = *it;
    EXPECT_EQ(explain_ok(m[1], m[2]), m[3].str()) << "README block for --from " << m[1] << " \"" << m[2] << "\"";
    ++checked;
  }
  EXPECT_GE(checked, 3) << "README.md should show the explain --from cudnn / onednn examples";
}

}  // namespace
}  // namespace tconv::conventions
