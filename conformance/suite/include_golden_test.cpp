// include: (suites made of suites) and golden cases (files relative to the YAML file).
#include "conformance/suite/suite_files_test_util.h"

namespace tconv::suite {
namespace {

using namespace tconv::suite::testing;

TEST_F(SuiteFiles, IncludePrefixesNamesKeepsDefaultsAndDedups) {
  write("a.yaml", "suite: a\ndefaults: {dtype: f16}\ncases:\n  - {name: one, stride: 2}\n  - {name: two, stride: 3}\n");
  write("sub/b.yaml", "suite: b\ncases:\n  - {name: one, stride: 2}\n  - {name: three, stride: 2, dtype: f16}\n");
  const std::string top = write("top.yaml", "suite: top\ninclude: [a.yaml, sub/b.yaml]\ncases:\n  - {name: own, kernel: 5}\n");
  auto r = load_suite(top);
  ASSERT_TRUE(r.ok()) << r.error();
  std::vector<std::string> names;
  for (const Case& c : r->cases) names.push_back(c.name);
  // b/three equals a/one (f16, stride 2): removed as a duplicate across files.
  EXPECT_EQ(names, (std::vector<std::string>{"a/one", "a/two", "b/one", "own"}));
  EXPECT_EQ(r->duplicates_removed, 1);
  EXPECT_EQ(r->cases[0].problem.dtype, DType::f16);  // a's defaults apply to a's cases
  EXPECT_EQ(r->cases[2].problem.dtype, DType::f32);  // and not to b's
  EXPECT_EQ(r->cases[2].source, (dir_ / "sub/b.yaml").string() + ":3");
}

TEST_F(SuiteFiles, ErrorsInIncludedFilesNameThoseFiles) {
  const std::string inner = write("inner.yaml", "cases:\n  - {strid: 1}\n");
  const std::string top = write("top.yaml", "include: inner.yaml\n");
  auto r = load_suite(top);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().rfind(inner + ":2:6: cases[0].strid: unknown key", 0), 0u) << r.error();
}

TEST_F(SuiteFiles, IndirectIncludeCycle) {
  write("x.yaml", "include: y.yaml\n");
  const std::string y = write("y.yaml", "include: x.yaml\n");
  auto r = load_suite((dir_ / "x.yaml").string());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().rfind(y + ":1:10: include: include cycle", 0), 0u) << r.error();
}

TEST_F(SuiteFiles, GoldenPathsResolveRelativeToTheYaml) {
  const Problem p = golden_problem(Layout::NCHW, Layout::IOHW);
  write_golden(dir_, "g", p);
  const std::string suite = write("golden.yaml", R"(
cases:
  - name: torch_golden_1
    stride: [2, 1]
    padding: [1, 0]
    output_padding: [1, 0]
    dilation: [1, 2]
    groups: 2
    x: g/x.npy
    weight: ./g/w.npy
    bias: g/b.npy
    dy: g/dy.npy
    expect: {y: g/y.npy, dx: g/dx.npy, dw: g/dw.npy, db: g/db.npy}
  - name: golden_without_bias_tensor
    bias: false
    x: g/x.npy
)");
  auto r = load_suite(suite);
  ASSERT_TRUE(r.ok()) << r.error();
  const Case& c = r->cases[0];
  EXPECT_EQ(c.golden.x, (dir_ / "g/x.npy").string());
  EXPECT_EQ(c.golden.weight, (dir_ / "g/w.npy").string());
  EXPECT_EQ(c.golden.bias, (dir_ / "g/b.npy").string());
  EXPECT_EQ(c.golden.db, (dir_ / "g/db.npy").string());
  EXPECT_TRUE(fs::path(c.golden.y).is_absolute());
  EXPECT_EQ(c.fill.kind, FillKind::golden);
  // Sizes the case leaves out come from the tensors.
  EXPECT_EQ(c.problem, p) << to_repro(c.problem) << "\n" << to_repro(p);
  EXPECT_EQ(c.origin.at("c_out"), "from weight [4, 3, 3, 2] (IOHW [C_in, C_out/groups, kH, kW])");
  EXPECT_FALSE(r->cases[1].problem.bias);
  EXPECT_EQ(r->cases[1].fill.kind, FillKind::golden);
  EXPECT_EQ(r->cases[1].problem.c_in, 4);
}

TEST_F(SuiteFiles, GoldenSizesFollowTheLayouts) {
  const Problem p = golden_problem(Layout::NHWC, Layout::HWOI);
  write_golden(dir_, "g", p);
  const std::string suite = write("golden.yaml", R"(
cases:
  - {stride: [2, 1], padding: [1, 0], output_padding: [1, 0], dilation: [1, 2], groups: 2,
     layout: NHWC, weight_layout: HWOI, x: g/x.npy, weight: g/w.npy, dy: g/dy.npy}
  - {convention: canonical, stride: [2, 1], crop: [1, 0, 0, 0], dilation: [1, 2], groups: 2,
     layout: NHWC, weight_layout: OIHW_FLIPPED, x: g/x.npy, weight: g/wf.npy}
)");
  HostTensor flipped(p.dtype, Layout::OIHW_FLIPPED, p.w_dims(), p.groups);
  ASSERT_EQ(write_npy((dir_ / "g/wf.npy").string(), flipped), Status::Ok());
  auto r = load_suite(suite);
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->cases[0].problem, p) << to_repro(r->cases[0].problem);
  Problem q = p;
  q.weight_layout = Layout::OIHW_FLIPPED;
  EXPECT_EQ(r->cases[1].problem, q) << to_repro(r->cases[1].problem);
}

TEST_F(SuiteFiles, GoldenSizesThatDisagreeAreLoadErrors) {
  write_golden(dir_, "g", golden_problem(Layout::NCHW, Layout::IOHW));
  const std::string own = write("own.yaml", "cases:\n  - {c_in: 3, x: g/x.npy}\n");
  auto r = load_suite(own);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(), own + ":2:18: cases[0].x: shape mismatch: x [2, 4, 5, 3] (NCHW [N, C, H, W]) means c_in 4, but the case writes c_in: 3");
  // x says c_in 4; the weight read with groups 1 says c_in 4 but c_out 3 while dy says 6.
  const std::string files = write("files.yaml", "cases:\n  - {x: g/x.npy, weight: g/w.npy, dy: g/dy.npy}\n");
  auto f = load_suite(files);
  ASSERT_FALSE(f.ok());
  EXPECT_NE(f.error().find("cases[0].dy: shape mismatch: dy [2, 6, 10, 5] (NCHW [N, C, H, W]) means c_out 6, but from weight"), std::string::npos) << f.error();
  write("g/bad.npy", "not an npy file");
  const std::string bad = write("bad.yaml", "cases:\n  - {x: g/bad.npy}\n");
  auto b = load_suite(bad);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.error().rfind(bad + ":2:9: cases[0].x: ", 0), 0u) << b.error();
}

}  // namespace
}  // namespace tconv::suite
