// The external-process backend: the C example passes the abstract conformance suite through
// the file protocol; spec errors, failing commands and bad outputs give clear reasons.
#include "backends/external/external_backend.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>

#include "backends/external/protocol.h"
#include "backends/testing/backend_conformance.h"

namespace tconv {
namespace {

BackendFactory c_example() {
  auto f = external_backend_factory(std::string("c_tconv=") + TCONV_C_EXAMPLE);
  if (!f) {
    std::fprintf(stderr, "%s\n", f.error().c_str());
    std::abort();
  }
  return *f;
}

}  // namespace
}  // namespace tconv

TCONV_BACKEND_CONFORMANCE(ExternalC, tconv::c_example());

namespace tconv {
namespace {

Status run_fwd(const BackendFactory& f, const Problem& p) {
  auto backend = f.create("default").value_or(nullptr);
  const InputSet in = make_inputs(p, {FillKind::uniform, 1});
  HostTensor y = make_output(p, Direction::fwd);
  RunContext ctx;
  return backend->run(p, Direction::fwd, with_output(in.operands(), Direction::fwd, y), ctx);
}

// A shell command standing in for a backend: capabilities, then `script` per call.
BackendFactory scripted(const std::string& script) {
  const std::string cmd = "sh -c 'if [ \"$1\" = --capabilities ]; then echo {}; exit 0; fi; " + script + "' sh";
  auto f = external_backend_factory("scripted=" + cmd);
  EXPECT_TRUE(f) << f.error();
  return *f;
}

TEST(ExternalBackend, SpecErrors) {
  EXPECT_NE(external_backend_factory("no_equals").error().find("expected NAME=COMMAND"), std::string::npos);
  EXPECT_NE(external_backend_factory("bad name=true").error().find("letters, digits"), std::string::npos);
  EXPECT_NE(external_backend_factory("x=").error().find("no command"), std::string::npos);
  const auto f = external_backend_factory("x=sh -c 'echo not json'");
  EXPECT_NE(f.error().find("printed bad JSON"), std::string::npos) << f.error();
}

TEST(ExternalBackend, NonZeroExitIsAnErrorWithTheLastLinesOfStderr) {
  const Status s = run_fwd(scripted("echo step one >&2; echo out of LUTs >&2; exit 3"), Problem{});
  EXPECT_EQ(s.code, StatusCode::error);
  EXPECT_NE(s.message.find("exit status 3; stderr: step one | out of LUTs"), std::string::npos) << s.message;
}

TEST(ExternalBackend, MissingOutputIsAnError) {
  const Status s = run_fwd(scripted("true"), Problem{});
  EXPECT_NE(s.message.find("exited 0 but wrote no y.npy"), std::string::npos) << s.message;
}

TEST(ExternalBackend, WrongShapeIsAnError) {
  // Copies x.npy (1x1x1x1) as the output of a problem whose y is 1x1x3x3.
  Problem p;
  p.kh = p.kw = 3;
  const Status s = run_fwd(scripted("cp \"$1/x.npy\" \"$1/y.npy\""), p);
  EXPECT_EQ(s.code, StatusCode::error);
  EXPECT_NE(s.message.find("shape"), std::string::npos) << s.message;
}

TEST(ExternalBackend, DeviceTimeComesFromTimingJson) {
  auto backend = c_example().create("default").value_or(nullptr);
  Problem p;
  const InputSet in = make_inputs(p, {FillKind::uniform, 1});
  HostTensor y = make_output(p, Direction::fwd);
  RunContext ctx;
  ASSERT_TRUE(backend->run(p, Direction::fwd, with_output(in.operands(), Direction::fwd, y), ctx).ok());
  EXPECT_TRUE(backend->last_device_time_ms().has_value());
}

// timing.json may also say what ran (the row's algorithm, workspace_bytes, deterministic) and
// its staging time apart from the compute.
TEST(ExternalBackend, DetailsComeFromTimingJson) {
  // k = 1, s = 1, one channel: y has x's shape, so a copy is an output of the right shape.
  auto backend = scripted(
                     "cp \"$1/x.npy\" \"$1/y.npy\"; printf \"{\\\"algorithm\\\": \\\"bitstream v3\\\", "
                     "\\\"workspace_bytes\\\": 4096, \\\"deterministic\\\": false, \\\"staging_time_ms\\\": 0.5}\" > "
                     "\"$1/timing.json\"")
                     .create("default").value_or(nullptr);
  Problem p;
  const InputSet in = make_inputs(p, {FillKind::uniform, 1});
  HostTensor y = make_output(p, Direction::fwd);
  RunContext ctx;
  const Status s = backend->run(p, Direction::fwd, with_output(in.operands(), Direction::fwd, y), ctx);
  ASSERT_TRUE(s.ok()) << s.message;
  const RunDetails d = backend->last_run_details();
  EXPECT_EQ(d.algorithm, "bitstream v3");
  EXPECT_EQ(d.workspace_bytes, 4096);
  EXPECT_EQ(d.deterministic, false);
  EXPECT_FALSE(backend->last_device_time_ms().has_value());
  EXPECT_EQ(backend->last_staging_time_ms(), 0.5);

  const Status bad = run_fwd(scripted("cp \"$1/x.npy\" \"$1/y.npy\"; echo \"{\\\"deterministic\\\": 1}\" > \"$1/timing.json\""), p);
  EXPECT_NE(bad.message.find("timing.json: \"deterministic\" must be true or false"), std::string::npos) << bad.message;
}

TEST(ExternalProtocol, ProblemJsonNamesEveryFieldAndTheOutputShape) {
  Problem p;
  p.n = 2, p.c_in = 4, p.c_out = 6, p.groups = 2, p.h_in = 3, p.w_in = 5, p.kh = 2, p.kw = 3, p.stride_h = 2;
  p.layout = Layout::NHWC;
  p.weight_layout = Layout::HWOI;
  const std::string j = problem_json(p, Direction::bwd_weights);
  for (const char* key : {"\"n\": 2", "\"c_in\": 4", "\"groups\": 2", "\"h_out\": 6", "\"w_out\": 7",
                          "\"pad_right\": 0", "\"bias\": true", "\"dtype\": \"f32\"", "\"layout\": \"NHWC\"",
                          "\"weight_layout\": \"HWOI\"", "\"direction\": \"bwd_weights\"", "\"dy.npy\"",
                          "\"dw.npy\""})
    EXPECT_NE(j.find(key), std::string::npos) << key << " not in\n" << j;
  // dw in HWOI: [kH, kW, C_out/g, C_in]
  EXPECT_NE(j.find("\"shape\": [\n      2,\n      3,\n      3,\n      4\n    ]"), std::string::npos) << j;
}

TEST(ExternalProtocol, Capabilities) {
  auto c = parse_capabilities(R"({"dtypes": ["f32", "f64"], "layouts": ["NHWC"], "directions": ["fwd"],
                                  "groups": false, "math": {"name": "tf32", "u_mul": 0.00048828125, "u_acc": 5.96e-08}})");
  ASSERT_TRUE(c) << c.error();
  EXPECT_EQ(c->capabilities.dtypes, (std::vector<DType>{DType::f32, DType::f64}));
  EXPECT_EQ(c->capabilities.layouts, (std::vector<Layout>{Layout::NHWC}));
  EXPECT_EQ(c->capabilities.directions, (std::vector<Direction>{Direction::fwd}));
  EXPECT_FALSE(c->capabilities.groups);
  ASSERT_TRUE(c->math.has_value());
  EXPECT_EQ(c->math->name, "tf32");
  EXPECT_NE(parse_capabilities(R"({"dtypes": ["f33"]})").error().find("unknown value \"f33\""), std::string::npos);
  EXPECT_NE(parse_capabilities(R"({"layouts": ["IOHW"]})").error().find("not a data layout"), std::string::npos);
  EXPECT_FALSE(parse_capabilities("[1]"));
  // Nothing declared: f32, NCHW, IOHW, every direction.
  auto d = parse_capabilities("{}");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->capabilities.layouts, (std::vector<Layout>{Layout::NCHW}));
  EXPECT_EQ(d->capabilities.directions.size(), 4u);
}

}  // namespace
}  // namespace tconv
