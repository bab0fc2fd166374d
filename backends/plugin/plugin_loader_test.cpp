// The loader: each way a plugin can be wrong gives its own one-line error, and the example
// plugin passes the abstract conformance suite like any built-in backend.
#include "backends/plugin/plugin_loader.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>

#include "backends/testing/backend_conformance.h"

namespace tconv {
namespace {

BackendFactory example_plugin() {
  auto f = load_plugin(TCONV_EXAMPLE_PLUGIN);
  if (!f) {
    std::fprintf(stderr, "%s\n", f.error().c_str());
    std::abort();
  }
  return *f;
}

}  // namespace
}  // namespace tconv

TCONV_BACKEND_CONFORMANCE(ExamplePlugin, tconv::example_plugin());

namespace tconv {
namespace {

TEST(PluginLoader, MissingFileNamesTheFile) {
  auto f = load_plugin("/nonexistent/libnothing.so");
  ASSERT_FALSE(f);
  EXPECT_NE(f.error().find("/nonexistent/libnothing.so: cannot load"), std::string::npos) << f.error();
}

TEST(PluginLoader, MissingEntrySymbol) {
  auto f = load_plugin(TCONV_FAULTY_PLUGIN_NO_ENTRY);
  ASSERT_FALSE(f);
  EXPECT_NE(f.error().find("no symbol tconv_plugin_entry"), std::string::npos) << f.error();
}

TEST(PluginLoader, WrongAbiVersion) {
  auto f = load_plugin(TCONV_FAULTY_PLUGIN_WRONG_ABI);
  ASSERT_FALSE(f);
  EXPECT_NE(f.error().find("ABI version 99, this tconv speaks version 1"), std::string::npos) << f.error();
}

TEST(PluginLoader, ErrorStatusCarriesThePluginsMessage) {
  auto f = load_plugin(TCONV_FAULTY_PLUGIN_ERROR);
  ASSERT_TRUE(f) << f.error();
  auto backend = f->create("default").value_or(nullptr);
  ASSERT_NE(backend, nullptr);
  Problem p;
  const InputSet in = make_inputs(p, {FillKind::uniform, 1});
  HostTensor y = make_output(p, Direction::fwd);
  RunContext ctx;
  const Status s = backend->run(p, Direction::fwd, with_output(in.operands(), Direction::fwd, y), ctx);
  EXPECT_EQ(s.code, StatusCode::error);
  EXPECT_EQ(s.message, "simulated device fault: command queue 3 stalled");
}

TEST(PluginLoader, NameVariantsCapabilitiesAndCheckReasons) {
  const BackendFactory f = example_plugin();
  EXPECT_EQ(f.name, "example_direct");
  EXPECT_EQ(f.variants(), (std::vector<std::string>{"direct", "fwd_only"}));
  EXPECT_FALSE(f.create("nope").ok());
  EXPECT_NE(f.create("nope").error().find("no variant 'nope'"), std::string::npos);

  auto fwd_only = f.create("fwd_only").value_or(nullptr);
  ASSERT_NE(fwd_only, nullptr);
  EXPECT_EQ(fwd_only->variant(), "fwd_only");
  Problem p;
  EXPECT_TRUE(fwd_only->check(p, Direction::fwd).ok());
  EXPECT_FALSE(fwd_only->check(p, Direction::bwd_data).ok());
  p.dtype = DType::f16;
  EXPECT_FALSE(fwd_only->check(p, Direction::fwd).ok());
  p.dtype = DType::f32;
  p.kh = p.kw = 65;  // the plugin's own check(): at most 4096 taps
  EXPECT_EQ(fwd_only->check(p, Direction::fwd).message, "kernel 65x65: at most 4096 taps");
  EXPECT_EQ(fwd_only->math(p).name, "f64acc");
}

// The C ABI has no integer dtypes: a quantized problem is refused by the declared
// capabilities before the plugin is ever called (its dtype mask has four bits).
TEST(PluginLoader, RefusesIntegerProblemsCleanly) {
  auto b = example_plugin().create("direct").value_or(nullptr);
  ASSERT_NE(b, nullptr);
  Problem p;
  for (DType t : kIntDTypes) {
    p.dtype = t;
    const Status s = b->check(p, Direction::fwd);
    EXPECT_FALSE(s.ok());
    EXPECT_EQ(s.message, "dtype " + std::string(to_string(t)) + " not supported");
  }
}

}  // namespace
}  // namespace tconv
